/**
 * Reading every revision and every signature (issue #3, Deliver 1): classic xref tables,
 * xref streams, object streams, hybrid files, linearized files; signature fields through the
 * form (nested, inherited /FT), signature dictionaries outside the form, document
 * time-stamps.
 */
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../../verifier/index.ts';
import { appendUpdate, dict, lit, newDocument, ref, refs, utf16, type XrefKind } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { adopt, qpdf } from './support/qpdf.ts';
import { fillSignature, signatureDictionary, signDocument, timestampDocument } from './support/sign.ts';
import { buildCms } from './support/cms.ts';
import { skipWithout } from '../support/tools.ts';

const noQpdf = skipWithout('tests/verifier/parsing (qpdf-written files)', 'qpdf');
const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };

describe('cross-reference forms (ISO 32000-1 §7.5)', () => {
  it.each([
    ['classic xref tables', 'table', false],
    ['xref streams', 'stream', false],
    ['xref streams with object streams', 'stream', true],
    ['hybrid files (table + /XRefStm)', 'hybrid', true],
  ] as const)('%s: two signatures, each judged against its own revision', async (_name, xref: XrefKind, compress) => {
    let doc = newDocument({ xref, compress });
    doc = signDocument(doc, pki.rsaSigner);
    doc = signDocument(doc, pki.p256Signer);
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.document.revisions).toBe(3);
    expect(report.document.verdict).toBe('VALID');
    expect(report.signatures.map((s) => [s.fieldName, s.revision, s.coverage, s.modification])).toEqual([
      ['Sig1', 2, 'ENTIRE_REVISION', 'FORM_FILLING'],
      ['Sig2', 3, 'ENTIRE_FILE', 'NONE'],
    ]);
  });

  it('a later update that rewrites the form inside an object stream is still judged object by object', async () => {
    let doc = signDocument(newDocument({ xref: 'stream' }), pki.rsaSigner, { update: { xref: 'stream' } });
    doc = signDocument(doc, pki.p384Signer, { hash: 'sha384', update: { xref: 'stream', compress: [doc.catalog.num, doc.acroForm!.num, doc.pages[0]!.num] } });
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.signatures[0]!.modification).toBe('FORM_FILLING');
    expect(report.document.verdict).toBe('VALID');
  });

  it.skipIf(noQpdf)('a file written by qpdf with xref and object streams, signed twice incrementally', async () => {
    const base = adopt(qpdf(newDocument({ pages: 2 }).bytes, ['--object-streams=generate']));
    expect(base.xref).toBe('stream');
    let doc = signDocument(base, pki.rsaSigner, { update: { xref: 'stream' } });
    doc = signDocument(doc, pki.p256Signer, { update: { xref: 'table' } });
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures[0]!.modification).toBe('FORM_FILLING');
  });

  it.skipIf(noQpdf)('a linearized file (first-page and main xref in one revision), then signed', async () => {
    const base = adopt(qpdf(newDocument({ pages: 3 }).bytes, ['--linearize']));
    const doc = signDocument(base, pki.rsaSigner);
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.document.revisions).toBe(2);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', coverage: 'ENTIRE_FILE', revision: 2 });
  });
});

describe('finding signatures', () => {
  it('walks nested fields and inherits /FT from the parent (§12.7.3.1)', async () => {
    let doc = newDocument();
    const [parent, kid, sig] = [doc.size, doc.size + 1, doc.size + 2];
    const page = { ...doc.pages[0]!, annots: [kid] };
    const form = { num: doc.size + 3, fields: [parent], extra: {} };
    doc = appendUpdate(doc, new Map([
      [parent, dict({ FT: '/Sig', T: utf16('印章'), Kids: refs([kid]) })],
      [kid, dict({ T: lit('Seal1'), Parent: ref(parent), Type: '/Annot', Subtype: '/Widget', Rect: '[0 0 0 0]', P: ref(page.num), V: ref(sig) })],
      [sig, signatureDictionary({ type: 'Sig', subFilter: 'ETSI.CAdES.detached' })],
      [form.num, dict({ Fields: refs([parent]), SigFlags: '3' })],
      [1, dict({ Type: '/Catalog', Pages: ref(2), AcroForm: ref(form.num) })],
      [page.num, dict({ Type: '/Page', Parent: ref(2), MediaBox: '[0 0 595 842]', Contents: ref(page.contents), Resources: '<< /Font << /F1 4 0 R >> >>', Annots: refs([kid]) })],
    ]), { acroForm: form, pages: [page] });
    doc = fillSignature(doc, (covered) => buildCms({ signer: pki.rsaSigner, content: covered }));
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.fieldName).toBe('印章.Seal1');
    expect(s!.indication).toBe('TOTAL_PASSED');
  });

  it('finds a signature dictionary no field points to, and says so', async () => {
    let doc = newDocument();
    const sigNum = doc.size;
    doc = appendUpdate(doc, new Map([[sigNum, signatureDictionary({ type: 'Sig', subFilter: 'ETSI.CAdES.detached' })]]));
    doc = fillSignature(doc, (covered) => buildCms({ signer: pki.rsaSigner, content: covered }));
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]!.fieldName).toBeNull();
    expect(report.signatures[0]!.intact).toBe(true);
    expect(report.signatures[0]!.problems[0]).toMatch(/no form field/);
  });

  it('finds document time-stamps (ETSI.RFC3161) apart from signatures', async () => {
    const doc = timestampDocument(signDocument(newDocument(), pki.rsaSigner), pki.tsa, new Date(T0.getTime() - 3_600_000));
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.document.signatureCount).toBe(1);
    expect(report.document.documentTimestampCount).toBe(1);
    expect(report.signatures.map((s) => s.kind)).toEqual(['SIGNATURE', 'DOCUMENT_TIMESTAMP']);
  });

  it('says UNSIGNED for a file without signatures, and reads its revisions', async () => {
    let doc = newDocument();
    doc = appendUpdate(doc, new Map([[doc.info!, dict({ Producer: lit('edited') })]]));
    const report = await verifyPdf(doc.bytes, opts);
    expect(report.document).toMatchObject({ verdict: 'UNSIGNED', revisions: 2, signatureCount: 0 });
  });
});
