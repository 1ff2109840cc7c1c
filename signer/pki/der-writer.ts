import * as asn1js from 'asn1js';
import { encode, wholeSeconds } from './der.ts';

/**
 * A minimal DER writer (X.690 §8, §10) for the hot paths (time-stamp tokens, OCSP
 * responses): containers are assembled from already-encoded parts. pkijs re-parses a
 * certificate's TBS and every Name each time it encodes them (measured ≈1 ms per
 * certificate); the parts that do not change (certificates, names, algorithm
 * identifiers, attributes) are encoded once here and spliced in as bytes.
 */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.byteLength, 0);
  const header = length < 0x80 ? [tag, length] : [tag, ...lengthOctets(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const c of content) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function lengthOctets(length: number): number[] {
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export const sequence = (...content: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...content);

/** SET OF in DER order: elements sorted by their encodings (X.690 §11.6). */
export const setOf = (...elements: readonly Uint8Array[]): Uint8Array => tlv(0x31, ...[...elements].sort((a, b) => Buffer.compare(a, b)));

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);

/** BIT STRING with no unused bits (signatures). */
export const bitString = (bytes: Uint8Array): Uint8Array => tlv(0x03, new Uint8Array([0]), bytes);

/** [n] EXPLICIT, constructed context-specific tag. */
export const explicit = (n: number, ...content: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...content);

/** [n] IMPLICIT over a constructed type: the contents of SEQUENCE/SET under a context tag. */
export const implicitConstructed = (n: number, ...content: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...content);

/** [n] IMPLICIT NULL (e.g. OCSP CertStatus good/unknown). */
export const implicitNull = (n: number): Uint8Array => new Uint8Array([0x80 | n, 0]);

/** INTEGER from a small non-negative number. */
export const smallInteger = (value: number): Uint8Array => encode(new asn1js.Integer({ value }));

/** INTEGER from a positive big-endian magnitude (a leading zero added when the high bit is set). */
export function positiveInteger(magnitude: Uint8Array): Uint8Array {
  return magnitude[0]! & 0x80 ? tlv(0x02, new Uint8Array([0]), magnitude) : tlv(0x02, magnitude);
}

const oids = new Map<string, Uint8Array>();
/** OBJECT IDENTIFIER, encoded once per process. */
export function objectIdentifier(value: string): Uint8Array {
  let der = oids.get(value);
  if (!der) oids.set(value, (der = encode(new asn1js.ObjectIdentifier({ value }))));
  return der;
}

/** GeneralizedTime in whole seconds, `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2). */
export function generalizedTime(date: Date): Uint8Array {
  const text = wholeSeconds(date).toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return tlv(0x18, Buffer.from(text, 'latin1'));
}

export const enumerated = (value: number): Uint8Array => encode(new asn1js.Enumerated({ value }));
