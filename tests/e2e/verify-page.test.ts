/**
 * The /verify page in a real browser (issue 11): playwright-core driving Debian's
 * chromium against the whole service started in-process. A PDF is dropped on the page (a
 * DataTransfer carrying a File, as a user's drag and drop delivers it) or chosen with
 * the file input, and the verdict is read from the page as a user sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { asDepartment, issueDemoLicence } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { openBrowser, skipWithoutBrowser } from '../support/browser.ts';
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
  const drop = async (page: Page, bytes: Uint8Array, name: string): Promise<void> => {
    const dataTransfer = await page.evaluateHandle(
      ({ base64, name }) => {
        // Runs in the page: the DOM's DataTransfer and File (tsconfig has no DOM lib).
        const dom = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
        };
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new dom.DataTransfer();
        transfer.items.add(new dom.File([data], name, { type: 'application/pdf' }));
        return transfer;
      },
      { base64: Buffer.from(bytes).toString('base64'), name },
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

  it('answers a chosen file that is not a PDF with a clear message', async () => {
    const page = await open();

    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('这不是 PDF\n') });

    expect(await verdictOf(page)).toMatchObject({ verdict: null, error: 'INVALID_NOT_PDF', text: expect.stringContaining('这不是 PDF 文件') });
    await page.close();
  });

  it('runs under its CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
