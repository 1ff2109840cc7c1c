import { createHash } from 'node:crypto';
import { compareDer, context, encode, integer, octetString, oid as oidDer, sequence, setOf } from './der.ts';
import type { DigestAlgorithm, SigningKey } from '../types.ts';
import { digestAlgorithm, signatureAlgorithm } from './algorithms.ts';
import type { CertificateInfo } from '../pki/certificate-info.ts';
import { oid } from './oids.ts';

/**
 * ESS signing-certificate-v2 attribute (RFC 5035 §3), DER: the signer's certificate by
 * SHA-256 hash (hashAlgorithm left at its DEFAULT, so absent) and by issuer and serial.
 *
 * @asn
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 */
export function signingCertificateV2(certificate: CertificateInfo): Uint8Array {
  // GeneralNames with one directoryName [4]; Name is a CHOICE, so the tag is explicit.
  const issuerSerial = sequence(sequence(context(4, certificate.issuerDer)), encode(certificate.certificate.serialNumber));
  const essCertId = sequence(octetString(createHash('sha256').update(certificate.der).digest()), issuerSerial);
  return attribute(oid.signingCertificateV2, sequence(sequence(essCertId)));
}

/** Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue } (RFC 5652 §5.3), DER. */
export const attribute = (type: string, ...values: readonly Uint8Array[]): Uint8Array => sequence(oidDer(type), setOf(...values));

/**
 * A CMS SignerInfo (RFC 5652 §5.3), DER, with signed attributes contentType,
 * messageDigest and `attributes` (DER Attributes, e.g. {@link signingCertificateV2}),
 * signed through `key` (node:crypto). The SET OF signed attributes is DER-sorted and the
 * bytes signed are the bytes written (the [0] IMPLICIT tag replaced by SET, §5.4).
 * The signer is named by issuerAndSerialNumber (version 1).
 */
export async function signerInfo(p: {
  readonly signer: CertificateInfo;
  readonly key: SigningKey;
  readonly digest: DigestAlgorithm;
  readonly contentType: string;
  /** The `digest` hash of the content (the eContent, or the detached bytes). */
  readonly messageDigest: Uint8Array;
  readonly attributes?: readonly Uint8Array[];
}): Promise<Uint8Array> {
  const attributes = [
    attribute(oid.contentType, oidDer(p.contentType)),
    attribute(oid.messageDigest, octetString(p.messageDigest)),
    ...(p.attributes ?? []),
  ].sort(compareDer);
  const signature = await p.key.sign(setOf(...attributes), p.digest);
  return sequence(
    integer(1),
    sequence(p.signer.issuerDer, encode(p.signer.certificate.serialNumber)),
    algorithmDer(digestAlgorithm(p.digest)),
    context(0, ...attributes),
    algorithmDer(signatureAlgorithm(p.key.algorithm, p.digest)),
    octetString(signature),
  );
}

const algorithmCache = new Map<string, Uint8Array>();
/** DER of an AlgorithmIdentifier, memoised by OID (each OID here has one parameters form). */
export function algorithmDer(algorithm: { algorithmId: string; toSchema(): { toBER(): ArrayBuffer } }): Uint8Array {
  let der = algorithmCache.get(algorithm.algorithmId);
  if (!der) algorithmCache.set(algorithm.algorithmId, (der = encode(algorithm.toSchema())));
  return der;
}
