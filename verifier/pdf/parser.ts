/**
 * Reads PDF objects (ISO 32000-1 §7.3) and indirect objects (§7.3.10) from untrusted
 * bytes, with bounded nesting. Streams take their /Length from the dictionary (resolving
 * an indirect length through `resolveLength`) and fall back to the `endstream` keyword.
 */
import { PdfSyntaxError } from '../errors.ts';
import type { Budget } from '../limits.ts';
import {
  indexOf,
  isDigit,
  isKeyword,
  isRegular,
  isWhite,
  parseNumber,
  readHexString,
  readLiteralString,
  readName,
  readWord,
  skipWhite,
} from './lexer.ts';
import { PdfArray, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.ts';

export interface IndirectObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfObject;
  /** Offset of the object number. */
  readonly start: number;
  /** Offset just past `endobj` (or past the value when `endobj` is missing). */
  readonly end: number;
}

export class ObjectParser {
  readonly #buf: Uint8Array;
  readonly #budget: Budget;
  readonly #resolveLength: ((ref: PdfRef) => PdfObject) | undefined;

  constructor(buf: Uint8Array, budget: Budget, resolveLength?: (ref: PdfRef) => PdfObject) {
    this.#buf = buf;
    this.#budget = budget;
    this.#resolveLength = resolveLength;
  }

  /** Parses one direct object at `pos`. */
  parse(pos: number, depth = 0): { value: PdfObject; end: number } {
    const buf = this.#buf;
    this.#budget.tick();
    if (depth > this.#budget.limits.maxDepth) {
      throw new PdfSyntaxError({ message: `objects nested deeper than ${this.#budget.limits.maxDepth}`, offset: pos });
    }
    pos = skipWhite(buf, pos);
    const c = buf[pos];
    if (c === undefined) throw new PdfSyntaxError({ message: 'unexpected end of file', offset: pos });
    if (c === 0x2f /* / */) {
      const { name, end } = readName(buf, pos);
      return { value: new PdfName(name), end };
    }
    if (c === 0x28 /* ( */) {
      const { bytes, end } = readLiteralString(buf, pos);
      return { value: new PdfString(bytes, false, pos, end), end };
    }
    if (c === 0x3c /* < */) {
      if (buf[pos + 1] === 0x3c) return this.#parseDict(pos, depth);
      const { bytes, end } = readHexString(buf, pos);
      return { value: new PdfString(bytes, true, pos, end), end };
    }
    if (c === 0x5b /* [ */) return this.#parseArray(pos, depth);
    if (isDigit(c)) {
      // Fast path for the common unsigned integer (object numbers, offsets, lengths).
      let end = pos;
      let n = 0;
      while (end < buf.length && isDigit(buf[end]) && end - pos < 15) n = n * 10 + (buf[end++]! - 0x30);
      if (!isRegular(buf[end])) {
        const ref = this.#tryRef(n, end);
        return ref ?? { value: n, end };
      }
    }
    if (isRegular(c)) {
      const { word, end } = readWord(buf, pos);
      if (word === 'true') return { value: true, end };
      if (word === 'false') return { value: false, end };
      if (word === 'null') return { value: null, end };
      const n = parseNumber(word);
      if (n === undefined) throw new PdfSyntaxError({ message: `unexpected token "${word.slice(0, 32)}"`, offset: pos });
      if (Number.isInteger(n) && n >= 0 && isDigit(c)) {
        const ref = this.#tryRef(n, end);
        if (ref) return ref;
      }
      return { value: n, end };
    }
    throw new PdfSyntaxError({ message: `unexpected character 0x${c.toString(16)}`, offset: pos });
  }

  /** `n g R` after the integer `n` that ended at `pos`. */
  #tryRef(num: number, pos: number): { value: PdfRef; end: number } | undefined {
    const buf = this.#buf;
    const p1 = skipWhite(buf, pos);
    if (!isDigit(buf[p1])) return undefined;
    let gen: number | undefined;
    let genEnd: number;
    const fast = plainUint(buf, p1);
    if (fast) {
      gen = fast.value;
      genEnd = fast.end;
    } else {
      const g = readWord(buf, p1);
      gen = parseNumber(g.word);
      genEnd = g.end;
    }
    if (gen === undefined || !Number.isInteger(gen) || gen < 0 || gen > 65535) return undefined;
    const p2 = skipWhite(buf, genEnd);
    if (buf[p2] !== 0x52 /* R */ || isRegular(buf[p2 + 1])) return undefined;
    return { value: new PdfRef(num, gen), end: p2 + 1 };
  }

  #parseArray(pos: number, depth: number): { value: PdfArray; end: number } {
    const buf = this.#buf;
    const items: PdfObject[] = [];
    let p = pos + 1;
    for (;;) {
      p = skipWhite(buf, p);
      if (p >= buf.length) throw new PdfSyntaxError({ message: 'unterminated array', offset: pos });
      if (buf[p] === 0x5d /* ] */) return { value: new PdfArray(items), end: p + 1 };
      const { value, end } = this.parse(p, depth + 1);
      items.push(value);
      p = end;
    }
  }

  #parseDict(pos: number, depth: number): { value: PdfDict; end: number } {
    const buf = this.#buf;
    const entries = new Map<string, PdfObject>();
    let p = pos + 2;
    for (;;) {
      p = skipWhite(buf, p);
      if (p >= buf.length) throw new PdfSyntaxError({ message: 'unterminated dictionary', offset: pos });
      if (buf[p] === 0x3e && buf[p + 1] === 0x3e) return { value: new PdfDict(entries), end: p + 2 };
      if (buf[p] !== 0x2f) throw new PdfSyntaxError({ message: 'dictionary key is not a name', offset: p });
      const key = readName(buf, p);
      const { value, end } = this.parse(key.end, depth + 1);
      // A duplicate key is malformed; the first one wins, as in most readers' strict modes.
      if (!entries.has(key.name) && value !== null) entries.set(key.name, value);
      p = end;
    }
  }

  /**
   * Parses `num gen obj … endobj` at `pos`, including a stream body. Rejects anything else,
   * so an xref offset that points at the wrong bytes is caught here.
   */
  parseIndirect(pos: number): IndirectObject {
    const buf = this.#buf;
    const start = skipWhite(buf, pos);
    const { num, gen, end: header } = this.#objHeader(start);
    let { value, end } = this.parse(header);
    let p = skipWhite(buf, end);
    if (value instanceof PdfDict && isKeyword(buf, p, 'stream')) {
      const s = this.#readStream(value, p + 6);
      value = s.stream;
      p = skipWhite(buf, s.end);
    }
    end = isKeyword(buf, p, 'endobj') ? p + 6 : p;
    return { num, gen, value, start, end };
  }

  /** `n g obj` at `start`: plain digits are read directly, anything else as number tokens. */
  #objHeader(start: number): { num: number; gen: number; end: number } {
    const buf = this.#buf;
    const a = plainUint(buf, start);
    const b = a && plainUint(buf, skipWhite(buf, a.end));
    if (a && b) {
      const k = skipWhite(buf, b.end);
      if (isKeyword(buf, k, 'obj')) return { num: a.value, gen: b.value, end: k + 3 };
    }
    const aw = readWord(buf, start);
    const bw = readWord(buf, skipWhite(buf, aw.end));
    const kw = readWord(buf, skipWhite(buf, bw.end));
    const num = parseNumber(aw.word);
    const gen = parseNumber(bw.word);
    if (kw.word !== 'obj' || num === undefined || gen === undefined || !Number.isInteger(num) || !Number.isInteger(gen) || num < 0 || gen < 0) {
      throw new PdfSyntaxError({ message: 'expected "n g obj"', offset: start });
    }
    return { num, gen, end: kw.end };
  }

  #readStream(dict: PdfDict, afterKeyword: number): { stream: PdfStream; end: number } {
    const buf = this.#buf;
    let dataStart = afterKeyword;
    if (buf[dataStart] === 13 && buf[dataStart + 1] === 10) dataStart += 2;
    else if (buf[dataStart] === 10 || buf[dataStart] === 13) dataStart += 1;
    let length = dict.get('Length');
    if (length instanceof PdfRef) length = this.#resolveLength?.(length) ?? null;
    if (typeof length === 'number' && Number.isSafeInteger(length) && length >= 0 && dataStart + length <= buf.length) {
      const after = skipWhite(buf, dataStart + length);
      if (isKeyword(buf, after, 'endstream')) {
        const raw = buf.subarray(dataStart, dataStart + length);
        return { stream: new PdfStream(dict, raw, dataStart), end: after + 9 };
      }
    }
    // /Length missing or wrong: the data runs to the next `endstream` (minus its EOL).
    const k = indexOf(buf, 'endstream', dataStart);
    if (k < 0) throw new PdfSyntaxError({ message: 'stream without endstream', offset: afterKeyword });
    let dataEnd = k;
    if (buf[dataEnd - 1] === 10) dataEnd--;
    if (buf[dataEnd - 1] === 13) dataEnd--;
    if (dataEnd < dataStart) dataEnd = dataStart;
    return { stream: new PdfStream(dict, buf.subarray(dataStart, dataEnd), dataStart), end: k + 9 };
  }
}

/** A run of 1-15 decimal digits at `pos` that ends the token; undefined for anything else. */
function plainUint(buf: Uint8Array, pos: number): { value: number; end: number } | undefined {
  let end = pos;
  let value = 0;
  while (isDigit(buf[end]) && end - pos < 15) value = value * 10 + (buf[end++]! - 0x30);
  return end === pos || isRegular(buf[end]) ? undefined : { value, end };
}

export { isWhite };
