import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { compareDer, integer, oid, setOf, TAG, tlv } from '../cms/der.ts';
import { DIGESTS } from '../cms/algorithms.ts';
import { attribute } from '../cms/signer-info.ts';
import { oid as OID } from '../cms/oids.ts';
import type { DigestAlgorithm } from '../types.ts';
import { hash, publicKeyInfo, signatureAlgorithm, type PublicKeyInfo, type SignatureAlgorithm } from './algorithms.ts';
import { ESSCertIDv2 } from '../cms/asn1/ess-cert-id-v2.ts';
import { ID_AA_SIGNING_CERTIFICATE_V2, SigningCertificateV2 } from '../cms/asn1/signing-certificate-v2.ts';
import { InvalidSignOptionError } from './errors.ts';

/** The certificates a signature names: the signer's and the chain that issued it. */
export interface SignerCertificates {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuing CA certificates, DER, nearest first (may include the root). */
  readonly chain: readonly Uint8Array[];
}

/** Everything about a signer that does not change from one signature to the next, DER-encoded once. */
export interface CadesProfile {
  readonly digest: DigestAlgorithm;
  readonly key: PublicKeyInfo;
  /** Signer's certificate first, then the chain, exactly as given. */
  readonly certificates: readonly Uint8Array[];
  /** SignerIdentifier: IssuerAndSerialNumber (RFC 5652 §5.3). */
  readonly sid: Uint8Array;
  /** The signing-certificate-v2 attribute (RFC 5035 §3). */
  readonly signingCertificateV2: Uint8Array;
}

const profiles = new Map<string, CadesProfile>();
const PROFILE_CACHE_SIZE = 64;

/**
 * The signer-dependent part of a CAdES signature, built once with pkijs and cached by the
 * certificates' hash: the SignerIdentifier and the ESS signing-certificate-v2 attribute,
 * whose certHash uses the signature's digest (RFC 5035 §4).
 * @throws {@link InvalidSignOptionError} A certificate is not DER X.509.
 * @throws {@link UnsupportedAlgorithmError} The key is neither EC (P-256/384/521) nor RSA.
 */
export function cadesProfile(signer: SignerCertificates, digest: DigestAlgorithm): CadesProfile {
  const cacheKey = hash('SHA-256', signer.certificate, ...signer.chain).toString('hex') + digest;
  const cached = profiles.get(cacheKey);
  if (cached) return cached;
  const key = publicKeyInfo(signer.certificate);
  const certificates = [signer.certificate, ...signer.chain].map((der, i) => {
    try {
      pkijs.Certificate.fromBER(der);
      return new Uint8Array(der);
    } catch (cause) {
      throw new InvalidSignOptionError({ field: i === 0 ? 'identity.certificate' : `identity.chain[${i - 1}]`, message: 'not a DER certificate', standard: 'RFC 5280', cause });
    }
  });
  const cert = pkijs.Certificate.fromBER(signer.certificate);
  const essCertId = new ESSCertIDv2({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[digest].oid }),
    certHash: new asn1js.OctetString({ valueHex: hash(digest, signer.certificate) }),
    issuerSerial: new pkijs.IssuerSerial({
      issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
      serialNumber: cert.serialNumber,
    }),
  });
  const ess = new SigningCertificateV2({ certs: [essCertId] });
  const profile: CadesProfile = {
    digest,
    key,
    certificates,
    sid: new Uint8Array(new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }).toSchema().toBER(false)),
    signingCertificateV2: attribute(ID_AA_SIGNING_CERTIFICATE_V2, new Uint8Array(ess.toSchema().toBER(false))),
  };
  if (profiles.size >= PROFILE_CACHE_SIZE) profiles.delete(profiles.keys().next().value!);
  profiles.set(cacheKey, profile);
  return profile;
}

/** AlgorithmIdentifier for a digest, parameters absent (RFC 5754 §2). */
export const digestAlgorithmIdentifier = (digest: DigestAlgorithm): Uint8Array => tlv(TAG.SEQUENCE, oid(DIGESTS[digest].oid));

const NULL = Uint8Array.of(TAG.NULL, 0);

export const signatureAlgorithmIdentifier = (alg: SignatureAlgorithm): Uint8Array =>
  alg.nullParameters ? tlv(TAG.SEQUENCE, oid(alg.oid), NULL) : tlv(TAG.SEQUENCE, oid(alg.oid));

/**
 * Builds the CAdES-B signed attributes of ETSI EN 319 122-1 §5.1-5.2 as PAdES wants them
 * (ETSI EN 319 142-1 §6.3): content-type id-data, message-digest over the /ByteRange
 * bytes and signing-certificate-v2 — and no signing-time: PAdES puts the time in /M.
 * @returns The DER SET OF Attribute, sorted by encoding (X.690 §11.6): the bytes the key signs (RFC 5652 §5.4).
 */
export function signedAttributes(profile: CadesProfile, messageDigest: Uint8Array): Uint8Array {
  return setOf(attribute(OID.contentType, oid(OID.data)), attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, messageDigest)), profile.signingCertificateV2);
}

/** The parts of a one-signer SignedData (RFC 5652 §5.1, §5.3). */
export interface SignedDataParts {
  readonly eContentType: string;
  /** Encapsulated content; absent for a detached signature. */
  readonly eContent?: Uint8Array | undefined;
  readonly digest: DigestAlgorithm;
  readonly certificates: readonly Uint8Array[];
  readonly sid: Uint8Array;
  /** DER SET OF Attribute, as signed; carried as [0] IMPLICIT. */
  readonly signedAttributes: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** Attribute DERs for unsignedAttrs [1] IMPLICIT. */
  readonly unsignedAttributes?: readonly Uint8Array[] | undefined;
}

/**
 * A CMS ContentInfo holding a SignedData with one SignerInfo (RFC 5652 §5). Certificates
 * and pre-encoded attributes are copied verbatim. Version is 1, or 3 when the content is
 * not id-data (§5.1).
 */
export function encodeSignedData(p: SignedDataParts): Uint8Array {
  const digestAlg = digestAlgorithmIdentifier(p.digest);
  const version = integer(p.eContentType === OID.data ? 1 : 3);
  // The signed bytes begin with the SET tag; the SignerInfo carries them as [0] IMPLICIT (§5.4).
  const signedAttrs = new Uint8Array(p.signedAttributes);
  signedAttrs[0] = TAG.context(0);
  const unsigned = p.unsignedAttributes?.length ? [tlv(TAG.context(1), ...[...p.unsignedAttributes].sort(compareDer))] : [];
  const signerInfo = tlv(
    TAG.SEQUENCE,
    integer(1),
    p.sid,
    digestAlg,
    signedAttrs,
    signatureAlgorithmIdentifier(p.signatureAlgorithm),
    tlv(TAG.OCTET_STRING, p.signature),
    ...unsigned,
  );
  const encap = p.eContent
    ? tlv(TAG.SEQUENCE, oid(p.eContentType), tlv(TAG.context(0), tlv(TAG.OCTET_STRING, p.eContent)))
    : tlv(TAG.SEQUENCE, oid(p.eContentType));
  const signedData = tlv(
    TAG.SEQUENCE,
    version,
    tlv(TAG.SET, digestAlg),
    encap,
    tlv(TAG.context(0), ...p.certificates),
    tlv(TAG.SET, signerInfo),
  );
  return tlv(TAG.SEQUENCE, oid(OID.signedData), tlv(TAG.context(0), signedData));
}

/**
 * The PAdES CMS container: detached SignedData over id-data, the signer's chain, and —
 * when given — the signature time-stamp token as the unsigned attribute
 * id-aa-signatureTimeStampToken (RFC 3161 Appendix A; ETSI EN 319 122-1 §5.3).
 */
export function signedDataDer(profile: CadesProfile, signed: Uint8Array, signatureValue: Uint8Array, timestampToken?: Uint8Array): Uint8Array {
  return encodeSignedData({
    eContentType: OID.data,
    digest: profile.digest,
    certificates: profile.certificates,
    sid: profile.sid,
    signedAttributes: signed,
    signatureAlgorithm: signatureAlgorithm(profile.key.family, profile.digest),
    signature: signatureValue,
    unsignedAttributes: timestampToken ? [attribute(OID.signatureTimeStampToken, timestampToken)] : undefined,
  });
}
