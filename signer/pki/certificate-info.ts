import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { BasicConstraints, Certificate, ExtKeyUsage } from 'pkijs';
import type { KeyAlgorithm } from '../types.ts';
import { keyAlgorithmOf } from './key-algorithms.ts';
import { encode, toBytes } from '../cms/der.ts';
import { parseDer, serialHex } from './encoding.ts';
import { formatName } from './names.ts';
import { oid } from '../cms/oids.ts';

/** What the PKI needs to know about a certificate, read once from its DER. */
export interface CertificateInfo {
  readonly der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** Serial number, lower-case hex without leading zeros. */
  readonly serial: string;
  /** RFC 4514, most specific first. */
  readonly subject: string;
  readonly issuer: string;
  /** The subject's (last) commonName, if any. */
  readonly commonName: string | undefined;
  /** DER of the subject Name, byte for byte as in the certificate (RFC 6960 issuerNameHash input). */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
  /** Contents of the subjectPublicKey BIT STRING (RFC 5280 §4.2.1.2 and RFC 6960 issuerKeyHash input). */
  readonly publicKeyBits: Uint8Array;
  /** undefined for a key the service does not sign with (e.g. in an imported chain). */
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  readonly subjectKeyIdentifier: Uint8Array | undefined;
  readonly authorityKeyIdentifier: Uint8Array | undefined;
  /** basicConstraints cA (RFC 5280 §4.2.1.9). */
  readonly isCa: boolean;
  /** keyUsage bit names set (RFC 5280 §4.2.1.3); undefined when the extension is absent. */
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
  /** The parsed structure, for code that builds on it (e.g. an issuer's Name). */
  readonly certificate: Certificate;
}

export const keyUsageNames = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof keyUsageNames)[number];

// Issuing a licence reads the same few certificates (seal, department CA, root, TSA)
// several times over; parsing them with pkijs each time was a tenth of an issuance's CPU.
const PARSED_MAX = 512;
const parsed = new Map<string, CertificateInfo>();

/**
 * Parses an X.509 certificate, or answers the same certificate's earlier parse (by its
 * SHA-256; the info is read-only). Throws `PkiInputError` (field `certificate`) for anything else.
 */
export function parseCertificate(der: Uint8Array, field = 'certificate'): CertificateInfo {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const known = parsed.get(sha256);
  if (known) return known;
  const info = parseFresh(new Uint8Array(der), sha256, field);
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  parsed.set(sha256, info);
  return info;
}

function parseFresh(der: Uint8Array, sha256: string, field: string): CertificateInfo {
  const certificate = parseDer(der, (schema) => new Certificate({ schema }), field, 'RFC 5280 §4.1');
  const spki = encode(certificate.subjectPublicKeyInfo.toSchema());
  const ext = (id: string) => certificate.extensions?.find((e) => e.extnID === id);
  const ski = ext(oid.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
  const aki = ext(oid.authorityKeyIdentifier)?.parsedValue as { keyIdentifier?: asn1js.OctetString } | undefined;
  const bc = ext(oid.basicConstraints)?.parsedValue as BasicConstraints | undefined;
  const ku = ext(oid.keyUsage)?.parsedValue as asn1js.BitString | undefined;
  const eku = ext(oid.extKeyUsage)?.parsedValue as ExtKeyUsage | undefined;
  let keyAlgorithm: KeyAlgorithm | undefined;
  try {
    keyAlgorithm = keyAlgorithmOf(spki);
  } catch {
    keyAlgorithm = undefined;
  }
  return {
    der,
    sha256,
    serial: serialHex(certificate.serialNumber),
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    commonName: certificate.subject.typesAndValues.findLast((tv) => tv.type === oid.commonName)?.value.valueBlock.value as string | undefined,
    subjectDer: toBytes(certificate.subject.valueBeforeDecode),
    issuerDer: toBytes(certificate.issuer.valueBeforeDecode),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    publicKey: spki,
    publicKeyBits: certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView,
    keyAlgorithm,
    subjectKeyIdentifier: ski ? ski.valueBlock.valueHexView : undefined,
    authorityKeyIdentifier: aki?.keyIdentifier ? aki.keyIdentifier.valueBlock.valueHexView : undefined,
    isCa: bc?.cA === true,
    keyUsage: ku ? keyUsageNames.filter((_, i) => bitIsSet(ku.valueBlock.valueHexView, i)) : undefined,
    extendedKeyUsage: eku?.keyPurposes,
    certificate,
  };
}

const bitIsSet = (bytes: Uint8Array, bit: number): boolean => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
