import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../gateway/services/actor.ts';
import { DEMO_APPLICANTS, issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { useTestApp } from '../support/app.ts';

const company: Actor = { kind: 'applicant', holderCodeType: '001', holderCode: DEMO_APPLICANTS[1].code };

/** The page behind a use code's URL (its QR code): a form, then the status and the copy's link. */
describe('the use-code page (/use-codes/<code>)', () => {
  const t = useTestApp();
  let url: string;

  beforeAll(async () => {
    await t.app.seedDemo();
    const { licence } = await issueDemoLicence(t.app.services);
    ({ url } = await t.app.services.useCodes.mint(company, { identifier: licence.identifier, expiresAt: new Date(Date.now() + 86_400_000) }));
  });

  const post = (target: string, fields: Record<string, string>) =>
    fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  it('shows a form on GET and presents nothing', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/name="recipient"[\s\S]*name="purpose"/);
    expect(await t.db.prisma.useCodePresentation.count()).toBe(0);
  });

  it('presents on POST: the status and a link to the annotated copy, recorded for the holder', async () => {
    const res = await post(url, { recipient: '某律师事务所', purpose: '诉讼材料' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('营业执照 · 有效 valid');
    const link = /<a href="([^"]+)">下载加注件/.exec(html)![1]!.replace(/&amp;/g, '&');
    const copy = await fetch(link);
    expect(copy.status).toBe(200);
    expect(Buffer.from(await copy.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await t.db.prisma.useCodePresentation.findMany({ select: { recipient: true, purpose: true } })).toEqual([{ recipient: '某律师事务所', purpose: '诉讼材料' }]);
  });

  it('answers a forged code and a missing recipient with a page naming the error, writing nothing', async () => {
    const forged = await post(new URL('use-codes/0000-0000-0000', t.url).toString(), { recipient: '某银行', purpose: '开户' });
    expect([forged.status, await forged.text()]).toEqual([400, expect.stringContaining('INVALID_CODE')]);
    const empty = await post(url, { recipient: '', purpose: '开户' });
    expect([empty.status, await empty.text()]).toEqual([400, expect.stringContaining('note.recipient')]);
    expect(await t.db.prisma.useCodePresentation.count()).toBe(1);
  });
});
