import { describe, expect, it } from 'vitest';
import { applySeal, signPdf } from '../../signer/index.ts';
import { verifyPdf } from '../../verifier/index.ts';
import { describePyhanko, hasPyhanko, pyhankoValidate } from '../support/pyhanko.ts';
import { skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { pdfLibDocument, preparedForm } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

/**
 * Issue 10: a certified document (DocMDP P 2) takes a later visible seal only into a
 * signature field it already had, as pyHanko judges; a new visible field is refused with
 * the alternatives named, unless allowed.
 */
describe.skipIf(skipWithout('tests/pades/certified-fields', 'openssl'))('seals after a certification signature', () => {
  const seal = (pdf: Uint8Array, more: { field?: string; allowNewField?: boolean } = {}) =>
    more.field !== undefined
      ? applySeal(pdf, { identity: f.pki.rsaSigner, image: redSealPng(), field: more.field, tsa: f.localTsa })
      : applySeal(pdf, { identity: f.pki.rsaSigner, image: redSealPng(), page: 0, x: 380, y: 300, tsa: f.localTsa, allowNewField: more.allowNewField });

  it('refuses a new visible field on a certified document: typed error naming the alternatives and the judges, nothing returned', async () => {
    const certified = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa, certify: true });
    const copy = Uint8Array.from(certified);

    await expect(seal(certified)).rejects.toMatchObject({
      name: 'NewFieldAfterCertificationError',
      code: 'NEW_FIELD_AFTER_CERTIFICATION',
      freeFields: [],
      message: expect.stringMatching(/certified by the signature in "Seal1".*pyHanko.*Acrobat accepts.*sign invisibly.*allowNewField/),
    });
    expect(certified).toEqual(copy);
  });

  it('names the form’s empty signature fields, and not a text field, as where the seal may go instead', async () => {
    const certified = await applySeal(await preparedForm(), { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa, certify: true });
    await expect(seal(certified)).rejects.toMatchObject({ freeFields: ['审批.盖章'], message: expect.stringContaining('"审批.盖章"') });
  });

  it('does not offer a field that the certification locks', async () => {
    const certified = await applySeal(await preparedForm({ lockAfterAcceptance: ['审批'] }), { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa, certify: true });
    await expect(seal(certified)).rejects.toMatchObject({ freeFields: [] });
  });

  it('signs a certified document invisibly, or in a new visible field when allowed (what Acrobat accepts)', async () => {
    const certified = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa, certify: true });

    const invisible = await signPdf(certified, { identity: f.pki.rsaSigner, tsa: f.localTsa });
    const allowed = await seal(certified, { allowNewField: true });

    for (const pdf of [invisible, allowed]) {
      const report = await verifyPdf(pdf, { trust: [f.pki.rootDer], crls: f.pki.crls });
      expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    }
  });

  it('fills the certified form’s own field: every signature valid, the certification unharmed (pyHanko where present)', async () => {
    const certified = await applySeal(await preparedForm(), { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa, certify: true });
    const both = await seal(certified, { field: '审批.盖章' });

    const report = await verifyPdf(both, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modificationAllowed])).toEqual([
      ['受理', 'TOTAL_PASSED', true],
      ['审批.盖章', 'TOTAL_PASSED', true],
    ]);
    if (hasPyhanko()) {
      const judged = await pyhankoValidate(both, { roots: [f.pki.rootDer], crls: f.pki.crls, revocationMode: 'soft-fail' });
      expect(judged.map((s) => [s.field, s.intact, s.valid, s.trusted, s.docmdpOk]), describePyhanko(judged)).toEqual([
        ['受理', true, true, true, true],
        ['审批.盖章', true, true, true, true],
      ]);
      expect(judged[0]!.modificationLevel).toBe('FORM_FILLING');
    }
  });
});
