import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { PdfReadError } from './errors.ts';
import { decodeStream } from './stream-filters.ts';

/** Where the newest revision says an object lives (ISO 32000-1 §7.5.4, §7.5.8.3). */
export type XrefEntry =
  | { readonly type: 0 }
  | { readonly type: 1; readonly offset: number; readonly generation: number }
  | { readonly type: 2; readonly stream: number; readonly index: number };

/** The kind of the last cross-reference section; an update must use the same kind (§7.5.8.4). */
export type XrefKind = 'table' | 'stream';

const N = {
  Type: PDFName.of('Type'),
  XRef: PDFName.of('XRef'),
  Prev: PDFName.of('Prev'),
  Size: PDFName.of('Size'),
  W: PDFName.of('W'),
  Index: PDFName.of('Index'),
  XRefStm: PDFName.of('XRefStm'),
  First: PDFName.of('First'),
  N: PDFName.of('N'),
} as const;

const enum C {
  Nul = 0, Tab = 9, Lf = 10, Ff = 12, Cr = 13, Space = 32, Percent = 37, Zero = 48, Nine = 57,
}

const isWhite = (b: number | undefined): boolean =>
  b === C.Space || b === C.Lf || b === C.Cr || b === C.Tab || b === C.Ff || b === C.Nul;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= C.Zero && b <= C.Nine;

/**
 * Reads a PDF the way a viewer does: from `startxref` back through every cross-reference
 * section (classic tables, hybrid /XRefStm and xref streams, following /Prev), and parses
 * objects lazily, only those asked for, with pdf-lib's object parser. Objects are cached
 * per reader, so a writer can change one and see its change on the next lookup.
 */
export class PdfReader {
  readonly bytes: Uint8Array;
  readonly context: PDFContext;
  /** The trailer of the last section (for an xref stream: its dictionary). */
  readonly trailer: PDFDict;
  /** Offset of the last cross-reference section (the file's final `startxref`). */
  readonly startxref: number;
  readonly xrefKind: XrefKind;
  /** Offsets of every cross-reference section, newest first. */
  readonly sections: readonly number[];
  readonly #entries = new Map<number, XrefEntry>();
  readonly #objects = new Map<number, PDFObject | undefined>();
  readonly #objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  #latin1: string | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.context = PDFContext.create();
    this.startxref = findStartxref(bytes);
    const sections: number[] = [];
    let trailer: PDFDict | undefined;
    let kind: XrefKind | undefined;
    for (let offset: number | undefined = this.startxref; offset !== undefined; ) {
      if (sections.includes(offset)) throw new PdfReadError({ message: 'pdf: cross-reference /Prev chain loops', offset });
      sections.push(offset);
      const section = this.#readSection(offset);
      trailer ??= section.trailer;
      kind ??= section.kind;
      offset = section.prev;
    }
    this.trailer = trailer!;
    this.xrefKind = kind!;
    this.sections = sections;
  }

  /** `/Size` of the last trailer: one more than the highest object number in use. */
  get size(): number {
    const size = this.trailer.get(N.Size);
    if (!(size instanceof PDFNumber)) throw new PdfReadError({ message: 'pdf: trailer has no /Size' });
    return size.asNumber();
  }

  entry(objectNumber: number): XrefEntry | undefined {
    return this.#entries.get(objectNumber);
  }

  /** The object `ref` names in the newest revision, or undefined if it is free or absent (§7.3.10: a null object). */
  lookup(ref: PDFRef): PDFObject | undefined {
    const n = ref.objectNumber;
    if (this.#objects.has(n)) return this.#objects.get(n);
    const entry = this.#entries.get(n);
    let obj: PDFObject | undefined;
    if (entry?.type === 1) obj = this.#parseIndirectAt(entry.offset, n);
    else if (entry?.type === 2) obj = this.#parseInObjectStream(entry.stream, entry.index, n);
    this.#objects.set(n, obj);
    return obj;
  }

  /** Follows `obj` if it is a reference; returns direct objects as they are. */
  resolve(obj: PDFObject | undefined): PDFObject | undefined {
    return obj instanceof PDFRef ? this.lookup(obj) : obj;
  }

  /** Replaces the cached value of an object (the writer's changes are seen by later lookups). */
  setCached(objectNumber: number, obj: PDFObject): void {
    this.#objects.set(objectNumber, obj);
  }

  #readSection(offset: number): { trailer: PDFDict; kind: XrefKind; prev: number | undefined } {
    const at = skipWhite(this.bytes, offset);
    if (matchAscii(this.bytes, at, 'xref')) {
      const trailer = this.#readTable(at + 4);
      const xrefStm = trailer.get(N.XRefStm);
      // Hybrid file (§7.5.8.4): the stream's entries come after the table's, before /Prev's.
      if (xrefStm instanceof PDFNumber) this.#readXrefStream(xrefStm.asNumber());
      return { trailer, kind: 'table', prev: prevOf(trailer) };
    }
    const dict = this.#readXrefStream(at);
    return { trailer: dict, kind: 'stream', prev: prevOf(dict) };
  }

  #readTable(start: number): PDFDict {
    const b = this.bytes;
    let p = start;
    for (;;) {
      p = skipWhite(b, p);
      if (matchAscii(b, p, 'trailer')) break;
      const first = readInt(b, p);
      const count = readInt(b, skipWhite(b, first.end));
      if (first.value === undefined || count.value === undefined) {
        throw new PdfReadError({ message: 'pdf: cross-reference table subsection header expected', offset: p });
      }
      p = count.end;
      for (let i = 0; i < count.value; i++) {
        const off = readInt(b, skipWhite(b, p));
        const gen = readInt(b, skipWhite(b, off.end));
        const kindAt = skipWhite(b, gen.end);
        const k = b[kindAt];
        if (off.value === undefined || gen.value === undefined || (k !== 0x6e && k !== 0x66)) {
          throw new PdfReadError({ message: 'pdf: cross-reference table entry expected', offset: p });
        }
        p = kindAt + 1;
        const n = first.value + i;
        if (this.#entries.has(n)) continue;
        this.#entries.set(n, k === 0x6e ? { type: 1, offset: off.value, generation: gen.value } : { type: 0 });
      }
    }
    const trailer = this.#parseObjectAt(p + 'trailer'.length, this.bytes);
    if (!(trailer instanceof PDFDict)) throw new PdfReadError({ message: 'pdf: trailer dictionary expected', offset: p });
    return trailer;
  }

  #readXrefStream(offset: number): PDFDict {
    const stream = this.#parseIndirectAt(offset, undefined);
    if (!(stream instanceof PDFRawStream) || stream.dict.get(N.Type) !== N.XRef) {
      throw new PdfReadError({ message: 'pdf: startxref/Prev points neither to "xref" nor to an xref stream', offset });
    }
    const dict = stream.dict;
    const w = dict.get(N.W);
    const size = dict.get(N.Size);
    if (!(w instanceof PDFArray) || w.size() !== 3 || !(size instanceof PDFNumber)) {
      throw new PdfReadError({ message: 'pdf: xref stream without /W [a b c] or /Size', offset });
    }
    const widths = [0, 1, 2].map((i) => numberAt(w, i, offset));
    const index = dict.get(N.Index);
    const ranges: number[] = index instanceof PDFArray ? index.asArray().map((_, i) => numberAt(index, i, offset)) : [0, size.asNumber()];
    const data = decodeStream(stream);
    const [w0, w1, w2] = widths as [number, number, number];
    const rowLength = w0 + w1 + w2;
    let p = 0;
    for (let r = 0; r + 1 < ranges.length; r += 2) {
      const first = ranges[r]!;
      const count = ranges[r + 1]!;
      for (let i = 0; i < count; i++, p += rowLength) {
        if (p + rowLength > data.length) throw new PdfReadError({ message: 'pdf: xref stream shorter than its /Index', offset });
        const type = w0 === 0 ? 1 : readBE(data, p, w0);
        const f2 = readBE(data, p + w0, w1);
        const f3 = readBE(data, p + w0 + w1, w2);
        const n = first + i;
        if (this.#entries.has(n)) continue;
        if (type === 1) this.#entries.set(n, { type: 1, offset: f2, generation: f3 });
        else if (type === 2) this.#entries.set(n, { type: 2, stream: f2, index: f3 });
        else if (type === 0) this.#entries.set(n, { type: 0 });
        // §7.5.8.3: other types are to be ignored (treated as null references).
      }
    }
    return dict;
  }

  /** Parses `n g obj <object>` at `offset`; `expected` checks the object number. */
  #parseIndirectAt(offset: number, expected: number | undefined): PDFObject {
    const b = this.bytes;
    const header = readObjectHeader(b, offset);
    if (!header || (expected !== undefined && header.objectNumber !== expected)) {
      if (expected !== undefined) {
        const found = this.#searchObject(expected);
        if (found !== undefined) return this.#parseIndirectAt(found, undefined);
      }
      throw new PdfReadError({ message: `pdf: object ${expected ?? ''} not found where the cross-reference says`, offset });
    }
    return this.#parseObjectAt(header.end, b);
  }

  /** Last resort for an xref offset that is off: the last `n g obj` in the file (§7.5.6 newest wins). */
  #searchObject(objectNumber: number): number | undefined {
    this.#latin1 ??= Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1');
    const re = new RegExp(`(?:^|[\\r\\n\\s])(${objectNumber}\\s+\\d+\\s+obj)\\b`, 'g');
    let last: number | undefined;
    for (const m of this.#latin1.matchAll(re)) last = m.index + m[0].length - m[1]!.length;
    return last;
  }

  #parseObjectAt(offset: number, bytes: Uint8Array): PDFObject {
    try {
      return PDFObjectParser.forBytes(bytes.subarray(offset), this.context).parseObject();
    } catch (cause) {
      throw new PdfReadError({ message: 'pdf: object does not parse', offset, cause });
    }
  }

  #parseInObjectStream(streamNumber: number, index: number, objectNumber: number): PDFObject | undefined {
    let objstm = this.#objectStreams.get(streamNumber);
    if (!objstm) {
      // Objects in object streams have generation 0 (§7.5.7).
      const stream = this.lookup(PDFRef.of(streamNumber));
      if (!(stream instanceof PDFRawStream)) {
        throw new PdfReadError({ message: `pdf: object stream ${streamNumber} (holding object ${objectNumber}) is missing` });
      }
      const data = decodeStream(stream);
      const first = this.resolve(stream.dict.get(N.First));
      const count = this.resolve(stream.dict.get(N.N));
      if (!(first instanceof PDFNumber) || !(count instanceof PDFNumber)) {
        throw new PdfReadError({ message: `pdf: object stream ${streamNumber} lacks /First or /N` });
      }
      const offsets = new Map<number, number>();
      let p = 0;
      for (let i = 0; i < count.asNumber(); i++) {
        const num = readInt(data, skipWhite(data, p));
        const off = readInt(data, skipWhite(data, num.end));
        if (num.value === undefined || off.value === undefined) break;
        offsets.set(num.value, first.asNumber() + off.value);
        p = off.end;
      }
      objstm = { data, offsets };
      this.#objectStreams.set(streamNumber, objstm);
    }
    // The stream's own list of (number, offset) pairs is authoritative; the xref's index is a hint.
    void index;
    const at = objstm.offsets.get(objectNumber);
    if (at === undefined) return undefined;
    return this.#parseObjectAt(at, objstm.data);
  }
}

function prevOf(trailer: PDFDict): number | undefined {
  const prev = trailer.get(N.Prev);
  return prev instanceof PDFNumber ? prev.asNumber() : undefined;
}

function numberAt(array: PDFArray, i: number, offset: number): number {
  const v = array.get(i);
  if (!(v instanceof PDFNumber)) throw new PdfReadError({ message: 'pdf: number expected in xref stream dictionary', offset });
  return v.asNumber();
}

function readBE(data: Uint8Array, p: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[p + i]!;
  return v;
}

/** The offset after the last `startxref` keyword in the file's tail (§7.5.5). */
function findStartxref(bytes: Uint8Array): number {
  const tailStart = Math.max(0, bytes.length - 4096);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + tailStart, bytes.length - tailStart).toString('latin1');
  const at = tail.lastIndexOf('startxref');
  if (at < 0) throw new PdfReadError({ message: 'pdf: no startxref in the last 4 KB; not a PDF, or truncated' });
  const n = readInt(bytes, skipWhite(bytes, tailStart + at + 'startxref'.length));
  if (n.value === undefined || n.value >= bytes.length) {
    throw new PdfReadError({ message: 'pdf: startxref does not point inside the file', offset: tailStart + at });
  }
  return n.value;
}

function skipWhite(b: Uint8Array, p: number): number {
  for (;;) {
    while (p < b.length && isWhite(b[p])) p++;
    if (b[p] !== C.Percent) return p;
    while (p < b.length && b[p] !== C.Lf && b[p] !== C.Cr) p++;
  }
}

function readInt(b: Uint8Array, p: number): { value: number | undefined; end: number } {
  let v = 0;
  const start = p;
  while (isDigit(b[p])) v = v * 10 + (b[p++]! - C.Zero);
  return { value: p > start ? v : undefined, end: p };
}

function matchAscii(b: Uint8Array, p: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
  return true;
}

function readObjectHeader(b: Uint8Array, offset: number): { objectNumber: number; end: number } | undefined {
  const num = readInt(b, skipWhite(b, offset));
  const gen = readInt(b, skipWhite(b, num.end));
  const kw = skipWhite(b, gen.end);
  if (num.value === undefined || gen.value === undefined || !matchAscii(b, kw, 'obj')) return undefined;
  return { objectNumber: num.value, end: kw + 3 };
}
