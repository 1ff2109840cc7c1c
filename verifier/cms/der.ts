/**
 * A minimal BER/DER TLV walker (X.690 §8.1) for finding the parts of a CMS object without
 * building an ASN.1 tree for every certificate inside it. Indefinite lengths are allowed
 * (BER, as some signers emit); nesting is bounded.
 */

export interface Tlv {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the content (before an end-of-contents marker, if any). */
  readonly contentEnd: number;
  /** Offset just past the whole element. */
  readonly end: number;
}

const MAX_DEPTH = 64;

export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Reads the element at `pos`, which must end by `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit = buf.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) throw new DerError('nested too deeply');
  if (pos + 2 > limit) throw new DerError('truncated');
  const id = buf[pos]!;
  const cls = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  let p = pos + 1;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i > 3) throw new DerError('bad tag');
      const b = buf[p++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) throw new DerError('truncated');
  const first = buf[p++]!;
  if (first === 0x80) {
    if (!constructed) throw new DerError('indefinite length on a primitive');
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw new DerError('unterminated indefinite length');
      if (buf[q] === 0 && buf[q + 1] === 0) return { cls, constructed, tag, start: pos, contentStart: p, contentEnd: q, end: q + 2 };
      q = readTlv(buf, q, limit, depth + 1).end;
    }
  }
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || n === 0) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError('truncated');
      length = length * 256 + buf[p++]!;
    }
  }
  if (p + length > limit) throw new DerError('length beyond the data');
  return { cls, constructed, tag, start: pos, contentStart: p, contentEnd: p + length, end: p + length };
}

/** The elements inside a constructed element. */
export function childrenOf(buf: Uint8Array, tlv: Tlv, depth = 0): Tlv[] {
  if (!tlv.constructed) throw new DerError('not constructed');
  const out: Tlv[] = [];
  for (let p = tlv.contentStart; p < tlv.contentEnd; ) {
    const c = readTlv(buf, p, tlv.contentEnd, depth + 1);
    out.push(c);
    p = c.end;
  }
  return out;
}

export const bytesOf = (buf: Uint8Array, tlv: Tlv): Uint8Array => buf.subarray(tlv.start, tlv.end);

/** Decodes an OBJECT IDENTIFIER element (X.690 §8.19); undefined if it is not one. */
export function oidOf(buf: Uint8Array, tlv: Tlv): string | undefined {
  if (tlv.cls !== 0 || tlv.tag !== 6 || tlv.constructed || tlv.contentEnd === tlv.contentStart) return undefined;
  let s = '';
  let v = 0;
  for (let p = tlv.contentStart; p < tlv.contentEnd; p++) {
    const b = buf[p]!;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((b & 0x80) === 0) {
      if (s === '') s = v < 80 ? `${Math.floor(v / 40)}.${v % 40}` : `2.${v - 80}`;
      else s += `.${v}`;
      v = 0;
    }
  }
  return s;
}

export const contentOf = (buf: Uint8Array, tlv: Tlv): Uint8Array => buf.subarray(tlv.contentStart, tlv.contentEnd);
