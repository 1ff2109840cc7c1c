import { deflateSync } from 'node:zlib';
import { PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import type { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { hash } from '../cms/algorithms.ts';
import { InvalidSignOptionError } from './errors.ts';
import { UPNG, type UpngImage } from '../pdf/upng.ts';

/** A decoded seal picture, ready to become image XObjects: colour and alpha planes, deflated. */
export interface SealImage {
  /** Pixels across and down. */
  readonly width: number;
  readonly height: number;
  /** DeviceRGB samples, 8 bits, FlateDecode-compressed. */
  readonly rgb: Uint8Array;
  /** DeviceGray soft-mask samples, FlateDecode-compressed; absent when the picture is opaque. */
  readonly alpha: Uint8Array | undefined;
}

const cache = new Map<string, SealImage>();
const CACHE_SIZE = 32;

/**
 * Decodes a PNG seal picture (any colour type and depth; transparency from alpha or tRNS)
 * into RGB and alpha planes. Decoding and compressing cost far more than signing, and a
 * department applies the same seal all day, so results are cached by the PNG's hash.
 * @throws {@link InvalidSignOptionError} `image` is not a single-frame PNG.
 */
export function sealImage(png: Uint8Array): SealImage {
  const key = hash('SHA-256', png).toString('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  let decoded: UpngImage;
  let rgba: Uint8Array;
  try {
    decoded = UPNG.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer);
    const frames = UPNG.toRGBA8(decoded);
    if (frames.length !== 1) throw new Error('animated PNGs are not seal pictures');
    rgba = new Uint8Array(frames[0]!);
  } catch (cause) {
    throw new InvalidSignOptionError({ field: 'image', message: 'not a decodable single-frame PNG', standard: 'ISO/IEC 15948', cause });
  }
  if (decoded.width === 0 || decoded.height === 0) {
    throw new InvalidSignOptionError({ field: 'image', message: 'PNG has no pixels', standard: 'ISO/IEC 15948' });
  }
  const pixels = decoded.width * decoded.height;
  const rgb = new Uint8Array(pixels * 3);
  const alpha = new Uint8Array(pixels);
  let translucent = false;
  for (let i = 0; i < pixels; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
    const a = rgba[i * 4 + 3]!;
    alpha[i] = a;
    if (a !== 255) translucent = true;
  }
  const image: SealImage = {
    width: decoded.width,
    height: decoded.height,
    rgb: deflateSync(rgb),
    alpha: translucent ? deflateSync(alpha) : undefined,
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, image);
  return image;
}

/**
 * Adds the widget's normal appearance (ISO 32000-1 §12.5.5): a form XObject of `width` ×
 * `height` points that paints the seal picture, its transparency kept through an /SMask
 * (§11.6.5.3) so the red stamp lets the text beneath show through. On a page turned by
 * `rotate` degrees clockwise, the form's /Matrix turns it back by as much, so the seal
 * stands upright to the reader (§12.5.5: the transformed BBox is fitted to the /Rect).
 * `picture` places the picture inside the form ([x, y, width, height]; default: all of it).
 * @returns The form XObject, for the widget's `/AP << /N … >>`.
 */
export function addSealAppearance(
  w: IncrementalWriter,
  image: SealImage,
  width: number,
  height: number,
  rotate: 0 | 90 | 180 | 270 = 0,
  picture: readonly [number, number, number, number] = [0, 0, width, height],
): PDFRef {
  const ctx = w.context;
  const common = { Type: 'XObject', Subtype: 'Image', Width: image.width, Height: image.height, BitsPerComponent: 8, Filter: 'FlateDecode' };
  const smask = image.alpha ? w.add(PDFRawStream.of(ctx.obj({ ...common, ColorSpace: 'DeviceGray' }), image.alpha)) : undefined;
  const pictureDict = ctx.obj({ ...common, ColorSpace: 'DeviceRGB' });
  if (smask) pictureDict.set(PDFName.of('SMask'), smask);
  const pictureRef = w.add(PDFRawStream.of(pictureDict, image.rgb));
  const [px, py, pw, ph] = picture;
  const content = Buffer.from(`q ${num(pw)} 0 0 ${num(ph)} ${num(px)} ${num(py)} cm /Seal Do Q`, 'latin1');
  const form = ctx.obj({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { XObject: { Seal: pictureRef } },
  });
  if (rotate !== 0) form.set(PDFName.of('Matrix'), ctx.obj([...COUNTER_CLOCKWISE[rotate]]));
  return w.add(PDFRawStream.of(form, content));
}

/** Rotation matrices [cos sin -sin cos 0 0] by 90, 180 and 270 degrees counter-clockwise. */
const COUNTER_CLOCKWISE = { 90: [0, 1, -1, 0, 0, 0], 180: [-1, 0, 0, -1, 0, 0], 270: [0, -1, 1, 0, 0, 0] } as const;

/** An operand without exponent notation (content streams have none, §7.3.3). */
export const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/\.?0+$/, ''));
