/**
 * The /verify page in a real browser (issue 11): playwright-core driving Debian's
 * chromium against the whole service started in-process. A PDF or OFD is dropped on the page (a
 * DataTransfer carrying a File, as a user's drag and drop delivers it) or chosen with
 * the file input, and the verdict is read from the page as a user sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { asDepartment, issueDemoLicence } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { openBrowser, skipWithoutBrowser } from '../support/browser.ts';
import { applySeal, newOfd, pageContent, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { sm2Pki } from '../verifier/ofd/support/sm2-pki.ts';
import { flipByte, offsetOf } from '../verifier/support/bytes.ts';

const skip = await skipWithoutBrowser('tests/e2e/verify-page');

describe.skipIf(skip)('the /verify page in chromium', () => {
  const t = useTestApp({ ZHENGYIN_VERIFY_RATE: '1000' });
  let browser: { context: BrowserContext; close(): Promise<void> };
  let pdf: Uint8Array;
  let identifier: string;
  const cspViolations: string[] = [];
  beforeAll(async () => {
    await t.app.seedDemo();
    ({ pdf, licence: { identifier } } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code));
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (): Promise<Page> => {
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(new URL('verify', t.url).toString());
    return page;
  };

  /** Drops `bytes` on the drop zone as a file named `name`. */
  const drop = async (page: Page, bytes: Uint8Array, name: string, type = 'application/pdf'): Promise<void> => {
    const dataTransfer = await page.evaluateHandle(
      ({ base64, name, type }) => {
        // Runs in the page: the DOM's DataTransfer and File (tsconfig has no DOM lib).
        const dom = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
        };
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new dom.DataTransfer();
        transfer.items.add(new dom.File([data], name, { type }));
        return transfer;
      },
      { base64: Buffer.from(bytes).toString('base64'), name, type },
    );
    await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  };

  const verdictOf = async (page: Page) => {
    const verdict = page.locator('#verdict');
    await verdict.waitFor();
    return { verdict: await verdict.getAttribute('data-verdict'), error: await verdict.getAttribute('data-error'), text: await verdict.innerText() };
  };

  it('shows a dropped licence as valid, with its seal and its status in the registry', async () => {
    const page = await open();

    await drop(page, pdf, 'licence.pdf');

    expect(await verdictOf(page)).toMatchObject({ verdict: 'VALID', text: expect.stringContaining('有效') });
    expect(await page.locator('#licence-status').getAttribute('data-status')).toBe('valid');
    expect(await page.locator('#licence-match').getAttribute('data-match')).toBe('document');
    expect(await page.locator('#licence').innerText()).toContain(identifier);
    const seal = await t.app.services.seals.activeSealOf('bdcdj');
    const first = page.locator('.signature').first();
    expect(await first.locator('.seal').innerText()).toContain(seal!.id);
    expect(await first.locator('.seal').getAttribute('data-seal-state')).toBe('active');
    expect(await first.locator('.indication').getAttribute('data-indication')).toBe('TOTAL_PASSED');
    expect(await page.locator('body').innerText()).not.toContain('林美华');
    await page.close();
  });

  it('shows a copy with one byte flipped inside the signed range as invalid, and says what failed', async () => {
    const page = await open();

    await drop(page, flipByte(pdf, offsetOf(pdf, '/MediaBox') + 1), 'tampered.pdf');

    expect(await verdictOf(page)).toMatchObject({ verdict: 'INVALID', text: expect.stringContaining('无效') });
    const first = page.locator('.signature').first();
    expect(await first.locator('.indication').getAttribute('data-indication')).toBe('TOTAL_FAILED');
    expect(await first.innerText()).toContain('HASH_FAILURE');
    expect(await page.locator('#licence').count()).toBe(0);
    await page.close();
  });

  it('shows a revoked licence as revoked in the registry', async () => {
    const { licence, pdf: revoked } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code);
    await t.app.services.licences.revoke(asDepartment('bdcdj'), licence.identifier, '权利人申请注销');
    const page = await open();

    await drop(page, revoked, 'revoked.pdf');

    await page.locator('#verdict').waitFor();
    expect(await page.locator('#licence-status').getAttribute('data-status')).toBe('revoked');
    expect(await page.locator('#licence-status').innerText()).toContain('已注销');
    await page.close();
  });

  it('answers a chosen file that is neither PDF nor OFD with a clear message', async () => {
    const page = await open();

    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('这不是 PDF\n') });

    expect(await verdictOf(page)).toMatchObject({ verdict: null, error: 'INVALID_NOT_PDF', text: expect.stringContaining('这不是 PDF 或 OFD 文件') });
    await page.close();
  });

  it('says it takes OFD, in Chinese and English, and its file input accepts .ofd', async () => {
    const page = await open();

    expect(await page.locator('#file').getAttribute('accept')).toContain('.ofd');
    const drop = await page.locator('#drop').innerText();
    expect(drop).toContain('把 PDF 或 OFD 文件拖到这里');
    expect(drop).toContain('Drop a PDF or OFD here');
    await page.close();
  });

  describe('an OFD sealed with an SM2 seal (GB/T 38540) by a seal system not under this service\'s root', () => {
    const pki = sm2Pki();
    const sealed = applySeal(newOfd('营业执照 No. 9'), { signer: pki.signer, maker: pki.maker });

    it('shows a dropped OFD as indeterminate, its seal intact with the maker\'s signature valid', async () => {
      const page = await open();

      await drop(page, zipOfd(sealed), 'licence.ofd', '');

      expect(await verdictOf(page)).toMatchObject({ verdict: 'INDETERMINATE', text: expect.stringContaining('无法确定') });
      const first = page.locator('.signature').first();
      expect(await first.locator('.indication').getAttribute('data-indication')).toBe('INDETERMINATE');
      expect(await first.innerText()).toContain('NO_CERTIFICATE_CHAIN_FOUND');
      expect(await first.locator('.ofd-seal').getAttribute('data-maker-valid')).toBe('true');
      expect(await first.locator('.ofd-seal').innerText()).toContain('测试政务服务中心专用章（GB/T 38540 SES_Seal V4）');
      expect(await first.locator('.seal').getAttribute('data-seal-state')).toBe('none');
      expect(await page.locator('#licence').count()).toBe(0);
      await page.close();
    });

    it('shows a chosen OFD whose page changed after sealing as invalid, naming the changed file', async () => {
      const page = await open();
      const tampered = zipOfd(new Map(sealed).set('Doc_0/Pages/Page_0/Content.xml', pageContent('营业执照 No. 10')));

      await page.setInputFiles('#file', { name: 'tampered.ofd', mimeType: 'application/ofd', buffer: Buffer.from(tampered) });

      expect(await verdictOf(page)).toMatchObject({ verdict: 'INVALID', text: expect.stringContaining('无效') });
      const first = page.locator('.signature').first();
      expect(await first.innerText()).toContain('HASH_FAILURE');
      expect(await first.innerText()).toContain('Doc_0/Pages/Page_0/Content.xml');
      await page.close();
    });
  });

  it('runs under its CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
