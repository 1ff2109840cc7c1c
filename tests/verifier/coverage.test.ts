/**
 * /ByteRange attacks (issue #3, Deliver 2 and the attack list): a signature that leaves
 * bytes of its revision outside the signed ranges is a coverage failure, whatever its CMS
 * says — including signature wrapping (Mladenov et al., "1 Trillion Dollar Refund", 2019).
 */
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../../verifier/index.ts';
import { concat, lastOffsetOf, offsetOf } from './support/bytes.ts';
import { appendUpdate, dict, lit, ref, type TestDoc } from './support/pdf-writer.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };

async function only(bytes: Uint8Array) {
  const report = await verifyPdf(bytes, opts);
  return { report, sig: report.signatures[0]! };
}

describe('ByteRange sanity', () => {
  it('accepts a range that covers its whole revision (control)', async () => {
    const { sig } = await only(signDocument(newDocument(), pki.rsaSigner).bytes);
    expect(sig.coverage).toBe('ENTIRE_FILE');
    expect(sig.indication).toBe('TOTAL_PASSED');
  });

  it.each([
    ['byterange-tail-uncovered: the last bytes of the revision are not signed', { tail: 30 }, 'CONTIGUOUS_BLOCK_FROM_START'],
    ['byterange-gap-too-wide: the gap swallows bytes before /Contents', { gapStart: -12 }, 'UNCLEAR'],
    ['byterange-gap-too-narrow: the gap ends inside /Contents', { gapEnd: -40 }, 'UNCLEAR'],
    ['byterange-not-from-zero: the range starts after byte 0', { first: 9 }, 'UNCLEAR'],
  ] as const)('%s', async (_name, tamper, coverage) => {
    const { report, sig } = await only(signDocument(newDocument(), pki.rsaSigner, { tamper }).bytes);
    expect(sig.coverage).toBe(coverage);
    expect(sig.indication).toBe('TOTAL_FAILED');
    expect(sig.subIndication).toBe('FORMAT_FAILURE');
    expect(report.document.verdict).toBe('INVALID');
  });

  it('signature-dict-in-unsigned-revision: a copied signature dictionary in a later revision fails', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner);
    // Copy Sig1's /ByteRange and /Contents into a new field of a new, unsigned revision.
    const text = Buffer.from(signed.bytes).toString('latin1');
    const byteRange = /\/ByteRange (\[[0-9 ]+\])/.exec(text)![1]!;
    const contents = /\/Contents (<[0-9A-F]+>)/.exec(text)![1]!;
    const [sigNum, fieldNum] = [signed.size, signed.size + 1];
    const form = { ...signed.acroForm!, fields: [...signed.acroForm!.fields, fieldNum] };
    const page = { ...signed.pages[0]!, annots: [...signed.pages[0]!.annots, fieldNum] };
    const objects = new Map([
      [sigNum, dict({ Type: '/Sig', Filter: '/Adobe.PPKLite', SubFilter: '/ETSI.CAdES.detached', ByteRange: byteRange, Contents: contents })],
      [fieldNum, dict({ FT: '/Sig', T: lit('Forged'), Type: '/Annot', Subtype: '/Widget', Rect: '[0 0 0 0]', P: ref(page.num), V: ref(sigNum) })],
      [form.num, dict({ Fields: `[${form.fields.map(ref).join(' ')}]`, SigFlags: '3' })],
      [page.num, pageDict(signed, page.annots)],
    ]);
    const forged = appendUpdate(signed, objects, { acroForm: form, pages: [page] });
    const report = await verifyPdf(forged.bytes, opts);
    const copy = report.signatures.find((s) => s.fieldName === 'Forged')!;
    expect(copy.coverage).toBe('UNCLEAR');
    expect(copy.subIndication).toBe('FORMAT_FAILURE');
    expect(copy.problems.join(' ')).toMatch(/gap/);
    expect(report.document.verdict).toBe('INVALID');
  });

  it('signature-wrapping: objects hidden in a shrunk /Contents and reached by an appended xref', async () => {
    const signed = signDocument(newDocument({ text: 'Licence valid until 2030' }), pki.rsaSigner).bytes;
    const open = lastOffsetOf(signed, '/Contents <') + '/Contents '.length;
    const close = offsetOf(signed, '>', open) + 1;
    // The CMS is as long as its outer DER SEQUENCE says: stripping the zero padding instead
    // would also cut a signature value that happens to end in a zero nibble (1 run in 16).
    const contents = Buffer.from(Buffer.from(signed.subarray(open + 1, close - 1)).toString('latin1'), 'hex');
    const cmsHex = contents.subarray(0, derLength(contents)).toString('hex');
    // The new gap: the real CMS, then — hidden in a literal string, so the signature dictionary
    // still parses — a replacement page and content stream for the appended xref to point at.
    const head = `<${cmsHex}> /X (`;
    const content = 'BT /F1 18 Tf 72 760 Td (Licence REVOKED) Tj ET';
    const pageAt = open + head.length;
    const pageObj = `5 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 99 0 R /Resources << /Font << /F1 4 0 R >> >> >>\nendobj\n`;
    const contentAt = pageAt + pageObj.length;
    const contentObj = `99 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
    const gap = `${head}${pageObj}${contentObj}`.padEnd(close - open - 1, ' ') + ')';
    expect(gap.length).toBe(close - open);
    const wrapped = concat(signed.subarray(0, open), gap, signed.subarray(close));
    const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(Buffer.from(signed).toString('latin1'))![1]);
    const xrefAt = wrapped.length;
    const xref = `xref\n5 1\n${String(pageAt).padStart(10, '0')} 00000 n \n99 1\n${String(contentAt).padStart(10, '0')} 00000 n \n` +
      `trailer\n<< /Size 100 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const attacked = concat(wrapped, xref);

    const report = await verifyPdf(attacked, opts);
    const sig = report.signatures[0]!;
    expect(sig.intact).toBe(true); // the signed bytes themselves are untouched …
    expect(sig.coverage).toBe('UNCLEAR'); // … but the gap is no longer just /Contents
    expect(sig.indication).toBe('TOTAL_FAILED');
    expect(sig.subIndication).toBe('FORMAT_FAILURE');
    expect(sig.modification).toBe('OTHER'); // and the appended xref swapped the page
    expect(report.document.verdict).toBe('INVALID');
  });
});

function pageDict(doc: TestDoc, annots: readonly number[]): string {
  const page = doc.pages[0]!;
  return dict({ Type: '/Page', Parent: ref(doc.pagesNum), MediaBox: '[0 0 595 842]', Contents: ref(page.contents), Resources: '<< /Font << /F1 4 0 R >> >>', Annots: `[${annots.map(ref).join(' ')}]` });
}

/** Total length (header included) of the DER element at the start of `der`. */
function derLength(der: Uint8Array): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
  return 2 + n + length;
}
