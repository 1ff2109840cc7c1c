// Render time per licence (warm) and PDF size for each seeded licence type, against
// baselines measured in the same run:
//  - "pdf-lib, whole CJK font": the same face text with the whole Noto Sans CJK embedded
//    (what you get without a working subsetter: correct glyphs, ~8 MB a file);
//  - "pdf-lib, Latin-only page": one page of ASCII text in Helvetica, no font embedded
//    (pdf-lib's own floor for a one-page document).
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { newLicenceMetadata, renderLicence, SEED_EXAMPLES, SEED_LICENCE_TYPES, type LicenceMetadata, type LicenceType } from '../signer/index.ts';
import { fontProgram } from '../signer/render/cjk-font.ts';
import { measure, printTable, type Measurement } from './measure.ts';

const STATUS_URL = 'https://zw.example.gov.cn/licences/LICENCE_ID/status';

function faceLines(type: LicenceType, meta: LicenceMetadata): string[] {
  return [type.name, meta.number, ...type.schema.fields.flatMap((f) => (meta.face[f.key] ? [`${f.label} ${meta.face[f.key]}`] : [])), meta.issuer, meta.identifier];
}

async function wholeFontPdf(lines: readonly string[], font: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(font, { subset: false });
  const page = doc.addPage([595.28, 841.89]);
  lines.forEach((line, i) => page.drawText(line.slice(0, 40), { x: 40, y: 800 - i * 20, size: 11, font: f }));
  return doc.save();
}

async function latinPdf(lines: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const f = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  lines.forEach((line, i) => page.drawText(line.replace(/[^\x20-\x7e]/g, 'x').slice(0, 80), { x: 40, y: 800 - i * 20, size: 11, font: f }));
  return doc.save();
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function run(): Promise<void> {
  const rows: Measurement[] = [];
  const sizes: Array<[string, number]> = [];
  let firstLines: string[] = [];
  for (const type of SEED_LICENCE_TYPES) {
    const ex = SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
    const meta = newLicenceMetadata(type, { face: ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '2430599', number: ex.number });
    if (firstLines.length === 0) firstLines = faceLines(type, meta);
    let size = 0;
    rows.push(
      await measure(`renderLicence ${type.name}`, async () => {
        size = (await renderLicence(type, meta, { statusUrl: STATUS_URL })).pdf.length;
      }),
    );
    sizes.push([`renderLicence ${type.name}`, size]);
  }

  const font = await fontProgram('Regular');
  let wholeSize = 0;
  const whole = await measure('pdf-lib, whole CJK font (营业执照 text)', async () => {
    wholeSize = (await wholeFontPdf(firstLines, font)).length;
  }, { warmup: 1, minIterations: 3 });
  let latinSize = 0;
  const latin = await measure('pdf-lib, Latin-only page', async () => {
    latinSize = (await latinPdf(firstLines)).length;
  });
  sizes.push(['pdf-lib, whole CJK font (营业执照 text)', wholeSize], ['pdf-lib, Latin-only page', latinSize]);

  console.log('\nthroughput against the whole-font baseline:');
  printTable([...rows, whole, latin], whole);
  console.log('\nthroughput against the Latin-only floor:');
  printTable([...rows, latin], latin);
  console.log('\nPDF size:');
  const width = Math.max(...sizes.map(([n]) => n.length));
  for (const [name, n] of sizes) console.log(`${name.padEnd(width)}  ${kb(n).padStart(10)}  ${(n / wholeSize).toFixed(4)}× the whole-font PDF`);
}
