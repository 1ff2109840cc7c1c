/**
 * Minimal DER (ITU-T X.690) for the hot paths of signer/: PAdES signatures, time-stamp
 * tokens, OCSP responses.
 *
 * The structures are the ones pkijs defines (and the tests parse our output with asn1js,
 * pkijs and openssl), but building and walking them with asn1js costs 0.4-0.6 ms per
 * time-stamp token, pkijs's schema matching 5 ms, and pkijs re-parses a certificate's TBS
 * and every Name each time it encodes them (≈1 ms per certificate) — more than all the
 * cryptography of a signature. These helpers concatenate and walk bytes in microseconds,
 * and splice pre-encoded parts (certificates, names, algorithm identifiers, tokens) in
 * verbatim instead of re-encoding them.
 */

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [n] IMPLICIT/EXPLICIT, constructed (X.690 §8.1.2). */
  context: (n: number): number => 0xa0 | n,
} as const;

const ZERO = Uint8Array.of(0);

/** How many octets the long form of `length` takes after its first octet (X.690 §8.1.3.5); 0 for the short form. */
function longLengthOctets(length: number): number {
  if (length < 0x80) return 0;
  let n = 0;
  for (let l = length; l > 0; l = Math.floor(l / 256)) n++;
  return n;
}

/** Writes tag and definite length at the start of `out`; returns where the content starts. */
function writeHeader(out: Uint8Array, tag: number, length: number, lengthOctets: number): number {
  out[0] = tag;
  if (lengthOctets === 0) {
    out[1] = length;
    return 2;
  }
  out[1] = 0x80 | lengthOctets;
  for (let i = lengthOctets, l = length; i > 0; i--, l = Math.floor(l / 256)) out[1 + i] = l & 0xff;
  return 2 + lengthOctets;
}

/** Tag and definite length (X.690 §8.1.2-8.1.3). */
export function header(tag: number, length: number): Uint8Array {
  const n = longLengthOctets(length);
  const out = new Uint8Array(2 + n);
  writeHeader(out, tag, length, n);
  return out;
}

/** One TLV whose content is `parts` concatenated, written into a single allocation. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (let i = 0; i < parts.length; i++) length += parts[i]!.length;
  const n = longLengthOctets(length);
  const out = new Uint8Array(2 + n + length);
  let at = writeHeader(out, tag, length, n);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const sequence = (...content: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...content);

/** Compares DER encodings for SET OF ordering (X.690 §11.6). */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** SET OF in DER order: elements sorted by their encodings (X.690 §11.6). */
export const setOf = (...elements: readonly Uint8Array[]): Uint8Array => tlv(TAG.SET, ...[...elements].sort(compareDer));

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);

/** BIT STRING with no unused bits (signatures, X.690 §8.6.2). */
export const bitString = (bytes: Uint8Array): Uint8Array => tlv(TAG.BIT_STRING, ZERO, bytes);

/**
 * [n] constructed, context-specific: an EXPLICIT tag around one value, or an IMPLICIT tag
 * over a SEQUENCE/SET whose contents are `content` (X.690 §8.14).
 */
export const context = (n: number, ...content: readonly Uint8Array[]): Uint8Array => tlv(TAG.context(n), ...content);

/** [n] IMPLICIT NULL (e.g. OCSP CertStatus good/unknown, RFC 6960 §4.2.1). */
export const implicitNull = (n: number): Uint8Array => Uint8Array.of(0x80 | n, 0);

/** Minimal two's-complement content octets of a non-negative integer (X.690 §8.3.2). */
function integerContent(value: number | Uint8Array): Uint8Array[] {
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
  return bytes[0]! & 0x80 ? [ZERO, bytes] : [bytes];
}

/**
 * A non-negative INTEGER TLV from a small number or a big-endian magnitude (X.690 §8.3):
 * leading zero octets dropped, one added when the high bit is set.
 */
export const integer = (value: number | Uint8Array): Uint8Array => tlv(TAG.INTEGER, ...integerContent(value));

/** A non-negative ENUMERATED TLV (X.690 §8.4). */
export const enumerated = (value: number): Uint8Array => tlv(TAG.ENUMERATED, ...integerContent(value));

const oidCache = new Map<string, Uint8Array>();

/** Base-128 digits of one arc, high bit set on all but the last (X.690 §8.19.2). */
function pushArc(body: number[], arc: bigint): void {
  const groups = [Number(arc & 0x7fn)];
  for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
  body.push(...groups);
}

/**
 * An OBJECT IDENTIFIER TLV (X.690 §8.19), encoded once per dotted string. Arcs are
 * unbounded: a UUID arc under 2.25 (ITU-T X.667) needs 128 bits.
 */
export function oid(dotted: string): Uint8Array {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split('.').map(BigInt);
  const body: number[] = [];
  pushArc(body, arcs[0]! * 40n + arcs[1]!);
  for (let i = 2; i < arcs.length; i++) pushArc(body, arcs[i]!);
  const encoded = tlv(TAG.OID, Uint8Array.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

/**
 * GeneralizedTime in DER form: UTC, `Z`, and a fraction without trailing zeros when `date`
 * has milliseconds (X.690 §11.7). Certificates, CRLs and OCSP want whole seconds
 * (RFC 5280 §4.1.2.5.2): pass such a date.
 */
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

// Bridges to asn1js and pkijs, which take ArrayBuffers and encode through toBER().

/** A fresh ArrayBuffer holding exactly `bytes` (pkijs and asn1js want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export const toBytes = (buffer: ArrayBuffer | ArrayBufferView): Uint8Array =>
  buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** DER of an asn1js value. */
export const encode = (value: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array => new Uint8Array(value.toBER(false));
