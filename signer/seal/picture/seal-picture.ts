import fontkit from '@pdf-lib/fontkit';
import { InvalidInputError } from '../../../common/index.ts';
import { subsetCjkFont } from '../../render/cjk-font.ts';
import { GlyphMissingError } from '../../render/errors.ts';
import type { SealPicture } from '../seal.ts';
import { encodePng } from './png.ts';
import { CoverageMask, circle, star, type Point, type Polygon } from './raster.ts';

export interface SealPictureOptions {
  /** 单位名称, set along the upper arc, e.g. '厦门市市场监督管理局'. 2-24 characters. */
  readonly organisation: string;
  /** 印章名称 below the star, e.g. '行政审批专用章'; none for a plain 公章. At most 10 characters. */
  readonly title?: string;
  /** Diameter in millimetres; default 42 (the common size of an official round seal). */
  readonly diameterMm?: number;
  /** Raster resolution; default 300 dpi. */
  readonly dpi?: number;
}

/** A drawn seal: the PNG and its size. */
export interface DrawnSealPicture extends SealPicture {
  readonly widthPx: number;
  readonly heightPx: number;
}

/** Seal red, sRGB. */
const RED: readonly [number, number, number] = [222, 20, 24];
const CURVE_STEPS = 8;

interface GlyphLike {
  advanceWidth: number;
  path: { commands: Array<{ command: string; args: number[] }> };
}

/** Flattens a glyph outline (font units, y up) into polygons through `map`. */
function glyphPolygons(glyph: GlyphLike, map: (x: number, y: number) => Point): Polygon[] {
  const polys: Point[][] = [];
  let current: Point[] = [];
  let pen: [number, number] = [0, 0];
  const close = () => {
    if (current.length > 2) polys.push(current);
    current = [];
  };
  for (const { command, args } of glyph.path.commands) {
    if (command === 'moveTo') {
      close();
      pen = [args[0]!, args[1]!];
      current.push(map(...pen));
    } else if (command === 'lineTo') {
      pen = [args[0]!, args[1]!];
      current.push(map(...pen));
    } else if (command === 'quadraticCurveTo') {
      const [cx, cy, x, y] = args as [number, number, number, number];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS;
        const u = 1 - t;
        current.push(map(u * u * pen[0] + 2 * u * t * cx + t * t * x, u * u * pen[1] + 2 * u * t * cy + t * t * y));
      }
      pen = [x, y];
    } else if (command === 'bezierCurveTo') {
      const [c1x, c1y, c2x, c2y, x, y] = args as [number, number, number, number, number, number];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS;
        const u = 1 - t;
        current.push(
          map(
            u * u * u * pen[0] + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * x,
            u * u * u * pen[1] + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * y,
          ),
        );
      }
      pen = [x, y];
    } else if (command === 'closePath') {
      close();
    }
  }
  close();
  return polys;
}

/**
 * Draws a red round official seal as a PNG with a transparent background: a ring, the
 * organisation's name along the upper arc, a five-pointed star in the centre, and the
 * seal's title straight below it. Pure TypeScript: glyph outlines come from the bundled
 * Noto Sans CJK (Bold) through fontkit, a small anti-aliasing rasteriser fills them, and
 * node:zlib compresses the PNG. Deterministic for the same options.
 *
 * @throws `InvalidInputError` for an empty or too long organisation or title;
 * `GlyphMissingError` for characters the font lacks.
 * @example
 * const picture = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
 */
export async function drawSealPicture(options: SealPictureOptions): Promise<DrawnSealPicture> {
  const { organisation, title = '', diameterMm = 42, dpi = 300 } = options;
  const orgChars = [...organisation];
  const titleChars = [...title];
  if (orgChars.length < 2 || orgChars.length > 24) throw new InvalidInputError({ field: 'organisation', message: 'organisation: 2-24 characters' });
  if (titleChars.length > 10) throw new InvalidInputError({ field: 'title', message: 'title: at most 10 characters' });
  if (!(diameterMm >= 10 && diameterMm <= 100) || !(dpi >= 72 && dpi <= 1200))
    throw new InvalidInputError({ field: 'diameterMm', message: 'diameterMm must be 10-100 and dpi 72-1200' });

  const subset = await subsetCjkFont('Bold', organisation + title, { dropHints: true });
  if (subset.missing.length > 0) {
    const field = subset.missing.some((c) => organisation.includes(c)) ? 'organisation' : 'title';
    throw new GlyphMissingError({ field, characters: subset.missing });
  }
  const font = fontkit.create(Buffer.from(subset.otf));
  const upm = font.unitsPerEm;
  const glyphOf = (ch: string) => font.glyphForCodePoint(ch.codePointAt(0)!) as unknown as GlyphLike;

  const size = Math.round((diameterMm / 25.4) * dpi);
  const c = size / 2;
  const R = size / 2 - 1; // keep the ring off the picture's edge
  const mask = new CoverageMask(size, size);

  // Ring: outer circle counter-clockwise, inner clockwise, so nonzero leaves a band.
  const ring = R * 0.055;
  mask.fill([circle(c, c, R), circle(c, c, R - ring, true)]);
  mask.fill([star(c, c, R * 0.3)]);

  // Organisation along the upper arc, each glyph upright to the circle, reading clockwise.
  const em = R * 0.24;
  const rText = R - ring - R * 0.05 - em / 2;
  const maxSpan = (Math.PI * 4) / 3; // 240°
  const step = Math.min((em * 1.05) / rText, maxSpan / Math.max(1, orgChars.length - 1));
  const squeeze = Math.min(1, (step * rText) / (em * 0.98)); // narrow the glyphs when the arc is crowded
  const first = (-step * (orgChars.length - 1)) / 2;
  orgChars.forEach((ch, i) => {
    const phi = first + i * step;
    const [sin, cos] = [Math.sin(phi), Math.cos(phi)];
    const ax = c + rText * sin;
    const ay = c - rText * cos;
    const g = glyphOf(ch);
    const s = em / upm;
    mask.fill(
      glyphPolygons(g, (gx, gy) => {
        const lx = (gx - g.advanceWidth / 2) * s * squeeze;
        const ly = -(gy - upm * 0.38) * s; // 0.38 em: middle of the ideographic em box above the baseline
        return [ax + lx * cos - ly * sin, ay + lx * sin + ly * cos];
      }),
    );
  });

  // Title straight below the star.
  if (titleChars.length > 0) {
    const tEm = Math.min(R * 0.17, (R * 1.3) / titleChars.length);
    const s = tEm / upm;
    const total = titleChars.reduce((w, ch) => w + glyphOf(ch).advanceWidth * s, 0);
    let x = c - total / 2;
    const baseline = c + R * 0.55;
    for (const ch of titleChars) {
      const g = glyphOf(ch);
      const x0 = x;
      mask.fill(glyphPolygons(g, (gx, gy) => [x0 + gx * s, baseline - gy * s]));
      x += g.advanceWidth * s;
    }
  }

  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const a = Math.round(mask.coverage[i]! * 255);
    if (a === 0) continue;
    rgba.set([RED[0], RED[1], RED[2], a], i * 4);
  }
  return { type: 'PNG', data: encodePng(rgba, size, size, dpi), widthMm: diameterMm, heightMm: diameterMm, widthPx: size, heightPx: size };
}
