import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { addValidationData, ORIGINAL_ATTACHMENT_NAME } from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';
import { readDss } from '../support/inspect.ts';
import { nssDatabase, pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { describePyhanko, pyhankoValidate, skipWithoutPyhanko } from '../support/pyhanko.ts';
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

  it.skipIf(skipWithoutPyhanko('tests/services/annotated-copies (pyHanko)'))('passes pyHanko: the certification (P 1) untouched by the DSS and document time-stamp; the licence inside passes too', async () => {
    const judge = async (pdf: Uint8Array) => {
      const dss = (await readDss(await addValidationData(pdf, { revocation: t.app.services.pki.revocationSource() })))!;
      return pyhankoValidate(pdf, { roots: [await t.app.services.pki.rootCertificate()], crls: dss.crls, ocsps: dss.ocsps });
    };
    const judged = await judge(copy);
    expect(judged.map((s) => [s.field, s.intact, s.valid, s.trusted, s.bottomLine]), describePyhanko(judged)).toEqual([
      ['Seal1', true, true, true, true],
      ['DocTimeStamp1', true, true, true, true],
    ]);
    expect([judged[0]!.modificationLevel, judged[0]!.docmdpOk], describePyhanko(judged)).toEqual(['LTA_UPDATES', true]);
    const inside = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments[0]!.data;
    const original = await judge(inside);
    expect(original.every((s) => s.intact && s.valid && s.trusted && s.bottomLine), describePyhanko(original)).toBe(true);
  });
});
