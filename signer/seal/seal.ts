import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { InvalidInputError } from '../../common/index.ts';
import { defaultDigest, DIGESTS, signatureAlgorithm, signatureFromOid } from '../cms/algorithms.ts';
import type { DigestAlgorithm, KeyAlgorithm, SigningKey } from '../types.ts';
import { CertDigestObj } from './asn1/cert-digest-obj.ts';
import { SESeal } from './asn1/se-seal.ts';
import { SESESPictrueInfo } from './asn1/ses-es-pictrue-info.ts';
import { CERT_LIST_TYPE, SEAL_TYPE, SESESPropertyInfo } from './asn1/ses-es-property-info.ts';
import { SESHeader, SES_VERSION } from './asn1/ses-header.ts';
import { SESSealInfo } from './asn1/ses-seal-info.ts';
import { SealFormatError, SealMakerError } from './errors.ts';
import { oid } from '../cms/oids.ts';
import { parseCertificate } from '../pki/certificate-info.ts';
import { sm2PointOfSpki } from '../sm2/key-encoding.ts';
import { sm2Verify } from '../sm2/sign.ts';

/**
 * The signature algorithm a seal maker's key signs with: its default digest (SHA-384 for
 * P-384, SM3 for SM2, SHA-256 otherwise), ecdsa-with-SHA* (RFC 5758 §3.2),
 * sha*WithRSAEncryption (RFC 4055) or SM2-with-SM3 (GB/T 38540 §7.1, GM/T 0006).
 */
function signAlgorithm(key: KeyAlgorithm): { oid: string; digest: DigestAlgorithm } {
  const digest = defaultDigest(key);
  return { oid: signatureAlgorithm(key, digest).oid, digest };
}

/** SM2 with SM3 (GM/T 0006, GB/T 33560): the national algorithm GB/T 38540 names for seals. */
export const SM2_WITH_SM3 = oid.sm2WithSm3;

/** Vendor id zhengyin writes into SES_Header.vid. */
export const ZHENGYIN_VID = 'ZHENGYIN';

export interface SealPicture {
  /** 'PNG' for the pictures {@link drawSealPicture} makes. */
  readonly type: string;
  readonly data: Uint8Array;
  /** Display size in millimetres (GB/T 38540 carries whole millimetres). */
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface NewSealInput {
  /** 电子印章标识: printable ASCII, unique per seal. */
  readonly esID: string;
  /** 印章名称, e.g. '厦门市市场监督管理局行政审批专用章'. */
  readonly name: string;
  /** 印章类型; default 1 (单位印章). */
  readonly type?: number;
  readonly createDate: Date;
  readonly validStart: Date;
  readonly validEnd: Date;
  readonly picture: SealPicture;
  /** Certificates (DER) of the signers this seal is bound to: only they may sign with it. */
  readonly certificates: readonly Uint8Array[];
  /** Bind certificates by SHA-256 digest (certListType 2) instead of whole (1). Default false. */
  readonly bindByDigest?: boolean;
  /** SES_Header.vid; default 'ZHENGYIN'. */
  readonly vendorId?: string;
}

/** The seal maker (制章者): its key and certificate. */
export interface SealMaker {
  readonly key: SigningKey;
  /** DER. */
  readonly certificate: Uint8Array;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]{1,64}$/;

/**
 * Builds the seal information (SES_SealInfo, GB/T 38540-2020 §7.1.2) that the maker signs.
 *
 * @throws `InvalidInputError` naming the field: esID not 1-64 printable ASCII characters,
 * an empty name, validity that ends before it starts, no bound certificate, a picture of
 * no bytes or no size.
 */
export function newSealInfo(input: NewSealInput): SESSealInfo {
  const bad = (field: string, message: string) => new InvalidInputError({ field, message: `${field}: ${message}`, standard: 'GB/T 38540-2020' });
  if (!PRINTABLE_ASCII.test(input.esID)) throw bad('esID', 'must be 1-64 printable ASCII characters (IA5String)');
  if (input.name.trim() === '') throw bad('name', 'must not be empty');
  if (!(input.validEnd.getTime() > input.validStart.getTime())) throw bad('validEnd', 'must be after validStart');
  if (input.certificates.length === 0) throw bad('certificates', 'a seal binds at least one signer certificate');
  if (input.picture.data.length === 0) throw bad('picture', 'has no image data');
  const width = Math.round(input.picture.widthMm);
  const height = Math.round(input.picture.heightMm);
  if (width <= 0 || height <= 0) throw bad('picture', 'display size must be at least 1 mm');
  return new SESSealInfo({
    header: new SESHeader({ version: SES_VERSION, vid: input.vendorId ?? ZHENGYIN_VID }),
    esID: input.esID,
    property: new SESESPropertyInfo({
      type: input.type ?? SEAL_TYPE.ORGANISATION,
      name: input.name,
      certListType: input.bindByDigest ? CERT_LIST_TYPE.CERT_DIGESTS : CERT_LIST_TYPE.CERTS,
      certs: input.bindByDigest ? [] : input.certificates.map((c) => Uint8Array.from(c)),
      certDigestList: input.bindByDigest ? input.certificates.map((c) => new CertDigestObj({ type: 'SHA256', value: createHash('sha256').update(c).digest() })) : [],
      createDate: input.createDate,
      validStart: input.validStart,
      validEnd: input.validEnd,
    }),
    picture: new SESESPictrueInfo({ type: input.picture.type, data: input.picture.data, width, height }),
  });
}

/**
 * Signs seal information as the maker and returns the DER SESeal (GB/T 38540-2020 §7.1).
 * The signature covers DER(SES_SealInfo); the algorithm follows the maker's key
 * (SM2 → SM2-with-SM3, DER SEQUENCE{r, s}; ECDSA P-256 → ecdsa-with-SHA256; RSA →
 * sha256WithRSAEncryption). The maker certificate must be valid at `at` (default now) and
 * hold the key's public half: the signature is checked against it before it is returned.
 *
 * Equivalent to `new SESeal({ eSealInfo: info, cert, signAlgID, signedValue: await key.sign(der) })`.
 * @throws {@link SealMakerError} The key is not the certificate's, or the certificate is outside its validity.
 * @example
 * const der = await signSeal(newSealInfo({ esID, name, … }), { key, certificate });
 */
export async function signSeal(info: SESSealInfo, maker: SealMaker, at: Date = new Date()): Promise<Uint8Array> {
  const certificate = parseCertificate(maker.certificate, 'maker.certificate');
  if (certificate.keyAlgorithm !== maker.key.algorithm) {
    throw new SealMakerError('KEY_CERTIFICATE_MISMATCH', `the maker key is ${maker.key.algorithm}, its certificate holds ${certificate.keyAlgorithm ?? 'an unsupported'} key`);
  }
  if (at < certificate.notBefore) throw new SealMakerError('MAKER_NOT_YET_VALID', `the maker certificate ${certificate.subject} is valid from ${certificate.notBefore.toISOString()}`);
  if (at > certificate.notAfter) throw new SealMakerError('MAKER_EXPIRED', `the maker certificate ${certificate.subject} expired ${certificate.notAfter.toISOString()}`);
  const alg = signAlgorithm(maker.key.algorithm);
  const tbs = new Uint8Array(info.toSchema().toBER());
  const signedValue = await maker.key.sign(tbs, alg.digest);
  if (makerSignatureProblem(tbs, alg.oid, maker.certificate, signedValue)) {
    throw new SealMakerError('KEY_CERTIFICATE_MISMATCH', `the maker key is not the key of its certificate ${certificate.subject}`);
  }
  const seal = new SESeal({ eSealInfo: info, cert: Uint8Array.from(maker.certificate), signAlgID: alg.oid, signedValue });
  return new Uint8Array(seal.toSchema().toBER());
}

/**
 * Parses a DER SESeal.
 * @throws {@link SealFormatError} when the bytes are not one (trailing bytes included).
 */
export function decodeSeal(der: Uint8Array): SESeal {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new SealFormatError(`not a DER SESeal: ${parsed.result.error || 'trailing bytes'}`);
  try {
    return new SESeal({ schema: parsed.result });
  } catch (e) {
    throw new SealFormatError(`not a GB/T 38540 SESeal: ${(e as Error).message}`, { cause: e });
  }
}

export type SealVerificationFailure =
  | 'SIGNATURE_INVALID'
  | 'ALGORITHM_UNSUPPORTED'
  | 'ALGORITHM_KEY_MISMATCH'
  | 'MAKER_CERTIFICATE_UNREADABLE'
  | 'NOT_YET_VALID'
  | 'EXPIRED';

/** What verifying a seal found. A verdict, not an exception. */
export interface SealVerification {
  /** The maker's signature verifies over the seal information with the maker certificate's key. */
  readonly signatureValid: boolean;
  /** `at` lies within validStart..validEnd; absent when no `at` was given. */
  readonly withinValidity?: boolean;
  /** The first reason the seal fails, if it does. */
  readonly failure?: SealVerificationFailure;
  readonly esID: string;
  readonly name: string;
}

/**
 * Verifies a seal's maker signature (node:crypto) and, when `at` is given, its validity
 * period. It does not validate the maker certificate's chain or revocation: that is the
 * PKI's job, with the certificate in `seal.cert`.
 *
 * @throws {@link SealFormatError} only when `seal` is bytes that do not parse.
 */
export async function verifySeal(seal: Uint8Array | SESeal, options: { at?: Date } = {}): Promise<SealVerification> {
  const s = seal instanceof SESeal ? seal : decodeSeal(seal);
  const base = { esID: s.eSealInfo.esID, name: s.eSealInfo.property.name };
  const tbs = s.tbsView.byteLength > 0 ? s.tbsView : new Uint8Array(s.eSealInfo.toSchema().toBER());
  const failure = makerSignatureProblem(tbs, s.signAlgID, s.cert, s.signedValue);
  if (failure) return { ...base, signatureValid: false, failure };
  const signatureValid = true;
  if (!options.at) return { ...base, signatureValid };
  const { validStart, validEnd } = s.eSealInfo.property;
  const t = options.at.getTime();
  if (t < validStart.getTime()) return { ...base, signatureValid, withinValidity: false, failure: 'NOT_YET_VALID' };
  if (t > validEnd.getTime()) return { ...base, signatureValid, withinValidity: false, failure: 'EXPIRED' };
  return { ...base, signatureValid, withinValidity: true };
}

/**
 * Why the maker signature `signedValue` over `tbs` does not verify with the key of `certDer`
 * under `signAlgID`, or undefined when it does. SM2 through signer/sm2 (default user ID),
 * the others through node:crypto.
 */
function makerSignatureProblem(tbs: Uint8Array, signAlgID: string, certDer: Uint8Array, signedValue: Uint8Array): SealVerificationFailure | undefined {
  const alg = signatureFromOid(signAlgID);
  if (!alg) return 'ALGORITHM_UNSUPPORTED';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certDer);
  } catch {
    return 'MAKER_CERTIFICATE_UNREADABLE';
  }
  if (alg.family === 'SM2') {
    const point = sm2PointOfSpki(new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' })));
    if (!point) return 'ALGORITHM_KEY_MISMATCH';
    return sm2Verify(tbs, signedValue, point) ? undefined : 'SIGNATURE_INVALID';
  }
  if (cert.publicKey.asymmetricKeyType !== alg.family.toLowerCase()) return 'ALGORITHM_KEY_MISMATCH';
  try {
    return cryptoVerify(DIGESTS[alg.digest].node, tbs, cert.publicKey, signedValue) ? undefined : 'SIGNATURE_INVALID';
  } catch {
    return 'SIGNATURE_INVALID';
  }
}

/** True if the seal binds `certificate` (DER), whole or by a SHA-256 digest. */
export function sealBindsCertificate(seal: SESeal, certificate: Uint8Array): boolean {
  const { certListType, certs, certDigestList } = seal.eSealInfo.property;
  const der = Buffer.from(certificate);
  if (certListType === CERT_LIST_TYPE.CERTS) return certs.some((c) => der.equals(c));
  const digest = createHash('sha256').update(der).digest();
  return certDigestList.some((d) => /^SHA-?256$/i.test(d.type) && digest.equals(d.value));
}
