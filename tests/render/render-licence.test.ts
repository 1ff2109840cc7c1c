import fs from 'node:fs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, decodePDFRawStream } from 'pdf-lib';
import jsQRModule from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUSINESS_LICENCE,
  GlyphMissingError,
  LayoutOverflowError,
  newLicenceMetadata,
  renderLicence,
  SEED_EXAMPLES,
  SEED_LICENCE_TYPES,
  type LicenceMetadata,
  type LicenceType,
  type RenderedLicence,
} from '../../signer/index.ts';
import { faceText } from '../../signer/render/face-text.ts';
import { rasterise, run, tempPdf } from '../support/pdf-tools.ts';
import { skipWithout, type Tool } from '../support/tools.ts';

// jsqr is CommonJS; under NodeNext its typed default export sits on `.default`.
const jsQR = jsQRModule.default;
const STATUS_URL = 'https://zw.example.gov.cn/licences/LICENCE_ID/status';
const POPPLER: readonly Tool[] = ['pdftotext', 'pdffonts', 'pdfinfo', 'pdftoppm', 'pdfdetach'];
const noPoppler = skipWithout('tests/render/render-licence', ...POPPLER);

function metadataFor(type: LicenceType, face?: Record<string, string>): LicenceMetadata {
  const ex = SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
  return newLicenceMetadata(type, { face: face ?? ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '2430599', number: ex.number });
}

const squash = (s: string) => s.replace(/\s+/g, '');

describe.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('renderLicence: %s', (_name, type) => {
  let meta: LicenceMetadata;
  let rendered: RenderedLicence;
  let file: string;

  beforeAll(async () => {
    meta = metadataFor(type);
    rendered = await renderLicence(type, meta, { statusUrl: STATUS_URL });
    file = tempPdf(rendered.pdf);
  });

  it('stays far under 300 KB', () => {
    expect(rendered.pdf.length).toBeLessThan(300 * 1024);
  });

  it('is deterministic: the same inputs give the same bytes', async () => {
    const again = await renderLicence(type, meta, { statusUrl: STATUS_URL });
    expect(Buffer.compare(Buffer.from(again.pdf), Buffer.from(rendered.pdf))).toBe(0);
  });

  it('reserves a seal rectangle inside the page', () => {
    const { sealRect, pageSize } = rendered;
    expect(sealRect.pageIndex).toBe(0);
    expect(sealRect.width).toBeGreaterThan(100);
    expect(sealRect.x).toBeGreaterThan(0);
    expect(sealRect.y).toBeGreaterThan(0);
    expect(sealRect.x + sealRect.width).toBeLessThan(pageSize.width);
    expect(sealRect.y + sealRect.height).toBeLessThan(pageSize.height);
  });

  it('carries the GB/T 36903 metadata as licence.json, an associated file with /AFRelationship /Data', async () => {
    const doc = await PDFDocument.load(rendered.pdf);
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    const spec = af.lookup(0, PDFDict);
    expect(spec.get(PDFName.of('AFRelationship'))).toEqual(PDFName.of('Data'));
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'), PDFStream) as PDFRawStream;
    const json = JSON.parse(new TextDecoder().decode(decodePDFRawStream(stream).decode()));
    expect(json).toEqual({ version: 1, standard: 'GB/T 36903-2018', licence: meta });
  });

  it('carries the metadata as XMP in the catalog', async () => {
    const doc = await PDFDocument.load(rendered.pdf);
    const stream = doc.catalog.lookup(PDFName.of('Metadata'), PDFStream) as PDFRawStream;
    expect(stream.dict.get(PDFName.of('Subtype'))).toEqual(PDFName.of('XML'));
    const xmp = new TextDecoder().decode(stream.getContents());
    expect(xmp).toContain(`<dc:identifier>${meta.identifier}</dc:identifier>`);
    expect(xmp).toContain(`<zyl:holderCode>${meta.holderCode}</zyl:holderCode>`);
    expect(xmp).toContain(`<zyl:issuer>${meta.issuer}</zyl:issuer>`);
    for (const [k, v] of Object.entries(meta.face)) expect(xmp).toContain(`<zyl:${k}>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</zyl:${k}>`);
  });

  describe.skipIf(noPoppler)('as poppler sees it', () => {
    it('pdftotext extracts every face value, the issuer, the dates and the identifier in Chinese', () => {
      const text = squash(run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout);
      // Spread labels (名　　称) come out whole only in reading-by-layout mode.
      const layoutText = run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).stdout.replace(/[ \u3000\u2002]+/g, '');
      for (const field of type.schema.fields) {
        const v = meta.face[field.key];
        if (v === undefined) continue;
        expect(text, field.key).toContain(squash(faceText(field, v)));
        expect(layoutText, field.label).toContain(field.label);
      }
      expect(text).toContain(type.name.split('').join(''));
      expect(text).toContain(meta.issuer);
      expect(text).toContain('2024年03月15日');
      expect(text).toContain(meta.identifier);
    });

    it('pdffonts: every font an embedded, subset, Unicode-mapped CID Type 0C, with no warning', () => {
      const { stdout, stderr } = run('pdffonts', [file]);
      expect(stderr).toBe('');
      const rows = stdout.trim().split('\n').slice(2);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSansHans-\w+\s+CID Type 0C\s+Identity-H\s+yes yes yes /);
    });

    it('pdfinfo: one A4 page, the metadata stream, and the title', () => {
      const { stdout } = run('pdfinfo', ['-enc', 'UTF-8', file]);
      expect(stdout).toMatch(/Pages:\s+1\n/);
      expect(stdout).toMatch(/Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/);
      expect(stdout).toMatch(/Metadata Stream:\s+yes/);
      expect(stdout).toContain(`Title:           ${meta.name} ${meta.number}`);
    });

    it('pdfdetach lists and extracts licence.json', () => {
      expect(run('pdfdetach', ['-list', file]).stdout).toMatch(/1: licence\.json/);
      const out = `${file}.json`;
      run('pdfdetach', ['-save', '1', '-o', out, file]);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).licence.identifier).toBe(meta.identifier);
    });

    it('pdftoppm draws the title glyphs (a CID/GID mix-up renders them blank) and prints no warning', () => {
      const dpi = 50;
      const px = (mm: number) => Math.round((mm * dpi) / 25.4);
      const t = type.layout.title;
      const half = (t.size * 0.3528 * [...type.name].length * 1.6) / 2; // mm either side of a centred title
      const box = { x: px(t.x - half), y: px(t.y), w: px(2 * half), h: px((t.size * 0.3528) | 0) };
      const raster = rasterise(file, dpi, { crop: box });
      const ink = raster.pixels.filter((v) => v < 128).length;
      expect(ink / raster.pixels.length).toBeGreaterThan(0.05);
      expect(run('pdftoppm', ['-r', '10', '-png', file, `${file}-thumb`]).stderr).toBe('');
    });

    it('the QR code decodes (jsQR on the pdftoppm raster) to the status URL', () => {
      const dpi = 200;
      const q = type.layout.qr;
      const px = (mm: number) => Math.round((mm * dpi) / 25.4);
      const raster = rasterise(file, dpi, { crop: { x: px(q.x - 2), y: px(q.y - 2), w: px(q.size + 4), h: px(q.size + 4) } });
      const rgba = new Uint8ClampedArray(raster.width * raster.height * 4);
      raster.pixels.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
      expect(jsQR(rgba, raster.width, raster.height)?.data).toBe(STATUS_URL);
    });

    it.skipIf(skipWithout('tests/render/render-licence', 'qpdf'))('qpdf --check finds no damage', () => {
      expect(run('qpdf', ['--check', file]).stdout).toMatch(/No syntax or stream encoding errors found/);
    });
  });
});

describe('renderLicence: fit and failure', () => {
  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s: every text field at its maximum length of the widest glyph still fits', async (_name, type) => {
    const ex = SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
    const face: Record<string, string> = { ...ex.face };
    for (const f of type.schema.fields) if (f.kind === 'text' || f.kind === 'multiline') face[f.key] = '国'.repeat(f.maxLength);
    const meta = metadataFor(type, face);
    const { pdf } = await renderLicence(type, meta, { statusUrl: STATUS_URL });
    expect(pdf.length).toBeLessThan(300 * 1024);
  });

  it('throws LayoutOverflowError naming the field when a value cannot fit its layout', async () => {
    const cramped: LicenceType = {
      ...BUSINESS_LICENCE,
      layout: { ...BUSINESS_LICENCE.layout, fields: BUSINESS_LICENCE.layout.fields.map((p) => (p.field === 'businessScope' ? { ...p, maxLines: 1, minSize: p.size } : p)) },
    };
    await expect(renderLicence(cramped, metadataFor(BUSINESS_LICENCE), { statusUrl: STATUS_URL })).rejects.toMatchObject({
      name: LayoutOverflowError.name,
      code: 'LAYOUT_OVERFLOW',
      field: 'businessScope',
    });
  });

  it('throws GlyphMissingError naming the field and the characters the font lacks', async () => {
    const ex = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!;
    const meta = metadataFor(BUSINESS_LICENCE, { ...ex.face, legalRepresentative: '陈𠀀明' });
    await expect(renderLicence(BUSINESS_LICENCE, meta, { statusUrl: STATUS_URL })).rejects.toMatchObject({
      name: GlyphMissingError.name,
      code: 'GLYPH_MISSING',
      field: 'legalRepresentative',
      characters: ['𠀀'],
    });
  });

  it.each(['not a url', 'ftp://zw.example/licences/1', '/licences/1'])('rejects the status URL %j', async (statusUrl) => {
    await expect(renderLicence(BUSINESS_LICENCE, metadataFor(BUSINESS_LICENCE), { statusUrl })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'statusUrl' });
  });

  it('rejects metadata of another licence type', async () => {
    await expect(renderLicence(SEED_LICENCE_TYPES[1]!, metadataFor(BUSINESS_LICENCE), { statusUrl: STATUS_URL })).rejects.toMatchObject({ field: 'typeCode' });
  });
});

describe('renderLicence with joint seals', () => {
  it('holds an empty signature field for every seal at its place: the issuer’s, the type’s joint place, then a row leftwards', async () => {
    const type = BUSINESS_LICENCE;
    const { pdf, sealRect, jointSealRects, sealFields } = await renderLicence(type, metadataFor(type), { statusUrl: STATUS_URL, jointSeals: 2 });

    expect(sealFields).toEqual(['Seal1', 'Seal2', 'Seal3']);
    const mm = 72 / 25.4;
    expect(jointSealRects[0]!.x).toBeCloseTo(type.layout.jointSeals![0]!.x * mm, 6);
    expect(jointSealRects[1]!.x + jointSealRects[1]!.width).toBeLessThan(jointSealRects[0]!.x);
    const doc = await PDFDocument.load(pdf);
    const fields = doc.getForm().getFields().map((field) => field.acroField.dict);
    expect(fields.map((d) => d.lookup(PDFName.of('FT')))).toEqual([PDFName.of('Sig'), PDFName.of('Sig'), PDFName.of('Sig')]);
    expect(fields.every((d) => d.get(PDFName.of('V')) === undefined)).toBe(true);
    const rects = fields.map((d) => d.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => Number(n.toString())));
    expect(rects).toEqual([sealRect, ...jointSealRects].map((r) => [r.x, r.y, r.x + r.width, r.y + r.height]));
    expect(doc.getPage(0).node.Annots()?.size()).toBe(3);
  });

  it('adds no form without joint seals', async () => {
    const { pdf, sealFields, jointSealRects } = await renderLicence(BUSINESS_LICENCE, metadataFor(BUSINESS_LICENCE), { statusUrl: STATUS_URL });
    expect([sealFields, jointSealRects]).toEqual([[], []]);
    expect((await PDFDocument.load(pdf)).catalog.get(PDFName.of('AcroForm'))).toBeUndefined();
  });
});
