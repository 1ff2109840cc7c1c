/**
 * Agreement with real-world writers (issue 10): a certified document countersigned in a
 * new visible field, signing prepared fields as Acrobat does, developer extensions and
 * appearance streams rewritten in place — each allowed, and each still forbidden when the
 * changed objects are also reached from elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { renderText, verifyPdf, type VerificationReport } from '../../verifier/index.ts';
import { addTextField, setCatalogEntry } from './support/edits.ts';
import { appendUpdate, catalogBody, dict, newDocument, ref, type Body, type TestDoc } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { addEmptySignatureField, signExistingField } from './support/sig-fields.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };
const verify = (d: TestDoc): Promise<VerificationReport> => verifyPdf(d.bytes, opts);
const allowed = (r: VerificationReport): [string | null, string, boolean][] => r.signatures.map((s) => [s.fieldName, s.modification, s.modificationAllowed]);

describe('a new visible signature field after a certification signature (DocMDP)', () => {
  it('is accepted as Acrobat does, and named on the certification signature with the stricter reading', async () => {
    const certified = signDocument(newDocument(), pki.rsaSigner, { docMdp: 2 });
    const report = await verify(signDocument(certified, pki.p256Signer, { field: 'Approval', visible: true }));
    expect(report.document.verdict).toBe('VALID');
    const cert = report.signatures[0]!;
    expect(cert.modificationAllowed).toBe(true);
    const notice = cert.problems.find((p) => p.includes('new visible signature field'));
    expect(notice).toMatch(/revision 3 adds a new visible signature field "Approval" after this certification signature \(DocMDP P=2\)/);
    expect(notice).toMatch(/allow_new_visible_after_certify=False/);
    expect(JSON.parse(JSON.stringify(report)).signatures[0].problems).toContain(notice);
    expect(renderText(report)).toContain(notice);
    expect(report.signatures[1]!.problems.join(' ')).not.toMatch(/new visible/);
  });

  it('is not reported for an invisible new field, nor for a field the certified revision already had', async () => {
    const invisible = signDocument(signDocument(newDocument(), pki.rsaSigner, { docMdp: 2 }), pki.p256Signer, { field: 'Approval' });
    expect((await verify(invisible)).signatures[0]!.problems.join(' ')).not.toMatch(/new visible/);

    const { doc, field } = addEmptySignatureField(newDocument(), 'Approval');
    const certified = signDocument(doc, pki.rsaSigner, { docMdp: 2 });
    const report = await verify(signExistingField(certified, field, pki.p256Signer));
    expect(report.document.verdict).toBe('VALID');
    expect(report.signatures[0]!.problems.join(' ')).not.toMatch(/new visible/);
  });
});

describe('signature-field rule: signing prepared fields as Acrobat does', () => {
  it('each signing sets the widget /F, /AP (new XObjects) and /V: form filling for every earlier signature', async () => {
    let { doc, field: first } = addEmptySignatureField(newDocument(), 'Applicant');
    const second = addEmptySignatureField(doc, 'Officer', { rect: '[100 50 260 110]' });
    doc = signExistingField(second.doc, first, pki.rsaSigner, { acrobat: true });
    doc = signExistingField(doc, second.field, pki.p256Signer, { acrobat: true });
    const report = await verify(doc);
    expect(allowed(report)).toEqual([['Applicant', 'FORM_FILLING', true], ['Officer', 'NONE', true]]);
    expect(report.document.verdict).toBe('VALID');
  });

  it('a field whose widget is a separate object among its /Kids', async () => {
    const base = signDocument(newDocument(), pki.rsaSigner);
    const { doc, field } = addEmptySignatureField(base, 'Officer', { kidWidget: true });
    for (const acrobat of [false, true]) {
      const report = await verify(signExistingField(doc, field, pki.p256Signer, { acrobat }));
      expect(allowed(report), `acrobat ${acrobat}`).toEqual([['Sig1', 'FORM_FILLING', true], ['Officer', 'NONE', true]]);
    }
  });

  it('a signing that hides the widget (/F Hidden) is not accepted', async () => {
    const base = signDocument(newDocument(), pki.rsaSigner);
    const { doc, field } = addEmptySignatureField(base, 'Officer', { kidWidget: true });
    const signed = signExistingField(doc, field, pki.p256Signer, { acrobat: true });
    const hidden = Buffer.from(signed.bytes).toString('latin1').lastIndexOf('/F 4');
    const bytes = Buffer.from(signed.bytes);
    bytes.write('/F 2', hidden, 'latin1');
    // The second signature breaks too (its bytes changed): the first one must see a disallowed change.
    const report = await verifyPdf(new Uint8Array(bytes), opts);
    expect(report.signatures[0]!.modificationAllowed).toBe(false);
  });
});

describe('extensions rule: the catalog /Extensions as an indirect object', () => {
  const ext = (level: number): string => `<< /ADBE << /BaseVersion /1.7 /ExtensionLevel ${level} >> >>`;

  it('added, then updated, after signing: LTA_UPDATES', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner);
    const n = signed.size;
    const added = setCatalogEntry(signed, 'Extensions', ref(n), new Map([[n, ext(3)]]));
    const updated = appendUpdate(added, new Map([[n, ext(8)]]));
    for (const d of [added, updated]) expect(allowed(await verify(d))).toEqual([['Sig1', 'LTA_UPDATES', true]]);
  });

  it('also reached from another new catalog key: not allowed', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner);
    const n = signed.size;
    const added = setCatalogEntry(signed, 'Extensions', ref(n), new Map([[n, ext(3)]]));
    const both = setCatalogEntry(added, 'OpenAction', ref(n));
    expect((await verify(both)).signatures[0]!.modificationAllowed).toBe(false);
    // Even when the other path is an accepted key: the object is page-independent only through /Extensions.
    const page = signed.pages[0]!;
    const viaPage = appendUpdate(added, new Map<number, Body>([[n, ext(8)], [page.num, dict({ Type: '/Page', Parent: ref(signed.pagesNum), MediaBox: '[0 0 595 842]', Contents: ref(page.contents), Resources: `<< /Font << /F1 4 0 R >> /Properties << /X ${ref(n)} >> >>` })]]));
    expect((await verify(viaPage)).signatures[0]!.modificationAllowed).toBe(false);
  });
});

describe('appearance rule: form filling that rewrites a widget appearance stream in place', () => {
  const prepared = (): { doc: TestDoc; field: number; ap: number } => {
    const before = newDocument();
    const doc = addTextField(before, 'Name', 'Zhang San');
    return { doc: signDocument(doc, pki.rsaSigner), field: before.size, ap: before.size + 1 };
  };
  const stream = (text: string): Body => ({ dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /F1 4 0 R >> >> >>', data: Buffer.from(`/Tx BMC BT /F1 12 Tf 2 5 Td (${text}) Tj ET EMC`) });

  it('/AP /N stream rewritten under the same object number: FORM_FILLING', async () => {
    const { doc, ap } = prepared();
    expect(allowed(await verify(appendUpdate(doc, new Map([[ap, stream('Li Si')]]))))).toEqual([['Sig2', 'FORM_FILLING', true]]);
  });

  it('/AP as an indirect object, rewritten to name a new stream: FORM_FILLING', async () => {
    const before = newDocument();
    const [field, apDict, n1] = [before.size, before.size + 1, before.size + 2];
    const page = { ...before.pages[0]!, annots: [field] };
    const form = { num: before.size + 3, fields: [field], extra: {} };
    let doc = appendUpdate(before, new Map<number, Body>([
      [field, dict({ FT: '/Tx', T: '(Name)', V: '(Zhang San)', Type: '/Annot', Subtype: '/Widget', Rect: '[72 600 300 620]', P: ref(page.num), AP: ref(apDict) })],
      [apDict, `<< /N ${ref(n1)} >>`],
      [n1, stream('Zhang San')],
      [form.num, `<< /Fields [${ref(field)}] >>`],
      [before.catalog.num, catalogBody({ ...before, acroForm: form })],
      [page.num, dict({ Type: '/Page', Parent: ref(before.pagesNum), MediaBox: '[0 0 595 842]', Contents: ref(page.contents), Resources: '<< /Font << /F1 4 0 R >> >>', Annots: `[${ref(field)}]` })],
    ]), { acroForm: form, pages: [page] });
    doc = signDocument(doc, pki.rsaSigner);
    const n2 = doc.size;
    const refilled = appendUpdate(doc, new Map<number, Body>([[n2, stream('Li Si')], [apDict, `<< /N ${ref(n2)} >>`]]));
    expect(allowed(await verify(refilled))).toEqual([['Sig2', 'FORM_FILLING', true]]);
  });

  it('the rewritten stream also reached from a new catalog key, or from page content: not allowed', async () => {
    const { doc, ap } = prepared();
    const viaCatalog = setCatalogEntry(doc, 'Extensions', ref(ap), new Map([[ap, stream('Li Si')]]));
    expect((await verify(viaCatalog)).signatures[0]!.modificationAllowed).toBe(false);
    const page = doc.pages[0]!;
    const viaPage = appendUpdate(doc, new Map<number, Body>([[ap, stream('Li Si')]]));
    const shared = appendUpdate(viaPage, new Map<number, Body>([[page.num, dict({ Type: '/Page', Parent: ref(doc.pagesNum), MediaBox: '[0 0 595 842]', Contents: ref(page.contents), Resources: `<< /Font << /F1 4 0 R >> /XObject << /X ${ref(ap)} >> >>`, Annots: `[${page.annots.map(ref).join(' ')}]` })]]));
    expect((await verify(shared)).signatures[0]!.modificationAllowed).toBe(false);
  });
});
