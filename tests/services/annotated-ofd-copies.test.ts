import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { verifyOfd, type VerifyOptions } from '../../verifier/index.ts';
import { pki } from '../ofd/support.ts';
import { useTestApp } from '../support/app.ts';
import { applySeal, newOfd, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { issueSm2Crl } from '../verifier/ofd/support/sm2-pki.ts';

/** AnnotatedCopies on OFD bytes: the installation's SM2 seal, made once; the original inside with its seals valid. */
describe('AnnotatedCopies (加注件 of an OFD)', () => {
  const t = useTestApp();
  const note = () => ({ recipient: '厦门银行', purpose: '贷款审核', validUntil: new Date(Date.now() + 7 * 86_400_000), reference: 'UC-OFD0000001', issuedAt: new Date() });
  let sealed: Uint8Array;
  let options: VerifyOptions;

  beforeAll(async () => {
    await t.app.seedDemo();
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: 'OFD专用章', algorithm: 'SM2' });
    // An OFD another seal system sealed, then sealed by the department here.
    sealed = await t.app.services.seals.applyOfd(OPERATOR, seal.id, zipOfd(applySeal(newOfd(), { signer: pki.signer, maker: pki.maker })));
    const ours = t.app.services.pki;
    const caId = (await ours.findDepartmentCa('gjj', 'SM2'))!;
    const day = 86_400_000;
    options = {
      trust: [pki.root.certificate, await t.app.services.copies.sm2TrustAnchor()],
      certificates: [await ours.caCertificate(caId)],
      crls: [issueSm2Crl(pki.root, new Date(Date.now() - day), new Date(Date.now() + day)), (await ours.currentCrl(caId)).der, (await ours.currentCrl(await ours.sm2RootCertificateId())).der],
    };
  });

  it('seals the copy with the installation\'s SM2 seal, shows the note, and keeps the original\'s two seals valid inside', async () => {
    const { format, bytes: copy } = await t.app.services.copies.annotatedCopy(sealed, note());
    expect(format).toBe('ofd');
    const report = await verifyOfd(copy, options);
    expect(report.signatures.map((s) => [s.indication, s.changes])).toEqual([['TOTAL_PASSED', []]]);
    expect(report.signatures[0]!.signer?.commonName).toBe('电子证照加注件签章 (zhengyin annotated copies)');

    const files = unzipSync(copy);
    const annotation = Buffer.from(Object.entries(files).find(([n]) => n.endsWith('Annotation.xml'))![1]).toString();
    for (const part of ['厦门银行', '贷款审核', 'UC-OFD0000001']) expect(annotation).toContain(part);
    const inside = Object.entries(files).find(([n]) => n.endsWith('/original.ofd'))![1];
    expect(Buffer.from(inside).equals(Buffer.from(sealed))).toBe(true);
    expect((await verifyOfd(inside, options)).signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  it('makes its SM2 seal once and reuses it; a PDF still gets the PDF copy', async () => {
    const again = await t.app.services.copies.makeOfd(sealed, note());
    expect((await verifyOfd(again, options)).signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    expect(await t.db.prisma.systemSetting.count({ where: { key: 'annotated-copy-seal-sm2' } })).toBe(1);
    const { issueDemoLicence } = await import('../../gateway/services/demo-data.ts');
    const { pdf } = await issueDemoLicence(t.app.services);
    expect((await t.app.services.copies.annotatedCopy(pdf, note())).format).toBe('pdf');
  });
});
