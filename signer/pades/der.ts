/**
 * Minimal DER (ITU-T X.690) for the signing hot path.
 *
 * The structures are the ones pkijs defines (and the tests parse our output with pkijs
 * and openssl), but building and walking them with asn1js costs 0.4-0.6 ms per
 * time-stamp token and pkijs's schema matching 5 ms — more than all the cryptography of a
 * signature. These helpers concatenate and walk bytes in microseconds, and copy
 * pre-encoded parts (certificates, tokens) verbatim instead of re-encoding them.
 */

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [n] IMPLICIT/EXPLICIT, constructed (X.690 §8.1.2). */
  context: (n: number): number => 0xa0 | n,
} as const;

/** Tag and definite length (X.690 §8.1.2-8.1.3). */
export function header(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Uint8Array.of(tag, 0x80 | bytes.length, ...bytes);
}

/** One TLV whose content is `parts` concatenated. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const h = header(tag, length);
  const out = new Uint8Array(h.length + length);
  out.set(h, 0);
  let at = h.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const oidCache = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER TLV (X.690 §8.19), cached per dotted string. */
export function oid(dotted: string): Uint8Array {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (v: number): void => {
    const groups = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    body.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  const encoded = tlv(TAG.OID, Uint8Array.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

/** A non-negative INTEGER TLV from a small number or big-endian magnitude bytes (X.690 §8.3). */
export function integer(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    const b: number[] = [];
    for (let v = value; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
    bytes = Uint8Array.from(b.length ? b : [0]);
  } else {
    let i = 0;
    while (i < value.length - 1 && value[i] === 0) i++;
    bytes = value.subarray(i);
  }
  return bytes[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), bytes) : tlv(TAG.INTEGER, bytes);
}

/** GeneralizedTime in DER form: UTC, `Z`, fraction without trailing zeros (X.690 §11.7). */
export function generalizedTime(date: Date): Uint8Array {
  const iso = date.toISOString(); // 2026-03-01T08:30:00.120Z
  let s = iso.slice(0, 19).replace(/[-:T]/g, '');
  const ms = iso.slice(20, 23).replace(/0+$/, '');
  if (ms) s += `.${ms}`;
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${s}Z`, 'latin1'));
}

/** A TLV found in a buffer: its tag, where its content starts and where it ends. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the TLV at `offset`. @throws RangeError on a malformed or truncated header. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new RangeError(`DER: truncated at ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: multi-byte tags are not used here');
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || contentStart + n > limit) throw new RangeError(`DER: bad length at ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > limit) throw new RangeError(`DER: element at ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** The TLVs directly inside a constructed TLV. */
export function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const child = readTlv(bytes, p, parent.end);
    out.push(child);
    p = child.end;
  }
  return out;
}

export const contentOf = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.contentStart, t.end);
export const encodingOf = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.start, t.end);

/** Compares DER encodings for SET OF ordering (X.690 §11.6). */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
