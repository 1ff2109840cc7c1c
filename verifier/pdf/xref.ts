/**
 * Cross-reference sections (ISO 32000-1 §7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrid
 * files) and the `startxref … %%EOF` markers that end each revision (§7.5.5, §7.5.6).
 */
import { PdfSyntaxError } from '../errors.ts';
import type { Budget } from '../limits.ts';
import { decodeStream, type Deref } from './filters.ts';
import { indexOf, isWhite, readUint, readWord, skipWhite } from './lexer.ts';
import { PdfArray, PdfDict, PdfStream, type PdfObject } from './objects.ts';
import type { ObjectParser } from './parser.ts';

export type XrefEntry =
  | { readonly kind: 'free' }
  | { readonly kind: 'offset'; readonly offset: number; readonly gen: number }
  | { readonly kind: 'compressed'; readonly stream: number; readonly index: number };

export interface XrefSection {
  /** Offset of the `xref` keyword or of the xref stream object. */
  readonly offset: number;
  readonly kind: 'table' | 'stream' | 'hybrid';
  /** First entry for an object number wins within one section. */
  readonly entries: ReadonlyMap<number, XrefEntry>;
  readonly trailer: PdfDict;
  /** Object number of the xref stream (for kind 'stream', and the /XRefStm of 'hybrid'). */
  readonly streamObjects: readonly number[];
}

/** `startxref N %%EOF`: where a revision says its xref is, and where its bytes end. */
export interface EofMarker {
  readonly position: number;
  readonly xrefOffset: number;
  /** Just past `%%EOF` and one end-of-line after it, if present. */
  readonly end: number;
  /** Just past `%%EOF` itself. */
  readonly endWithoutEol: number;
}

/** Every well-formed `startxref` marker in the file, in file order. */
export function findEofMarkers(buf: Uint8Array, budget: Budget): EofMarker[] {
  const markers: EofMarker[] = [];
  for (let p = indexOf(buf, 'startxref', 0); p >= 0; p = indexOf(buf, 'startxref', p + 9)) {
    budget.tick();
    const n = readUint(buf, p + 9);
    if (!n) continue;
    // Not skipWhite: that would skip `%%EOF` itself, which is a comment.
    let q = n.end;
    while (isWhite(buf[q])) q++;
    if (indexOf(buf, '%%EOF', q, q + 5) !== q) continue;
    let end = q + 5;
    const endWithoutEol = end;
    if (buf[end] === 13) end++;
    if (buf[end] === 10) end++;
    markers.push({ position: p, xrefOffset: n.value, end, endWithoutEol });
    budget.check('maxRevisions', markers.length / 4, 'startxref markers (÷4)');
  }
  return markers;
}

/** Reads the xref section at `offset`, with the /XRefStm of a hybrid file merged in. */
export function readSection(buf: Uint8Array, offset: number, parser: ObjectParser, budget: Budget, deref: Deref): XrefSection {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= buf.length) {
    throw new PdfSyntaxError({ message: `xref offset ${offset} is outside the file` });
  }
  const start = skipWhite(buf, offset);
  if (readWord(buf, start).word === 'xref') {
    const table = readTable(buf, start, parser, budget);
    const stm = deref(table.trailer.get('XRefStm'));
    if (typeof stm !== 'number') return table;
    const hybrid = readStream(stm, parser, budget, deref);
    const entries = new Map(table.entries);
    for (const [num, e] of hybrid.entries) if (!entries.has(num)) entries.set(num, e);
    return { offset, kind: 'hybrid', entries, trailer: table.trailer, streamObjects: hybrid.streamObjects };
  }
  return readStream(start, parser, budget, deref);
}

function readTable(buf: Uint8Array, start: number, parser: ObjectParser, budget: Budget): XrefSection {
  const entries = new Map<number, XrefEntry>();
  let p = start + 4;
  for (;;) {
    p = skipWhite(buf, p);
    const word = readWord(buf, p);
    if (word.word === 'trailer') {
      const { value } = parser.parse(word.end);
      if (!(value instanceof PdfDict)) throw new PdfSyntaxError({ message: 'trailer is not a dictionary', offset: word.end });
      return { offset: start, kind: 'table', entries, trailer: value, streamObjects: [] };
    }
    const first = readUint(buf, p);
    const count = first && readUint(buf, first.end);
    if (!first || !count) throw new PdfSyntaxError({ message: 'malformed xref subsection header', offset: p });
    // Each entry takes at least 18 bytes: this bounds a lying count before any loop runs.
    if (count.value * 18 > buf.length - count.end) throw new PdfSyntaxError({ message: 'xref subsection longer than the file', offset: p });
    budget.check('maxObjects', first.value + count.value, 'xref object number');
    p = count.end;
    for (let i = 0; i < count.value; i++) {
      budget.tick();
      const off = readUint(buf, p);
      const gen = off && readUint(buf, off.end);
      if (!off || !gen) throw new PdfSyntaxError({ message: 'malformed xref entry', offset: p });
      const q = skipWhite(buf, gen.end);
      const type = buf[q];
      if (type !== 0x6e && type !== 0x66) throw new PdfSyntaxError({ message: 'xref entry type is neither n nor f', offset: q });
      p = q + 1;
      const num = first.value + i;
      if (entries.has(num)) continue;
      if (type === 0x66 || (off.value === 0 && num === 0)) entries.set(num, { kind: 'free' });
      else entries.set(num, { kind: 'offset', offset: off.value, gen: gen.value });
    }
  }
}

function readStream(offset: number, parser: ObjectParser, budget: Budget, deref: Deref): XrefSection {
  const obj = parser.parseIndirect(offset);
  const stream = obj.value;
  if (!(stream instanceof PdfStream) || stream.dict.name('Type') !== 'XRef') {
    throw new PdfSyntaxError({ message: 'startxref points at neither an xref table nor an xref stream', offset });
  }
  const dict = stream.dict;
  const w = intArray(deref(dict.get('W')), deref);
  if (w.length !== 3 || w.some((x) => x < 0 || x > 8)) throw new PdfSyntaxError({ message: 'xref stream /W is malformed', offset });
  const size = deref(dict.get('Size'));
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new PdfSyntaxError({ message: 'xref stream /Size is malformed', offset });
  budget.check('maxObjects', size, 'xref stream /Size');
  const index = dict.has('Index') ? intArray(deref(dict.get('Index')), deref) : [0, size];
  if (index.length % 2 !== 0) throw new PdfSyntaxError({ message: 'xref stream /Index is malformed', offset });
  const data = decodeStream(stream, budget, deref);
  const width = w[0]! + w[1]! + w[2]!;
  if (width === 0) throw new PdfSyntaxError({ message: 'xref stream /W is all zero', offset });
  const entries = new Map<number, XrefEntry>();
  let p = 0;
  for (let s = 0; s < index.length; s += 2) {
    const first = index[s]!;
    const count = index[s + 1]!;
    budget.check('maxObjects', first + count, 'xref stream object number');
    if (p + count * width > data.length) throw new PdfSyntaxError({ message: 'xref stream data is shorter than /Index says', offset });
    for (let i = 0; i < count; i++, p += width) {
      budget.tick();
      const type = w[0] === 0 ? 1 : field(data, p, w[0]!);
      const f2 = field(data, p + w[0]!, w[1]!);
      const f3 = field(data, p + w[0]! + w[1]!, w[2]!);
      const num = first + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { kind: 'free' });
      else if (type === 1) entries.set(num, { kind: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { kind: 'compressed', stream: f2, index: f3 });
      // Other types are reserved and read as the null object (§7.5.8.3).
    }
  }
  return { offset, kind: 'stream', entries, trailer: dict, streamObjects: [obj.num] };
}

function field(data: Uint8Array, p: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[p + i]!;
  return v;
}

function intArray(o: PdfObject | undefined, deref: Deref): number[] {
  if (!(o instanceof PdfArray)) return [];
  const out: number[] = [];
  for (const x of o.items) {
    const v = deref(x);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return [];
    out.push(v);
  }
  return out;
}
