import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { chineseDate, newLicenceMetadata, renderLicence, renderPrintFile, SEED_EXAMPLES, SEED_LICENCE_TYPES } from '../../signer/index.ts';
import { faceText } from '../../signer/render/face-text.ts';
import { run, tempPdf } from '../support/pdf-tools.ts';
import { skipWithout } from '../support/tools.ts';

const STATUS_URL = 'https://zw.example.gov.cn/licences/PAGE_TOKEN';
const noPoppler = skipWithout('tests/render/print-file', 'pdftotext');
const squash = (s: string) => s.replace(/\s+/g, '');

describe.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('renderPrintFile: %s', (_name, type) => {
  const ex = SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
  const meta = newLicenceMetadata(type, { face: ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '2430599', number: ex.number });

  it('has no signature fields, and is smaller than the full face', async () => {
    const print = await renderPrintFile(type, meta, { statusUrl: STATUS_URL });
    const full = await renderLicence(type, meta, { statusUrl: STATUS_URL, jointSeals: 1 });
    expect((await PDFDocument.load(print)).catalog.get(PDFName.of('AcroForm'))).toBeUndefined();
    expect(print.length).toBeLessThan(full.pdf.length);
  });

  it.skipIf(noPoppler)('prints only what differs per licence: every value, the issuer, the date, number and identifier; no title, no labels', async () => {
    const text = squash(run('pdftotext', ['-enc', 'UTF-8', tempPdf(await renderPrintFile(type, meta, { statusUrl: STATUS_URL }), 'print.pdf'), '-']).stdout);
    const { layout } = type;
    const printed = [
      ...type.schema.fields.flatMap((f) => (meta.face[f.key] === undefined ? [] : [faceText(f, meta.face[f.key]!)])),
      (layout.issuer.prefix ?? '') + meta.issuer,
      (layout.issueDate.prefix ?? '') + chineseDate(meta.issueDate),
      (layout.identifier.prefix ?? '') + meta.identifier,
      ...(layout.number ? [(layout.number.prefix ?? '') + meta.number] : []),
      ...(layout.qr.caption ? [layout.qr.caption] : []),
    ].map(squash);
    for (const value of printed) expect(text).toContain(value);
    // Take every expected piece away, longest first: nothing else (a title, a label) is left.
    const rest = [...printed].sort((a, b) => b.length - a.length).reduce((t, v) => t.replace(v, ''), text);
    expect(rest).toBe('');
  });
});
