/**
 * What changed after signing (issue #3, Deliver 3): each whitelist rule accepts one kind
 * of later update at one level, everything else is OTHER — including the known attacks:
 * incremental saving attacks, shadow attacks (hide, replace, hide-and-replace), pages
 * added or removed, a catalog swapped, a dangling reference filled in.
 */
import { describe, expect, it } from 'vitest';
import { verifyPdf, type SignatureReport } from '../../verifier/index.ts';
import { concat } from './support/bytes.ts';
import { addAnnotation, addPage, addTextField, fillTextField, removeLastPage, replacePageContent, setCatalogEntry, touchMetadata } from './support/edits.ts';
import { acroFormBody, appendUpdate, catalogBody, contentStream, dict, lit, newDocument, pageBody, pagesBody, ref, refs, type Body, type TestDoc } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { addDss, signDocument, timestampDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };

async function first(doc: TestDoc): Promise<SignatureReport> {
  return (await verifyPdf(doc.bytes, opts)).signatures[0]!;
}

const signed = (p: { docMdp?: 1 | 2 | 3; base?: TestDoc } = {}): TestDoc => signDocument(p.base ?? newDocument({ pages: 2 }), pki.rsaSigner, { docMdp: p.docMdp });

describe('allowed updates, by rule', () => {
  it('signature-field rule: a later approval signature is FORM_FILLING', async () => {
    const s = await first(signDocument(signed(), pki.p256Signer, { visible: true }));
    expect(s).toMatchObject({ modification: 'FORM_FILLING', modificationAllowed: true, indication: 'TOTAL_PASSED' });
  });

  it('signature-field rule: a document time-stamp is LTA_UPDATES, allowed even under DocMDP P=1', async () => {
    const s = await first(timestampDocument(signed({ docMdp: 1 }), pki.tsa, new Date(T0.getTime() - 60_000)));
    expect(s).toMatchObject({ modification: 'LTA_UPDATES', modificationAllowed: true, certificationLevel: 1 });
  });

  it('dss rule: validation data is LTA_UPDATES', async () => {
    const s = await first(addDss(signed({ docMdp: 1 }), { crls: pki.crls, certs: [pki.intermediate.certificate] }));
    expect(s).toMatchObject({ modification: 'LTA_UPDATES', modificationAllowed: true });
  });

  it('metadata and info rules: new XMP and /Info are LTA_UPDATES', async () => {
    const s = await first(touchMetadata(signed()));
    expect(s).toMatchObject({ modification: 'LTA_UPDATES', modificationAllowed: true });
  });

  it('form-fill rule: filling an existing text field is FORM_FILLING — allowed under P=2, not under P=1', async () => {
    const base = addTextField(newDocument(), 'holder', 'Example Co.');
    const field = base.acroForm!.fields[0]!;
    for (const [p, allowed] of [[2, true], [1, false]] as const) {
      const s = await first(fillTextField(signDocument(base, pki.rsaSigner, { docMdp: p }), field, 'holder', 'Someone Else'));
      expect(s, `P=${p}`).toMatchObject({ modification: 'FORM_FILLING', modificationAllowed: allowed });
    }
  });

  it('annotation rules: a comment is ANNOTATIONS — allowed only under P=3', async () => {
    for (const [p, allowed] of [[3, true], [2, false], [undefined, false]] as const) {
      const s = await first(addAnnotation(signed({ docMdp: p }), 'Text', '[500 800 520 820]'));
      expect(s, `P=${p}`).toMatchObject({ modification: 'ANNOTATIONS', modificationAllowed: allowed });
    }
  });

  it('signature-field rule under P=1: another signature is not allowed', async () => {
    const s = await first(signDocument(signed({ docMdp: 1 }), pki.p256Signer));
    expect(s).toMatchObject({ modification: 'FORM_FILLING', modificationAllowed: false });
  });
});

describe('field locks (FieldMDP, §12.8.2.4): a locked field may not change, whatever DocMDP allows', () => {
  const form = () => addTextField(addTextField(newDocument(), 'holder', 'Example Co.'), 'notes', 'none');
  const [holder, notes] = [() => form().acroForm!.fields[0]!, () => form().acroForm!.fields[1]!];
  type Lock = NonNullable<Parameters<typeof signDocument>[2]>['fieldMdp'];
  const lockedThenFilled = (lock: Lock, field: number, name: string) => first(fillTextField(signDocument(form(), pki.rsaSigner, { fieldMdp: lock }), field, name, 'Someone Else'));

  it.each([
    ['Include [holder] in /Reference', { action: 'Include', fields: ['holder'], in: 'reference' }],
    ['All in the field’s /Lock only', { action: 'All', in: 'lock' }],
    ['Exclude [notes] in /Reference', { action: 'Exclude', fields: ['notes'], in: 'reference' }],
  ] as const)('%s: filling holder is refused, naming the field', async (_name, lock) => {
    const s = await lockedThenFilled(lock, holder(), 'holder');
    expect(s).toMatchObject({ modification: 'FORM_FILLING', modificationAllowed: false, indication: 'TOTAL_PASSED' });
    expect(s.changes.join('\n')).toMatch(/field "holder" changed, though a signature locks it/);
  });

  it('filling a field the lock leaves out stays allowed', async () => {
    const s = await lockedThenFilled({ action: 'Include', fields: ['holder'], in: 'reference' }, notes(), 'notes');
    expect(s).toMatchObject({ modification: 'FORM_FILLING', modificationAllowed: true });
    expect(s.changes).toEqual([]);
  });

  it('the document verdict follows: INVALID', async () => {
    const bytes = fillTextField(signDocument(form(), pki.rsaSigner, { fieldMdp: { action: 'All', in: 'reference' } }), holder(), 'holder', 'X').bytes;
    expect((await verifyPdf(bytes, opts)).document.verdict).toBe('INVALID');
  });
});

describe('disallowed updates (OTHER)', () => {
  it.each([
    ['page-content-replaced', (d: TestDoc) => replacePageContent(d, 'Licence REVOKED'), /object 3 \(stream\) changed/],
    ['page-object-replaced', (d: TestDoc) => {
      const [page, contents] = [d.size, d.size + 1];
      const swapped = [{ num: page, contents, annots: [], extra: {} }, ...d.pages.slice(1)];
      return appendUpdate(d, new Map<number, Body>([[contents, contentStream('Licence REVOKED')], [page, pageBody(d, swapped[0]!)], [d.pagesNum, pagesBody({ pages: swapped })]]), { pages: swapped });
    }, /\(Pages\) changed \/Kids/],
    ['page-added', (d: TestDoc) => addPage(d, 'an extra page'), /\(Pages\) changed \/Kids \/Count/],
    ['page-removed', (d: TestDoc) => removeLastPage(d), /\(Pages\) changed \/Kids \/Count/],
    ['catalog-open-action', (d: TestDoc) => setCatalogEntry(d, 'OpenAction', '<< /S /JavaScript /JS (app.alert(1)) >>'), /\(Catalog\) changed \/OpenAction/],
    ['font-replaced (shadow replace)', (d: TestDoc) => appendUpdate(d, new Map([[4, '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>']])), /object 4 \(Font\) changed \/BaseFont/],
    ['root-swapped', (d: TestDoc) => appendUpdate(d, new Map([[d.size, catalogBody(d)]]), {}, { root: d.size }), /another document catalog/],
    ['overlay-annotation (shadow overlay)', (d: TestDoc) => addAnnotation(d, 'Screen'), /\(Page\) changed \/Annots/],
  ] as const)('%s', async (_name, edit, why) => {
    const report = await verifyPdf(edit(signed()).bytes, opts);
    const s = report.signatures[0]!;
    expect(s.intact).toBe(true);
    expect(s.modification).toBe('OTHER');
    expect(s.modificationAllowed).toBe(false);
    expect(s.changes.join('\n')).toMatch(why);
    expect(report.document.verdict).toBe('INVALID');
  });

  it('removing the signature field hides the signature from the form, and is not allowed', async () => {
    const doc = signed();
    const form = { ...doc.acroForm!, fields: [] };
    const page = { ...doc.pages[0]!, annots: [] };
    const edited = appendUpdate(doc, new Map([[form.num, acroFormBody(form)], [page.num, pageBody(doc, page)]]), { acroForm: form, pages: [page, ...doc.pages.slice(1)] });
    const s = await first(edited);
    expect(s.fieldName).toBe('Sig1'); // found in the revision that had it
    expect(s.problems[0]).toMatch(/no form field/);
    expect(s.modification).toBe('OTHER');
  });

  it('replacing the value of a signed field (re-signing) is not allowed', async () => {
    const doc = signed();
    const field = doc.acroForm!.fields[0]!;
    const newSig = doc.size;
    const edited = appendUpdate(doc, new Map([
      [newSig, dict({ Type: '/Sig', Filter: '/Adobe.PPKLite', SubFilter: '/ETSI.CAdES.detached', ByteRange: '[0 0 0 0]', Contents: '<00>' })],
      [field, dict({ FT: '/Sig', T: lit('Sig1'), Type: '/Annot', Subtype: '/Widget', F: '132', Rect: '[0 0 0 0]', P: ref(doc.pages[0]!.num), V: ref(newSig) })],
    ]));
    const report = await verifyPdf(edited.bytes, opts);
    const original = report.signatures.find((s) => s.revision === 2)!;
    expect(original.modification).toBe('OTHER');
  });

  it('freeing a page content stream is not allowed', async () => {
    const s = await first(appendUpdate(signed(), new Map(), {}, { free: [3] }));
    expect(s.modification).toBe('OTHER');
    expect(s.changes.join()).toMatch(/object 3 \(stream\) removed/);
  });
});

describe('shadow and incremental-saving attacks', () => {
  it('shadow-hide: the signed page hides text under an overlay that a later revision removes', async () => {
    let base = newDocument();
    const overlay = base.size;
    const page = { ...base.pages[0]!, extra: { Contents: refs([base.pages[0]!.contents, overlay]) } };
    base = appendUpdate(base, new Map<number, Body>([[overlay, { dict: '<< >>', data: Buffer.from('1 1 1 rg 0 0 595 842 re f') }], [page.num, pageBody(base, page)]]), { pages: [page] });
    const doc = signDocument(base, pki.rsaSigner);
    const revealed = { ...doc.pages[0]!, extra: { Contents: ref(doc.pages[0]!.contents) } };
    const s = await first(appendUpdate(doc, new Map([[revealed.num, pageBody(doc, revealed)]])));
    expect(s.modification).toBe('OTHER');
    expect(s.changes.join()).toMatch(/\(Page\) changed \/Contents/);
  });

  it('shadow-hide-and-replace: only the xref changes, pointing a page object at bytes hidden in the signed revision', async () => {
    let base = newDocument();
    const shadowAt = base.bytes.length;
    const shadow = `3 0 obj\n<< /Length 44 >>\nstream\nBT /F1 18 Tf 72 760 Td (Licence REVOKED) Tj ET\nendstream\nendobj\n`;
    base = { ...base, bytes: concat(base.bytes, shadow) };
    base = appendUpdate(base, new Map([[base.info!, dict({ Producer: lit('shadow') })]]));
    const doc = signDocument(base, pki.rsaSigner);
    const prev = doc.startxref;
    const xrefAt = doc.bytes.length;
    const attack = concat(doc.bytes, `xref\n3 1\n${String(shadowAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${doc.size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    const report = await verifyPdf(attack, opts);
    const s = report.signatures[0]!;
    expect(s.intact).toBe(true);
    expect(s.modification).toBe('OTHER');
    expect(s.changes.join()).toMatch(/object 3 \(stream\) changed/);
  });

  it('dangling-reference-filled: a reference the signed revision left pointing nowhere gains an object later', async () => {
    let base = newDocument();
    const ghost = 90;
    const page = { ...base.pages[0]!, extra: { Contents: refs([base.pages[0]!.contents, ghost]) } };
    base = appendUpdate(base, new Map([[page.num, pageBody(base, page)]]), { pages: [page] });
    const doc = signDocument(base, pki.rsaSigner);
    const s = await first(appendUpdate(doc, new Map([[ghost, contentStream('Licence REVOKED')]])));
    expect(s.modification).toBe('OTHER');
    expect(s.changes.join()).toMatch(/left dangling/);
  });

  it('incremental-saving-attack without an xref: bytes after the last %%EOF are not ignored', async () => {
    const doc = signed();
    const appended = concat(doc.bytes, '3 0 obj\n<< /Length 44 >>\nstream\nBT /F1 18 Tf 72 760 Td (Licence REVOKED) Tj ET\nendstream\nendobj\n');
    const report = await verifyPdf(appended, opts);
    expect(report.document.problems[0]).toMatch(/after the last %%EOF/);
    expect(report.signatures[0]!.modification).toBe('OTHER');
    expect(report.document.verdict).toBe('INVALID');
  });

  it('a clean re-save that rewrites objects unchanged is no change at all', async () => {
    const doc = signed();
    const same = appendUpdate(doc, new Map([[doc.pagesNum, `<< /Type /Pages /Kids [${doc.pages.map((p) => ref(p.num)).join(' ')}] /Count ${doc.pages.length} >>`]]));
    const s = await first(same);
    expect(s.modification).toBe('NONE');
    expect(s.coverage).toBe('ENTIRE_REVISION');
  });
});

