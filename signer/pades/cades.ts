import * as pkijs from 'pkijs';
import { hash, signatureAlgorithm } from '../cms/algorithms.ts';
import { attribute, signingCertificateV2 } from '../cms/attributes.ts';
import { oid, setOf, TAG, tlv } from '../cms/der.ts';
import { oid as OID } from '../cms/oids.ts';
import { encodeSignedData } from '../cms/signed-data.ts';
import type { DigestAlgorithm } from '../types.ts';
import { InvalidSignOptionError } from './errors.ts';
import { publicKeyInfo, type PublicKeyInfo } from './public-key-info.ts';

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
  const profile: CadesProfile = {
    digest,
    key,
    certificates,
    sid: new Uint8Array(new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }).toSchema().toBER(false)),
    signingCertificateV2: signingCertificateV2(signer.certificate, digest, cert),
  };
  if (profiles.size >= PROFILE_CACHE_SIZE) profiles.delete(profiles.keys().next().value!);
  profiles.set(cacheKey, profile);
  return profile;
}

/**
 * Builds the CAdES-B signed attributes of ETSI EN 319 122-1 §5.1-5.2 as PAdES wants them
 * (ETSI EN 319 142-1 §6.3): content-type id-data, message-digest over the /ByteRange
 * bytes and signing-certificate-v2 — and no signing-time: PAdES puts the time in /M.
 * @returns The DER SET OF Attribute, sorted by encoding (X.690 §11.6): the bytes the key signs (RFC 5652 §5.4).
 */
export function signedAttributes(profile: CadesProfile, messageDigest: Uint8Array): Uint8Array {
  return setOf(attribute(OID.contentType, oid(OID.data)), attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, messageDigest)), profile.signingCertificateV2);
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
