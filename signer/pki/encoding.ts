import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Time, TimeType } from 'pkijs';
import { toArrayBuffer } from '../cms/der.ts';
import { PkiInputError } from './errors.ts';

/**
 * Parses DER into a pkijs object, turning every failure into a typed input error. pkijs
 * throws plain Errors on schema mismatch; callers here want `PkiInputError` with the field.
 */
export function parseDer<T>(bytes: Uint8Array, build: (schema: asn1js.AsnType) => T, field: string, standard: string): T {
  const asn1 = asn1js.fromBER(toArrayBuffer(bytes));
  if (asn1.offset === -1 || asn1.offset !== bytes.byteLength) {
    throw new PkiInputError({ field, message: `${field}: not a single DER value`, standard });
  }
  try {
    return build(asn1.result);
  } catch (cause) {
    throw new PkiInputError({ field, message: `${field}: does not match the ASN.1 schema (${(cause as Error).message})`, standard, cause });
  }
}

/**
 * A random positive serial number of 16 octets: at least 64 bits of entropy as CA/B BR
 * §7.1 asks, within the 20 octets RFC 5280 §4.1.2.2 allows, and minimally encoded (the
 * first octet is 0x01-0x7f, so DER needs no leading zero).
 */
export function randomSerial(): Uint8Array {
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f || 0x01;
  return new Uint8Array(serial);
}

/** Serial number as stored and shown: lower-case hex without leading zeros. */
export function serialHex(serial: Uint8Array | asn1js.Integer): string {
  const bytes = serial instanceof Uint8Array ? serial : serial.valueBlock.valueHexView;
  return Buffer.from(bytes).toString('hex').replace(/^0+(?=.)/, '');
}

/** A date without its milliseconds: X.509 times carry whole seconds, and DER forbids trailing zeros in fractions. */
export const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function x509Time(date: Date): Time {
  const value = wholeSeconds(date);
  return new Time({ type: value.getUTCFullYear() < 2050 ? TimeType.UTCTime : TimeType.GeneralizedTime, value });
}

/** PEM armour (RFC 7468). */
export function toPem(der: Uint8Array, label: 'CERTIFICATE' | 'X509 CRL'): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** Every PEM block of `label` in `text`, decoded. */
export function fromPem(text: string, label: 'CERTIFICATE' | 'X509 CRL'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}
