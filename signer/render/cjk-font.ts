import '../pdf/native-deflate.ts';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument, type PDFFont } from 'pdf-lib';
import { withIdentityCharset } from './cff-font.ts';
import { RenderSetupError } from './errors.ts';
import { residentFace, type ResidentFace, type SubsetOptions } from './hb-subset.ts';

/** The weights zhengyin embeds, from @embedpdf/fonts-sc (Noto Sans CJK SC, OFL-1.1). */
export type CjkWeight = 'Regular' | 'Bold';

const FONT_PACKAGE = '@embedpdf/fonts-sc';
const fontFiles = new Map<CjkWeight, Promise<Uint8Array>>();

/** The whole font program of a weight, read once per process. */
export function fontProgram(weight: CjkWeight): Promise<Uint8Array> {
  let p = fontFiles.get(weight);
  if (!p) {
    const entry = createRequire(import.meta.url).resolve(FONT_PACKAGE); // <pkg>/dist/index.cjs
    const file = path.join(path.dirname(entry), '..', 'fonts', `NotoSansHans-${weight}.otf`);
    p = readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    p.catch(() => fontFiles.delete(weight));
    fontFiles.set(weight, p);
  }
  return p;
}

/** A subset of a CJK font ready to embed: the OpenType file for pdf-lib's metrics, the raw CFF for the PDF. */
export interface CjkSubset {
  readonly weight: CjkWeight;
  /** OpenType-CFF subset with an identity CID charset. */
  readonly otf: Uint8Array;
  /** Its CFF table alone: what FontFile3 /CIDFontType0C holds. */
  readonly cff: Uint8Array;
  /** Characters of the requested text that the font has no glyph for. */
  readonly missing: readonly string[];
  /** ISO 32000-1 §9.9.2 subset tag: six upper-case letters, derived from the subset's bytes. */
  readonly tag: string;
  readonly postscriptName: string;
}

const faces = new Map<CjkWeight, Promise<ResidentFace>>();

function faceOf(weight: CjkWeight): Promise<ResidentFace> {
  let f = faces.get(weight);
  if (!f) {
    f = fontProgram(weight).then(residentFace);
    f.catch(() => faces.delete(weight));
    faces.set(weight, f);
  }
  return f;
}

function subsetTag(bytes: Uint8Array): string {
  const h = createHash('sha256').update(bytes).digest();
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

/**
 * Subsets a weight of the CJK font to the characters of `text` with HarfBuzz (hb-subset,
 * WebAssembly, the font resident in its heap), without layout features (pdf-lib does no
 * shaping), and rewrites its CFF charset to the identity (see cff-font.ts). Deterministic:
 * the same text gives the same bytes.
 */
export async function subsetCjkFont(weight: CjkWeight, text: string, options: SubsetOptions = {}): Promise<CjkSubset> {
  const chars = [...new Set(text.replace(/[\r\n]/g, ''))].sort().join('');
  try {
    const raw = (await faceOf(weight)).subset([...chars].map((c) => c.codePointAt(0)!), options);
    const { otf, cff } = withIdentityCharset(raw);
    const face = fontkit.create(otf as unknown as Buffer);
    const missing = [...chars].filter((c) => !face.hasGlyphForCodePoint(c.codePointAt(0)!));
    return { weight, otf, cff, missing, tag: subsetTag(otf), postscriptName: face.postscriptName ?? `NotoSansHans-${weight}` };
  } catch (e) {
    throw new RenderSetupError(`cannot subset the ${weight} CJK font`, { cause: e });
  }
}

/** Embeds a subset; call {@link fixCidFontType0} on the result after the last drawing call. */
export async function embedCjkSubset(doc: PDFDocument, subset: CjkSubset): Promise<PDFFont> {
  return doc.embedFont(subset.otf, { subset: false, customName: `${subset.tag}+${subset.postscriptName}` });
}

/**
 * pdf-lib (1.17, with @pdf-lib/fontkit) declares every embedded font as CIDFontType2 with
 * FontFile2, even a CFF one; poppler then warns "Mismatch between font type and embedded font
 * file". ISO 32000-1 Table 117 and §9.9 want CIDFontType0 with FontFile3 /CIDFontType0C for a
 * CID-keyed CFF program, and CIDToGIDMap belongs to CIDFontType2 only. This rewrites the
 * descendant font and its descriptor that way, with the raw CFF as the font program.
 *
 * Call after `doc.flush()` and after the last text drawn with `font`: pdf-lib re-embeds a
 * font whenever text was encoded with it since the last flush.
 */
export function fixCidFontType0(doc: PDFDocument, font: PDFFont, subset: CjkSubset): void {
  const type0 = doc.context.lookup(font.ref, PDFDict);
  const cidFont = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
  const program = descriptor.get(PDFName.of('FontFile2')) ?? descriptor.get(PDFName.of('FontFile3'));
  if (!(program instanceof PDFRef)) throw new RenderSetupError('embedded CJK font has no font program reference');
  cidFont.set(PDFName.of('Subtype'), PDFName.of('CIDFontType0'));
  cidFont.delete(PDFName.of('CIDToGIDMap'));
  descriptor.delete(PDFName.of('FontFile2'));
  descriptor.set(PDFName.of('FontFile3'), program);
  // node:zlib rather than pdf-lib's pure-JS deflate: same format, a fraction of the time.
  doc.context.assign(program, doc.context.stream(deflateSync(subset.cff), { Filter: 'FlateDecode', Subtype: 'CIDFontType0C' }));
}
