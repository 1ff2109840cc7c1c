import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestAlgorithm } from '../types.ts';
import { DIGESTS, hash, publicKeyInfo, signatureAlgorithm, type PublicKeyInfo } from './algorithms.ts';
import { ESSCertIDv2 } from './asn1/ess-cert-id-v2.ts';
import { ID_AA_SIGNING_CERTIFICATE_V2, SigningCertificateV2 } from './asn1/signing-certificate-v2.ts';
import { InvalidSignOptionError } from './errors.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

/** The certificates a signature names: the signer's and the chain that issued it. */
export interface SignerCertificates {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuing CA certificates, DER, nearest first (may include the root). */
  readonly chain: readonly Uint8Array[];
}

/** Everything about a signer that does not change from one signature to the next. */
export interface CadesProfile {
  readonly digest: DigestAlgorithm;
  readonly key: PublicKeyInfo;
  readonly certificates: readonly pkijs.Certificate[];
  readonly sid: pkijs.IssuerAndSerialNumber;
  readonly signingCertificateV2: pkijs.Attribute;
}

const profiles = new Map<string, CadesProfile>();
const PROFILE_CACHE_SIZE = 64;

/**
 * The signer-dependent part of a CAdES signature, parsed once and cached by the
 * certificates' hash: certificate objects, the SignerIdentifier and the ESS
 * signing-certificate-v2 attribute (RFC 5035; its certHash uses the signature's digest).
 */
export function cadesProfile(signer: SignerCertificates, digest: DigestAlgorithm): CadesProfile {
  const cacheKey = hash('SHA-256', signer.certificate, ...signer.chain).toString('hex') + digest;
  const cached = profiles.get(cacheKey);
  if (cached) return cached;
  const key = publicKeyInfo(signer.certificate);
  const certificates = [signer.certificate, ...signer.chain].map((der, i) => {
    try {
      return pkijs.Certificate.fromBER(der);
    } catch (cause) {
      throw new InvalidSignOptionError({ field: i === 0 ? 'identity.certificate' : `identity.chain[${i - 1}]`, message: 'not a DER certificate', standard: 'RFC 5280', cause });
    }
  });
  const cert = certificates[0]!;
  const essCertId = new ESSCertIDv2({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[digest].oid }),
    certHash: new asn1js.OctetString({ valueHex: hash(digest, signer.certificate) }),
    issuerSerial: new pkijs.IssuerSerial({
      issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
      serialNumber: cert.serialNumber,
    }),
  });
  const profile: CadesProfile = {
    digest,
    key,
    certificates,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    signingCertificateV2: new pkijs.Attribute({
      type: ID_AA_SIGNING_CERTIFICATE_V2,
      values: [new SigningCertificateV2({ certs: [essCertId] }).toSchema()],
    }),
  };
  if (profiles.size >= PROFILE_CACHE_SIZE) profiles.delete(profiles.keys().next().value!);
  profiles.set(cacheKey, profile);
  return profile;
}

/** The signed attributes, in DER order, and their DER encoding as a SET OF — the bytes the key signs (RFC 5652 §5.4). */
export interface SignedAttributes {
  readonly attributes: readonly pkijs.Attribute[];
  readonly der: Uint8Array;
}

/**
 * Builds the CAdES-B signed attributes of ETSI EN 319 122-1 §5.1-5.2 as PAdES wants them
 * (ETSI EN 319 142-1 §6.3): content-type id-data, message-digest over the /ByteRange
 * bytes and signing-certificate-v2 — and no signing-time: PAdES puts the time in /M.
 */
export function signedAttributes(profile: CadesProfile, messageDigest: Uint8Array): SignedAttributes {
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: messageDigest })] }),
    profile.signingCertificateV2,
  ];
  // DER sorts SET OF by the components' encodings (X.690 §11.6); the SignerInfo repeats
  // them in the same order so that the signed bytes and the transmitted ones agree.
  const encoded = attributes.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) })).sort((x, y) => compareBytes(x.der, y.der));
  const body = Buffer.concat(encoded.map((e) => e.der));
  return { attributes: encoded.map((e) => e.a), der: Buffer.concat([derHeader(0x31, body.length), body]) };
}

/**
 * The CMS ContentInfo of a detached SignedData (RFC 5652 §5) carrying one SignerInfo with
 * `signedAttrs`, the signature value and, when given, the signature time-stamp token as
 * the unsigned attribute id-aa-signatureTimeStampToken (RFC 3161 Appendix A).
 */
export function signedDataDer(
  profile: CadesProfile,
  signed: SignedAttributes,
  signatureValue: Uint8Array,
  timestampToken?: Uint8Array,
): Uint8Array {
  const digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[profile.digest].oid });
  const sigAlg = signatureAlgorithm(profile.key.family, profile.digest);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: profile.sid,
    digestAlgorithm,
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: [...signed.attributes] }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: sigAlg.oid,
      ...(sigAlg.nullParameters ? { algorithmParams: new asn1js.Null() } : {}),
    }),
    signature: new asn1js.OctetString({ valueHex: signatureValue }),
  });
  if (timestampToken) {
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [fromDer(timestampToken)] })],
    });
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [...profile.certificates],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

export function fromDer(der: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new Error(`ASN.1: ${parsed.result.error}`);
  return parsed.result;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A DER tag and definite length (X.690 §8.1.3). */
function derHeader(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Uint8Array.of(tag, 0x80 | bytes.length, ...bytes);
}
