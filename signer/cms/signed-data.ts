import type { CertificateInfo } from '../pki/certificate-info.ts';
import type { DigestAlgorithm, SigningKey } from '../types.ts';
import { digestAlgorithmIdentifier, signatureAlgorithm, signatureAlgorithmIdentifier, type SignatureAlgorithm } from './algorithms.ts';
import { attribute } from './attributes.ts';
import { compareDer, encode, integer, octetString, oid, sequence, setOf, TAG, tlv } from './der.ts';
import { oid as OID } from './oids.ts';

/** The parts of one SignerInfo (RFC 5652 §5.3), already signed. */
export interface SignerInfoParts {
  readonly digest: DigestAlgorithm;
  /** SignerIdentifier, DER; issuerAndSerialNumber makes the SignerInfo version 1. */
  readonly sid: Uint8Array;
  /** DER SET OF Attribute, as signed; carried as [0] IMPLICIT. */
  readonly signedAttributes: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** Attribute DERs for unsignedAttrs [1] IMPLICIT. */
  readonly unsignedAttributes?: readonly Uint8Array[] | undefined;
}

/** What a SignedData holds besides its SignerInfo (RFC 5652 §5.1-5.2). */
export interface SignedDataContent {
  readonly eContentType: string;
  /** Encapsulated content; absent for a detached signature. */
  readonly eContent?: Uint8Array | undefined;
  readonly digest: DigestAlgorithm;
  /** Certificates, DER, copied verbatim; none omits the [0] field. */
  readonly certificates: readonly Uint8Array[];
}

/** The parts of a one-signer SignedData (RFC 5652 §5.1, §5.3). */
export interface SignedDataParts extends SignedDataContent, SignerInfoParts {}

/** A SignerInfo (RFC 5652 §5.3), DER, from parts already signed. */
export function encodeSignerInfo(p: SignerInfoParts): Uint8Array {
  // The signed bytes begin with the SET tag; the SignerInfo carries them as [0] IMPLICIT (§5.4).
  const signedAttrs = new Uint8Array(p.signedAttributes);
  signedAttrs[0] = TAG.context(0);
  const unsigned = p.unsignedAttributes?.length ? [tlv(TAG.context(1), ...[...p.unsignedAttributes].sort(compareDer))] : [];
  return tlv(
    TAG.SEQUENCE,
    integer(1),
    p.sid,
    digestAlgorithmIdentifier(p.digest),
    signedAttrs,
    signatureAlgorithmIdentifier(p.signatureAlgorithm),
    tlv(TAG.OCTET_STRING, p.signature),
    ...unsigned,
  );
}

/**
 * A CMS ContentInfo holding a SignedData with one encoded SignerInfo (RFC 5652 §5).
 * Version is 1, or 3 when the content is not id-data (§5.1).
 */
export function encodeSignedDataContent(p: SignedDataContent & { readonly signerInfo: Uint8Array }): Uint8Array {
  const encap = p.eContent
    ? tlv(TAG.SEQUENCE, oid(p.eContentType), tlv(TAG.context(0), tlv(TAG.OCTET_STRING, p.eContent)))
    : tlv(TAG.SEQUENCE, oid(p.eContentType));
  const signedData = tlv(
    TAG.SEQUENCE,
    integer(p.eContentType === OID.data ? 1 : 3),
    tlv(TAG.SET, digestAlgorithmIdentifier(p.digest)),
    encap,
    ...(p.certificates.length ? [tlv(TAG.context(0), ...p.certificates)] : []),
    tlv(TAG.SET, p.signerInfo),
  );
  return tlv(TAG.SEQUENCE, oid(OID.signedData), tlv(TAG.context(0), signedData));
}

/**
 * A CMS ContentInfo holding a SignedData with one SignerInfo (RFC 5652 §5), from parts
 * already signed. Certificates and pre-encoded attributes are copied verbatim.
 * Equivalent to {@link encodeSignerInfo} → {@link encodeSignedDataContent}.
 */
export function encodeSignedData(p: SignedDataParts): Uint8Array {
  return encodeSignedDataContent({ ...p, signerInfo: encodeSignerInfo(p) });
}

/**
 * A CMS SignerInfo (RFC 5652 §5.3), DER, with signed attributes contentType,
 * messageDigest and `attributes` (DER Attributes, e.g. signing-certificate-v2),
 * signed through `key`. The SET OF signed attributes is DER-sorted and the bytes signed
 * are the bytes written (the [0] IMPLICIT tag replaced by SET, §5.4). The signer is named
 * by issuerAndSerialNumber (version 1).
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
  const signedAttributes = setOf(
    attribute(OID.contentType, oid(p.contentType)),
    attribute(OID.messageDigest, octetString(p.messageDigest)),
    ...(p.attributes ?? []),
  );
  return encodeSignerInfo({
    digest: p.digest,
    sid: sequence(p.signer.issuerDer, encode(p.signer.certificate.serialNumber)),
    signedAttributes,
    signatureAlgorithm: signatureAlgorithm(p.key.algorithm, p.digest),
    signature: await p.key.sign(signedAttributes, p.digest),
  });
}
