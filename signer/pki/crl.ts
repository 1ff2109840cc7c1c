import * as asn1js from 'asn1js';
import { AuthorityKeyIdentifier, CertificateRevocationList, Extension, Extensions, RevokedCertificate } from 'pkijs';
import type { SigningKey } from '../types.ts';
import { defaultDigest, signatureAlgorithm, toAlgorithmIdentifier } from '../cms/algorithms.ts';
import { parseCertificate, type CertificateInfo } from './certificate-info.ts';
import { encode, toArrayBuffer } from '../cms/der.ts';
import { wholeSeconds, x509Time } from './encoding.ts';
import { PkiInputError } from './errors.ts';
import { oid } from '../cms/oids.ts';
import { keyIdentifier } from './profiles.ts';
import { crlReasonCode, type RevokedEntry } from './revocation-reason.ts';

export interface CrlRequest {
  /** The CA whose certificates the CRL covers; it signs the CRL itself (no indirect CRLs). */
  readonly issuer: { readonly certificate: Uint8Array | CertificateInfo; readonly key: SigningKey };
  /** cRLNumber: monotonically increasing per issuer (RFC 5280 §5.2.3). */
  readonly number: number | bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedEntry[];
}

/**
 * Issues a full v2 CRL (RFC 5280 §5): authorityKeyIdentifier and cRLNumber extensions,
 * thisUpdate/nextUpdate, and per entry a reasonCode extension unless the reason is
 * `unspecified` (§5.3.1: "the reason code extension SHOULD be absent" then). Entries are
 * sorted by serial so that the same state gives the same bytes.
 *
 * @returns The CRL, DER.
 */
export async function issueCrl(request: CrlRequest): Promise<Uint8Array> {
  const issuer = request.issuer.certificate instanceof Uint8Array ? parseCertificate(request.issuer.certificate, 'issuer.certificate') : request.issuer.certificate;
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) {
    throw new PkiInputError({ field: 'issuer.certificate', message: `${issuer.subject} may not sign CRLs (keyUsage lacks cRLSign)`, standard: 'RFC 5280 §4.2.1.3' });
  }
  if (!(request.thisUpdate < request.nextUpdate)) {
    throw new PkiInputError({ field: 'nextUpdate', message: 'nextUpdate must be after thisUpdate', standard: 'RFC 5280 §5.1.2.5' });
  }
  const number = BigInt(request.number);
  if (number < 0n || number >= 1n << 159n) {
    throw new PkiInputError({ field: 'number', message: 'cRLNumber must be a non-negative integer of at most 20 octets', standard: 'RFC 5280 §5.2.3' });
  }
  const digest = defaultDigest(request.issuer.key.algorithm);
  const algorithm = toAlgorithmIdentifier(signatureAlgorithm(request.issuer.key.algorithm, digest));
  const entries = [...request.revoked].sort((a, b) => compareSerials(a.serial, b.serial));
  const crl = new CertificateRevocationList({
    version: 1,
    signature: algorithm,
    issuer: issuer.certificate.subject,
    thisUpdate: x509Time(request.thisUpdate),
    nextUpdate: x509Time(request.nextUpdate),
    crlExtensions: new Extensions({
      extensions: [
        new Extension({
          extnID: oid.authorityKeyIdentifier,
          extnValue: toArrayBuffer(
            encode(new AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(issuer.subjectKeyIdentifier ?? keyIdentifier(issuer.publicKeyBits)) }) }).toSchema()),
          ),
        }),
        new Extension({ extnID: oid.crlNumber, extnValue: toArrayBuffer(encode(asn1js.Integer.fromBigInt(number))) }),
      ],
    }),
    signatureAlgorithm: algorithm,
  });
  if (entries.length > 0) {
    crl.revokedCertificates = entries.map(
      (entry) =>
        new RevokedCertificate({
          userCertificate: serialInteger(entry.serial),
          revocationDate: x509Time(wholeSeconds(entry.revokedAt)),
          ...(entry.reason === 'unspecified'
            ? {}
            : {
                crlEntryExtensions: new Extensions({
                  extensions: [new Extension({ extnID: oid.crlReason, extnValue: toArrayBuffer(encode(new asn1js.Enumerated({ value: crlReasonCode[entry.reason] }))) })],
                }),
              }),
        }),
    );
  }
  // encodeTBS is protected on CertificateRevocationList: take the TBSCertList from a full encoding.
  const tbs = encode(crl.toSchema(true).valueBlock.value[0]!);
  crl.tbsView = tbs;
  crl.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(await request.issuer.key.sign(tbs, digest)) });
  return encode(crl.toSchema());
}

/** An INTEGER from a positive serial in hex, with the leading zero octet DER needs when the high bit is set. */
export function serialInteger(hex: string): asn1js.Integer {
  if (!/^[0-9a-f]+$/i.test(hex)) throw new PkiInputError({ field: 'serial', message: `not a hex serial number: "${hex}"`, standard: 'RFC 5280 §4.1.2.2' });
  let even = hex.length % 2 ? `0${hex}` : hex;
  if (parseInt(even.slice(0, 2), 16) >= 0x80) even = `00${even}`;
  return new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(even, 'hex')) });
}

const compareSerials = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
