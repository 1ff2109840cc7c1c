import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { sfntTables, withIdentityCharset } from '../../signer/render/cff-font.ts';
import { fontProgram } from '../../signer/render/cjk-font.ts';
import { residentFace } from '../../signer/render/hb-subset.ts';

type Charset = { version: number; glyphs?: number[]; ranges?: Array<{ first: number; nLeft: number }> };
const charsetOf = (otf: Uint8Array) => (fontkit.create(Buffer.from(otf)) as unknown as { 'CFF ': { topDict: { charset: Charset } } })['CFF '].topDict.charset;
/** CID of each glyph 1..n-1 as the charset says (TN 5176 §13). */
function cids(cs: Charset): number[] {
  if (cs.version === 0) return cs.glyphs!;
  return cs.ranges!.flatMap((r) => Array.from({ length: r.nLeft + 1 }, (_, i) => r.first + i));
}
const sum32 = (b: Uint8Array, start: number, length: number) => {
  let s = 0;
  for (let i = 0; i < length; i += 4) s = (s + ((((b[start + i] ?? 0) << 24) | ((b[start + i + 1] ?? 0) << 16) | ((b[start + i + 2] ?? 0) << 8) | (b[start + i + 3] ?? 0)) >>> 0)) >>> 0;
  return s;
};

describe('withIdentityCharset', () => {
  it.each([
    ['one glyph, charset format 0', '营', 0],
    ['ten digits, one format 1 range', '0123456789', 1],
    ['62 Latin characters, three format 1 ranges', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 1],
    ['400 ideographs, many ranges (rewritten as format 2)', String.fromCodePoint(...Array.from({ length: 400 }, (_, i) => 0x4e00 + i)), 1],
  ])('%s: glyph n gets CID n, outlines and checksums stay right', async (_name, text, formatBefore) => {
    const face = await residentFace(await fontProgram('Regular'));
    const raw = face.subset([...text].map((c) => c.codePointAt(0)!));
    const before = charsetOf(raw);
    expect(before.version).toBe(formatBefore);
    const n = fontkit.create(Buffer.from(raw)).numGlyphs;
    if (n > 2) expect(cids(before)).not.toEqual(Array.from({ length: n - 1 }, (_, i) => i + 1));

    const { otf, cff } = withIdentityCharset(raw);
    expect(cids(charsetOf(otf))).toEqual(Array.from({ length: n - 1 }, (_, i) => i + 1));
    // Same glyphs: every character maps to a glyph with the same outline as before.
    const a = fontkit.create(Buffer.from(raw));
    const b = fontkit.create(Buffer.from(otf));
    for (const ch of text) expect(b.glyphForCodePoint(ch.codePointAt(0)!).path.toSVG()).toBe(a.glyphForCodePoint(ch.codePointAt(0)!).path.toSVG());
    // The table directory's CFF checksum and head.checkSumAdjustment are recomputed (OpenType §5).
    const tables = sfntTables(otf);
    const dir = tables.findIndex((t) => t.tag === 'CFF ');
    const table = tables[dir]!;
    expect(Buffer.from(otf).readUInt32BE(12 + 16 * dir + 4)).toBe(sum32(otf, table.offset, table.length));
    expect(sum32(otf, 0, otf.length)).toBe(0xb1b0afba);
    expect(Buffer.from(cff).equals(Buffer.from(otf.subarray(table.offset, table.offset + table.length)))).toBe(true);
  });
});
