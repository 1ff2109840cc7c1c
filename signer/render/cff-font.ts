/**
 * Just enough of the OpenType and CFF formats to embed a HarfBuzz subset of a CID-keyed
 * CFF font (Noto Sans CJK) in a PDF the way ISO 32000-1 §9.7.4.2 reads it.
 *
 * Why: a Type 0 font whose descendant is CIDFontType0 selects glyphs by CID, and a CID-keyed
 * CFF maps CIDs to glyphs through its charset. hb-subset renumbers glyphs but keeps each
 * glyph's original CID in the charset, while pdf-lib writes glyph ids into the content
 * stream. Rewriting the charset as the identity (glyph n has CID n) makes the two agree, so
 * the raw CFF can be embedded as FontFile3 /CIDFontType0C and every reader, strict or not,
 * selects the same glyph.
 */

export interface SfntTable {
  readonly tag: string;
  readonly offset: number;
  readonly length: number;
}

/** The table directory of an OpenType font. */
export function sfntTables(font: Uint8Array): SfntTable[] {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const count = view.getUint16(4);
  const tables: SfntTable[] = [];
  for (let i = 0; i < count; i++) {
    const r = 12 + 16 * i;
    const tag = String.fromCharCode(font[r]!, font[r + 1]!, font[r + 2]!, font[r + 3]!);
    tables.push({ tag, offset: view.getUint32(r + 8), length: view.getUint32(r + 12) });
  }
  return tables;
}

/** Reads a CFF INDEX at `p` (Adobe TN 5176 §5); returns its item ranges and where it ends. */
function readIndex(b: Uint8Array, p: number): { items: Array<[number, number]>; end: number } {
  const count = (b[p]! << 8) | b[p + 1]!;
  if (count === 0) return { items: [], end: p + 2 };
  const offSize = b[p + 2]!;
  const offset = (i: number) => {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + b[p + 3 + i * offSize + k]!;
    return v;
  };
  const base = p + 3 + (count + 1) * offSize - 1;
  const items: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) items.push([base + offset(i), base + offset(i + 1)]);
  return { items, end: base + offset(count) };
}

/** Parses a CFF DICT into operator → integer operands (TN 5176 §4; reals become NaN). */
function readDict(b: Uint8Array, start: number, end: number): Map<number, number[]> {
  const dict = new Map<number, number[]>();
  let operands: number[] = [];
  let p = start;
  while (p < end) {
    const b0 = b[p]!;
    if (b0 <= 21) {
      const op = b0 === 12 ? 1200 + b[++p]! : b0;
      p++;
      dict.set(op, operands);
      operands = [];
    } else if (b0 === 28) {
      operands.push(((b[p + 1]! << 24) >> 16) | b[p + 2]!);
      p += 3;
    } else if (b0 === 29) {
      operands.push((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
      p += 5;
    } else if (b0 === 30) {
      p++;
      while (p < end && (b[p]! & 0x0f) !== 0x0f && (b[p]! & 0xf0) !== 0xf0) p++;
      p++;
      operands.push(Number.NaN);
    } else if (b0 >= 32 && b0 <= 246) {
      operands.push(b0 - 139);
      p++;
    } else if (b0 >= 247 && b0 <= 250) {
      operands.push((b0 - 247) * 256 + b[p + 1]! + 108);
      p += 2;
    } else if (b0 >= 251 && b0 <= 254) {
      operands.push(-(b0 - 251) * 256 - b[p + 1]! - 108);
      p += 2;
    } else {
      throw new Error(`CFF DICT: reserved byte ${b0} at ${p}`);
    }
  }
  return dict;
}

const OP_CHARSET = 15;
const OP_CHARSTRINGS = 17;
const OP_ROS = 1230;

/**
 * Rewrites, in place, the charset of a CID-keyed CFF so that glyph n has CID n. The new
 * charset never needs more room than the old one (TN 5176 §13), so no offset moves.
 *
 * @throws Error when `cff` is not CID-keyed or the charset cannot be rewritten.
 */
export function makeIdentityCharset(cff: Uint8Array): void {
  const names = readIndex(cff, cff[2]!);
  const top = readIndex(cff, names.end).items[0];
  if (!top) throw new Error('CFF has no Top DICT');
  const dict = readDict(cff, top[0], top[1]);
  if (!dict.has(OP_ROS)) throw new Error('CFF is not CID-keyed (no ROS operator)');
  const charset = dict.get(OP_CHARSET)?.[0];
  const charStrings = dict.get(OP_CHARSTRINGS)?.[0];
  if (charset === undefined || charStrings === undefined || charset < 4) throw new Error('CFF charset or CharStrings missing');
  const nGlyphs = (cff[charStrings]! << 8) | cff[charStrings + 1]!;
  if (nGlyphs < 2) return;
  const format = cff[charset]!;
  if (format === 0) {
    for (let g = 1; g < nGlyphs; g++) {
      cff[charset + 2 * g - 1] = g >> 8;
      cff[charset + 2 * g] = g & 0xff;
    }
    return;
  }
  if (format !== 1 && format !== 2) throw new Error(`CFF charset format ${format} is unknown`);
  const first = (cff[charset + 1]! << 8) | cff[charset + 2]!;
  const nLeft = format === 1 ? cff[charset + 3]! : (cff[charset + 3]! << 8) | cff[charset + 4]!;
  if (first === 1 && nLeft === nGlyphs - 2) return; // already the identity
  // Any format 1/2 charset takes at least 4 bytes; one format 1 range (4 bytes) covers up to
  // 256 glyphs. More glyphs than that need format 2 (5 bytes), and then the old charset has
  // at least two format 1 ranges (7 bytes) or is one format 2 range (5 bytes).
  const n = nGlyphs - 2;
  cff.set(n <= 255 ? [1, 0, 1, n] : [2, 0, 1, n >> 8, n & 0xff], charset);
}

/** Sum of big-endian uint32 words, the OpenType table checksum. */
function checksum(b: Uint8Array, start: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 4) {
    const w = ((b[start + i] ?? 0) << 24) | ((b[start + i + 1] ?? 0) << 16) | ((b[start + i + 2] ?? 0) << 8) | (b[start + i + 3] ?? 0);
    sum = (sum + (w >>> 0)) >>> 0;
  }
  return sum;
}

/**
 * Returns a copy of an OpenType-CFF font whose CFF table has an identity charset (see
 * {@link makeIdentityCharset}), with the CFF table checksum and head.checkSumAdjustment
 * recomputed, and the raw CFF table on its own.
 */
export function withIdentityCharset(otf: Uint8Array): { otf: Uint8Array; cff: Uint8Array } {
  const out = Uint8Array.from(otf);
  const tables = sfntTables(out);
  const cffTable = tables.find((t) => t.tag === 'CFF ');
  if (!cffTable) throw new Error('font has no CFF table');
  makeIdentityCharset(out.subarray(cffTable.offset, cffTable.offset + cffTable.length));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const dirIndex = tables.indexOf(cffTable);
  view.setUint32(12 + 16 * dirIndex + 4, checksum(out, cffTable.offset, cffTable.length));
  const head = tables.find((t) => t.tag === 'head');
  if (head) {
    view.setUint32(head.offset + 8, 0);
    view.setUint32(head.offset + 8, (0xb1b0afba - checksum(out, 0, out.length)) >>> 0);
  }
  return { otf: out, cff: out.slice(cffTable.offset, cffTable.offset + cffTable.length) };
}
