/**
 * Byte-level reading of PDF syntax (ISO 32000-1 §7.2): character classes, white space,
 * comments, numbers, names and keywords. Every function takes a position and returns
 * where it stopped; none of them allocates more than the token it reads.
 */
import { PdfSyntaxError } from '../errors.ts';

const WHITE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITE[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export const isWhite = (c: number | undefined): boolean => c !== undefined && WHITE[c] === 1;
export const isDelimiter = (c: number | undefined): boolean => c !== undefined && DELIM[c] === 1;
/** A "regular" character: neither white space nor a delimiter (§7.2.2). */
export const isRegular = (c: number | undefined): boolean => c !== undefined && WHITE[c] === 0 && DELIM[c] === 0;
export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** Skips white space and comments; returns the first position of something else. */
export function skipWhite(buf: Uint8Array, pos: number): number {
  const n = buf.length;
  while (pos < n) {
    const c = buf[pos]!;
    if (WHITE[c] === 1) pos++;
    else if (c === 0x25 /* % */) {
      while (pos < n && buf[pos] !== 10 && buf[pos] !== 13) pos++;
    } else break;
  }
  return pos;
}

/** Reads a regular-character run (a keyword or a number) starting at `pos`. */
export function readWord(buf: Uint8Array, pos: number): { word: string; end: number } {
  let end = pos;
  while (end < buf.length && isRegular(buf[end]) && end - pos < 256) end++;
  return { word: latin1(buf, pos, end), end };
}

export function latin1(buf: Uint8Array, start: number, end: number): string {
  // Names and keywords are short: building them by character beats a Buffer view (~4×).
  if (end - start <= 32) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}

/** Whether the keyword `kw` (ASCII) stands at `pos` as a whole token. */
export function isKeyword(buf: Uint8Array, pos: number, kw: string): boolean {
  for (let i = 0; i < kw.length; i++) if (buf[pos + i] !== kw.charCodeAt(i)) return false;
  return !isRegular(buf[pos + kw.length]);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Parses a PDF number token (§7.3.3); undefined if `word` is not one. */
export function parseNumber(word: string): number | undefined {
  if (!NUMBER.test(word)) return undefined;
  const v = Number(word);
  return Number.isFinite(v) ? v : undefined;
}

/** Reads a non-negative decimal integer at `pos` (after white space); undefined if none. */
export function readUint(buf: Uint8Array, pos: number): { value: number; end: number } | undefined {
  pos = skipWhite(buf, pos);
  let end = pos;
  let value = 0;
  while (end < buf.length && isDigit(buf[end]) && end - pos < 16) value = value * 10 + (buf[end++]! - 0x30);
  if (end === pos || isRegular(buf[end])) return undefined;
  return { value, end };
}

/** Reads a name after its `/` (§7.3.5), decoding `#xx`. `pos` points at the slash. */
export function readName(buf: Uint8Array, pos: number): { name: string; end: number } {
  let plain = pos + 1;
  while (plain < buf.length && isRegular(buf[plain]) && buf[plain] !== 0x23) plain++;
  if (buf[plain] !== 0x23 && plain - pos <= 4097) return { name: latin1(buf, pos + 1, plain), end: plain };
  let end = pos + 1;
  const bytes: number[] = [];
  while (end < buf.length && isRegular(buf[end])) {
    const c = buf[end]!;
    if (c === 0x23 /* # */ && isHex(buf[end + 1]) && isHex(buf[end + 2])) {
      bytes.push(hexValue(buf[end + 1]!) * 16 + hexValue(buf[end + 2]!));
      end += 3;
    } else {
      bytes.push(c);
      end++;
    }
    if (bytes.length > 4096) throw new PdfSyntaxError({ message: 'name longer than 4096 bytes', offset: pos });
  }
  return { name: Buffer.from(bytes).toString('latin1'), end };
}

export const isHex = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

export function hexValue(c: number): number {
  if (c <= 0x39) return c - 0x30;
  if (c <= 0x46) return c - 0x37;
  return c - 0x57;
}

/** Reads a hexadecimal string (§7.3.4.3). `pos` points at `<`. */
export function readHexString(buf: Uint8Array, pos: number): { bytes: Uint8Array; end: number } {
  // Short strings (/ID, keys, names in forms) are decoded here, without Buffer machinery.
  let q = pos + 1;
  const stop = Math.min(buf.length, pos + 130);
  while (q < stop && isHex(buf[q])) q++;
  if (buf[q] === 0x3e && (q - pos - 1) % 2 === 0) {
    const bytes = new Uint8Array((q - pos - 1) / 2);
    for (let i = 0, p = pos + 1; p < q; i++, p += 2) bytes[i] = hexValue(buf[p]!) * 16 + hexValue(buf[p + 1]!);
    return { bytes, end: q + 1 };
  }
  const close = indexOf(buf, '>', pos + 1);
  if (close < 0) throw new PdfSyntaxError({ message: 'unterminated hexadecimal string', offset: pos });
  // Fast path (signature /Contents are kilobytes of hex): an even run of hex digits only.
  if ((close - pos - 1) % 2 === 0) {
    // Buffer.from(…, 'hex') stops at the first non-hex pair: full length means all hex.
    const fast = Buffer.from(latin1(buf, pos + 1, close), 'hex');
    if (fast.length * 2 === close - pos - 1) return { bytes: new Uint8Array(fast.buffer, fast.byteOffset, fast.length), end: close + 1 };
  }
  const out = Buffer.allocUnsafe(Math.ceil((close - pos) / 2));
  let n = 0;
  let high = -1;
  let p = pos + 1;
  for (; p < buf.length; p++) {
    const c = buf[p]!;
    if (c === 0x3e /* > */) break;
    if (WHITE[c] === 1) continue;
    if (!isHex(c)) throw new PdfSyntaxError({ message: 'bad character in hexadecimal string', offset: p });
    if (high < 0) high = hexValue(c);
    else {
      out[n++] = high * 16 + hexValue(c);
      high = -1;
    }
  }
  if (p >= buf.length) throw new PdfSyntaxError({ message: 'unterminated hexadecimal string', offset: pos });
  if (high >= 0) out[n++] = high * 16;
  return { bytes: new Uint8Array(out.subarray(0, n)), end: p + 1 };
}

const ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };

/** Reads a literal string (§7.3.4.2) with balanced parentheses. `pos` points at `(`. */
export function readLiteralString(buf: Uint8Array, pos: number): { bytes: Uint8Array; end: number } {
  const out: number[] = [];
  let depth = 1;
  let p = pos + 1;
  while (p < buf.length) {
    const c = buf[p]!;
    if (c === 0x5c /* \ */) {
      const e = buf[p + 1];
      if (e === undefined) break;
      if (ESCAPES[e] !== undefined) {
        out.push(ESCAPES[e]!);
        p += 2;
      } else if (e >= 0x30 && e <= 0x37) {
        let v = 0;
        let k = 0;
        while (k < 3 && buf[p + 1 + k] !== undefined && buf[p + 1 + k]! >= 0x30 && buf[p + 1 + k]! <= 0x37) {
          v = v * 8 + (buf[p + 1 + k]! - 0x30);
          k++;
        }
        out.push(v & 0xff);
        p += 1 + k;
      } else if (e === 13) {
        p += buf[p + 2] === 10 ? 3 : 2; // line continuation
      } else if (e === 10) {
        p += 2;
      } else {
        out.push(e); // unknown escape: the backslash is ignored (§7.3.4.2)
        p += 2;
      }
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return { bytes: Uint8Array.from(out), end: p + 1 };
    if (c === 13) {
      out.push(10); // an unescaped end-of-line reads as LF
      p += buf[p + 1] === 10 ? 2 : 1;
      continue;
    }
    out.push(c);
    p++;
  }
  throw new PdfSyntaxError({ message: 'unterminated literal string', offset: pos });
}

/** Finds `needle` in `buf` from `from` (forwards) before `to`; -1 if absent. */
export function indexOf(buf: Uint8Array, needle: string, from: number, to = buf.length): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, Math.min(to, buf.length));
  const n = needleBytes(needle);
  if (typeof n === 'number' || n.length <= HEAD) return b.indexOf(n, from);
  // Node searches needles longer than 6 bytes (Boyer-Moore-Horspool) several times slower
  // than a 6-byte one over signature hex: find the head, then compare the rest.
  const head = n.subarray(0, HEAD);
  for (let p = b.indexOf(head, from); p >= 0; p = b.indexOf(head, p + 1)) {
    if (p + n.length > b.length) return -1;
    if (b.compare(n, HEAD, n.length, p + HEAD, p + n.length) === 0) return p;
  }
  return -1;
}

const HEAD = 6;

// Buffer#indexOf turns a string needle into a new Buffer on every call; keep them.
const NEEDLES = new Map<string, Buffer | number>();

function needleBytes(needle: string): Buffer | number {
  let n = NEEDLES.get(needle);
  if (n === undefined) {
    n = needle.length === 1 ? needle.charCodeAt(0) & 0xff : Buffer.from(needle, 'latin1');
    if (NEEDLES.size < 64) NEEDLES.set(needle, n);
  }
  return n;
}

/** Finds the last `needle` in `buf` that starts before `before`; -1 if absent. */
export function lastIndexOf(buf: Uint8Array, needle: string, before = buf.length): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  return b.lastIndexOf(needleBytes(needle), before - 1);
}
