import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { ORIGINAL_ATTACHMENT_NAME } from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';
import { nssDatabase, pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTools, skipWithout } from '../support/tools.ts';

/** The gateway's annotated copies: signed by the installation's own certificate, made once, the licence inside. */
describe('AnnotatedCopies (加注件 of issued licences)', () => {
  const t = useTestApp();
  let licence: Uint8Array;
  let copy: Uint8Array;
  let nss: { dir: string; dispose(): void } | undefined;
  const note = () => ({ recipient: '厦门银行', purpose: '贷款审核', validUntil: new Date(Date.now() + 7 * 86_400_000), reference: 'UC-TEST0000001', issuedAt: new Date() });

  beforeAll(async () => {
    await t.app.seedDemo();
    ({ pdf: licence } = await issueDemoLicence(t.app.services));
    copy = await t.app.services.copies.make(licence, note());
    if (hasTools(...PDFSIG)) nss = nssDatabase(await (await fetch(new URL('pki/root.pem', t.url))).text());
  });
  afterAll(() => nss?.dispose());

  it('verifies in our verifier against the service root, and so does the licence inside it', async () => {
    const root = await t.app.services.pki.rootCertificate();
    const report = await verifyPdf(copy, { trust: [root] });
    expect(report.signatures.map((s) => [s.kind, s.indication, s.modificationAllowed])).toEqual([
      ['SIGNATURE', 'TOTAL_PASSED', true],
      ['DOCUMENT_TIMESTAMP', 'TOTAL_PASSED', true],
    ]);
    const [inside] = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments;
    expect(Buffer.from(inside!.data).equals(Buffer.from(licence))).toBe(true);
    const original = await verifyPdf(inside!.data, { trust: [root] });
    expect(original.signatures.every((s) => s.indication === 'TOTAL_PASSED')).toBe(true);
  });

  it('is signed by the installation, not by a department, with one certificate reused for every copy (certification P 1)', async () => {
    const root = await t.app.services.pki.rootCertificate();
    const again = await t.app.services.copies.make(licence, note());
    const [first] = (await verifyPdf(copy, { trust: [root] })).signatures;
    const [second] = (await verifyPdf(again, { trust: [root] })).signatures;
    expect(first!.signer!.commonName).toBe('电子证照加注件签章 (zhengyin annotated copies)');
    expect(first!.certificationLevel).toBe(1);
    expect(second!.signer!.serialNumber).toBe(first!.signer!.serialNumber);
    expect(await t.db.prisma.systemSetting.count({ where: { key: 'annotated-copy-certificate' } })).toBe(1);
  });

  it.skipIf(skipWithout('tests/services/annotated-copies (pdfsig)', ...PDFSIG))('is valid and trusted in pdfsig with the service up, and so is the licence inside', async () => {
    const inside = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments[0]!.data;
    for (const pdf of [copy, inside]) {
      const { output, signatures } = await pdfsig(pdf, nss!.dir);
      const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
      expect(seals.length, output).toBeGreaterThan(0);
      for (const s of seals) expect([s.signatureValid, s.certificateTrusted], s.block).toEqual([true, true]);
    }
  });
});
