import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestAlgorithm } from '../types.ts';
import { DIGESTS, hash } from './algorithms.ts';
import { ESSCertIDv2 } from './asn1/ess-cert-id-v2.ts';
import { SigningCertificateV2 } from './asn1/signing-certificate-v2.ts';
import { oid as oidDer, sequence, setOf } from './der.ts';
import { oid } from './oids.ts';

/** Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue } (RFC 5652 §5.3), DER. */
export const attribute = (type: string, ...values: readonly Uint8Array[]): Uint8Array => sequence(oidDer(type), setOf(...values));

/**
 * The ESS signing-certificate-v2 signed attribute (RFC 5035 §3; ETSI EN 319 122-1
 * §5.2.2.3), DER: one ESSCertIDv2 naming the signer's certificate by its `digest` hash and
 * by issuer and serial. CAdES hashes with the signature's digest (RFC 5035 §4); a
 * SHA-256 hashAlgorithm is the DEFAULT and so absent.
 *
 * @param certificate - The signer's certificate, DER.
 * @param parsed - The same certificate parsed, when the caller already has it.
 */
export function signingCertificateV2(
  certificate: Uint8Array,
  digest: DigestAlgorithm = 'SHA-256',
  parsed: pkijs.Certificate = pkijs.Certificate.fromBER(certificate),
): Uint8Array {
  const essCertId = new ESSCertIDv2({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[digest].oid }),
    certHash: new asn1js.OctetString({ valueHex: hash(digest, certificate) }),
    issuerSerial: new pkijs.IssuerSerial({
      // GeneralNames with one directoryName [4].
      issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: parsed.issuer })] }),
      serialNumber: parsed.serialNumber,
    }),
  });
  const ess = new SigningCertificateV2({ certs: [essCertId] });
  return attribute(oid.signingCertificateV2, new Uint8Array(ess.toSchema().toBER(false)));
}
