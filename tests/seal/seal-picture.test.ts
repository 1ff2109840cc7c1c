import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawSealPicture, GlyphMissingError, type DrawnSealPicture } from '../../signer/index.ts';
import { subsetCjkFont } from '../../signer/render/cjk-font.ts';
import { rasterise, tempPdf } from '../support/pdf-tools.ts';
import { skipWithout } from '../support/tools.ts';

const noPdftoppm = skipWithout('tests/seal/seal-picture (raster checks)', 'pdftoppm');

describe('drawSealPicture', () => {
  let picture: DrawnSealPicture;

  beforeAll(async () => {
    picture = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
  });

  it('is a 42 mm PNG at 300 dpi: RGBA, 496 px square, with the resolution recorded', () => {
    const png = Buffer.from(picture.data);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([496, 496, 8, 6]);
    expect(png.indexOf('pHYs')).toBeGreaterThan(0);
    expect(png.readUInt32BE(png.indexOf('pHYs') + 4)).toBe(Math.round(300 / 0.0254));
    expect([picture.widthMm, picture.heightMm, picture.type]).toEqual([42, 42, 'PNG']);
    expect(picture.data.length).toBeLessThan(80 * 1024);
  });

  it('is deterministic', async () => {
    const again = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
    expect(Buffer.from(again.data).equals(Buffer.from(picture.data))).toBe(true);
  });

  it.skipIf(noPdftoppm)('decoded and drawn on white by another decoder: red ring, red star, white outside the circle', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 200]);
    page.drawImage(await doc.embedPng(picture.data), { x: 0, y: 0, width: 200, height: 200 });
    const file = tempPdf(await doc.save(), 'seal.pdf');
    // 72 dpi: one pixel per point, 200 x 200, RGB.
    const px = rasterise(file, 72, { colour: true }).pixel;
    const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 90 && b! < 90;
    const isWhite = ([r, g, b]: number[]) => r! > 240 && g! > 240 && b! > 240;
    expect(isRed(px(100, 100)), 'star centre').toBe(true);
    expect(isRed(px(100, 2)), 'ring at the top').toBe(true);
    expect(isRed(px(2, 100)), 'ring at the left').toBe(true);
    expect(isWhite(px(3, 3)), 'corner outside the circle').toBe(true);
    expect(isWhite(px(197, 197)), 'other corner').toBe(true);
    const redIn = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (isRed(px(x, y))) n++;
      return n / ((x1 - x0) * (y1 - y0));
    };
    expect(redIn(70, 14, 130, 40), 'organisation name along the top arc').toBeGreaterThan(0.1);
    expect(redIn(45, 140, 155, 156), 'title below the star').toBeGreaterThan(0.1);
    expect(redIn(60, 126, 140, 137), 'space between star and title').toBe(0);
  });

  it('draws the first character of the arc: fontkit misread glyph 1 of a subroutinized subset (厦 vanished)', async () => {
    const subset = await subsetCjkFont('Bold', '厦门市市场监督管理局', { dropHints: true });
    const face = fontkit.create(Buffer.from(subset.otf));
    for (const ch of '厦门市场监督管理局') {
      const glyph = face.glyphForCodePoint(ch.codePointAt(0)!) as unknown as { path: { commands: Array<{ args: number[] }> } };
      expect(glyph.path.commands.flatMap((c) => c.args).every(Number.isFinite), ch).toBe(true);
    }
  });

  it('sizes to the diameter and resolution asked for', async () => {
    const small = await drawSealPicture({ organisation: '厦门市不动产登记中心', diameterMm: 38, dpi: 150 });
    expect([small.widthPx, small.widthMm]).toEqual([Math.round((38 / 25.4) * 150), 38]);
  });

  it.each([
    ['organisation', { organisation: '厦' }],
    ['organisation', { organisation: '厦'.repeat(25) }],
    ['title', { organisation: '厦门市', title: '章'.repeat(11) }],
    ['diameterMm', { organisation: '厦门市', diameterMm: 5 }],
  ])('rejects a bad %s', async (field, options) => {
    await expect(drawSealPicture(options)).rejects.toMatchObject({ code: 'INVALID_INPUT', field });
  });

  it('names the characters the font lacks', async () => {
    await expect(drawSealPicture({ organisation: '厦门𠀀公司' })).rejects.toMatchObject({ name: GlyphMissingError.name, field: 'organisation', characters: ['𠀀'] });
  });
});
