/**
 * Test-only CMS SignedData (RFC 5652) and RFC 3161 time-stamp tokens, built with pkijs and
 * signed with node:crypto. Every knob a test needs to make a correct signature or a
 * deliberately broken one.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Identity } from './pki.ts';
import { defaultScheme, HASH_OID, hashAlgorithm, hasher, rawSign, signatureAlgorithm, type Hash, type SigScheme } from './x509.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
} as const;

export interface CmsOptions {
  readonly signer: Identity;
  /** Data whose digest goes into messageDigest (the /ByteRange bytes), detached. */
  readonly content: readonly Uint8Array[];
  readonly hash?: Hash;
  readonly scheme?: SigScheme;
  /** Encapsulate this instead of signing detached content (adbe.pkcs7.sha1, TSTInfo). */
  readonly eContent?: { readonly type: string; readonly data: Uint8Array };
  /** false: no signed attributes at all (legacy PKCS#7). @default true */
  readonly signedAttributes?: boolean;
  /** ESS signing-certificate-v2 for this certificate (default: the signer's), or none. */
  readonly ess?: Uint8Array | false;
  readonly signingTime?: Date;
  /** Certificates to embed. @default signer + chain without the root */
  readonly certificates?: readonly Uint8Array[];
  readonly revocationArchival?: { readonly crls?: readonly Uint8Array[]; readonly ocsps?: readonly Uint8Array[] };
  /** Time-stamp the signature value with this TSA at this time. */
  readonly timestamp?: { readonly tsa: Identity; readonly at: Date; readonly imprintOf?: (signature: Uint8Array) => Uint8Array; readonly shape?: TstShape };
  readonly sid?: 'issuerSerial' | 'keyId';
  /** Replaces the signature value with garbage of the same length. */
  readonly corruptSignature?: boolean;
}

export function buildCms(o: CmsOptions): Uint8Array {
  const hash = o.hash ?? 'sha256';
  const scheme = o.scheme ?? o.signer.scheme ?? defaultScheme(o.signer.privateKey);
  const signerCert = pkijs.Certificate.fromBER(o.signer.certificate);
  const content = o.eContent ? [o.eContent.data] : o.content;
  const digest = hasher(hash);
  for (const c of content) digest.update(c);
  const attrs: pkijs.Attribute[] = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: o.eContent?.type ?? OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest.digest() })] }),
  ];
  if (o.signingTime) attrs.push(new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: o.signingTime })] }));
  if (o.ess !== false) attrs.push(essV2(o.ess ?? o.signer.certificate, signerCert));
  if (o.revocationArchival) attrs.push(revocationArchival(o.revocationArchival));
  const useAttrs = o.signedAttributes !== false;
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
  let toSign: Uint8Array;
  if (useAttrs) {
    toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
    toSign[0] = 0x31;
  } else toSign = Buffer.concat(content);
  let signature = rawSign(scheme, hash, toSign, o.signer.privateKey);
  if (o.corruptSignature) signature = Buffer.from(signature.map((b, i) => (i === signature.length - 5 ? b ^ 0xff : b)));
  const sid = o.sid === 'keyId'
    ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: subjectKeyId(signerCert) })
    : new pkijs.IssuerAndSerialNumber({ issuer: signerCert.issuer, serialNumber: signerCert.serialNumber });
  const signerInfo = new pkijs.SignerInfo({
    version: o.sid === 'keyId' ? 3 : 1,
    sid,
    digestAlgorithm: hashAlgorithm(hash),
    ...(useAttrs ? { signedAttrs } : {}),
    signatureAlgorithm: scheme === 'pkcs1' ? new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }) : signatureAlgorithm(scheme, hash),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  if (o.timestamp) {
    const imprinted = o.timestamp.imprintOf ? o.timestamp.imprintOf(signature) : signature;
    const token = timestampToken({ tsa: o.timestamp.tsa, at: o.timestamp.at, data: [imprinted], shape: o.timestamp.shape });
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID.timeStampToken, values: [asn1js.fromBER(token).result] })],
    });
  }
  const certs = o.certificates ?? [o.signer.certificate, ...o.signer.chain.slice(0, -1)];
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [hashAlgorithm(hash)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo(
      o.eContent
        ? { eContentType: o.eContent.type, eContent: new asn1js.OctetString({ valueHex: o.eContent.data }) }
        : { eContentType: OID.data },
    ),
    certificates: certs.map((c) => pkijs.Certificate.fromBER(c)),
    signerInfos: [signerInfo],
  });
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema(true) }).toSchema().toBER(false));
}

function subjectKeyId(cert: pkijs.Certificate): Uint8Array {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  return (asn1js.fromBER(ext!.extnValue.valueBlock.valueHexView).result as asn1js.OctetString).valueBlock.valueHexView;
}

/** signing-certificate-v2 (RFC 5035) over `certDer`, with issuerSerial of `signer`. */
function essV2(certDer: Uint8Array, signer: pkijs.Certificate): pkijs.Attribute {
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [signer.issuer.toSchema()] })] }),
      signer.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new pkijs.Attribute({
    type: OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}

function revocationArchival(r: { crls?: readonly Uint8Array[]; ocsps?: readonly Uint8Array[] }): pkijs.Attribute {
  const parts: asn1js.BaseBlock[] = [];
  if (r.crls?.length) parts.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Sequence({ value: r.crls.map((c) => asn1js.fromBER(c).result) })] }));
  if (r.ocsps?.length) parts.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.Sequence({ value: r.ocsps.map((c) => asn1js.fromBER(c).result) })] }));
  return new pkijs.Attribute({ type: OID.adbeRevocationInfoArchival, values: [new asn1js.Sequence({ value: parts })] });
}

/** The optional parts of a TSTInfo (RFC 3161 §2.4.2), and how genTime is written. */
export interface TstShape {
  /** genTime exactly as written (GeneralizedTime), e.g. `20251231230000.25Z`. @default `at`, as asn1js writes it */
  readonly genTime?: string;
  readonly accuracy?: boolean;
  readonly ordering?: boolean;
  readonly nonce?: boolean;
  /** tsa [0] as a directoryName. */
  readonly tsaName?: boolean;
  /** extensions [1] with one non-critical extension. */
  readonly extensions?: boolean;
  /** Leave out the policy OID (a malformed TSTInfo). */
  readonly noPolicy?: boolean;
}

/** An RFC 3161 TimeStampToken over `data` (SHA-256 imprint) by `tsa` at `at`. */
export function timestampToken(p: { tsa: Identity; at: Date; data: readonly Uint8Array[]; hash?: Hash; shape?: TstShape }): Uint8Array {
  const hash = p.hash ?? 'sha256';
  const h = hasher(hash);
  for (const d of p.data) h.update(d);
  const s = p.shape ?? {};
  const tsaCert = pkijs.Certificate.fromBER(p.tsa.certificate);
  const info = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      ...(s.noPolicy ? [] : [new asn1js.ObjectIdentifier({ value: '1.2.156.3005.99.1' })]),
      new pkijs.MessageImprint({ hashAlgorithm: hashAlgorithm(hash), hashedMessage: new asn1js.OctetString({ valueHex: h.digest() }) }).toSchema(),
      new asn1js.Integer({ value: Math.floor(p.at.getTime() / 1000) % 1_000_000 }),
      s.genTime
        ? new asn1js.Primitive({ idBlock: { tagClass: 1, tagNumber: 24 }, valueHex: Buffer.from(s.genTime, 'latin1') })
        : new asn1js.GeneralizedTime({ valueDate: p.at }),
      ...(s.accuracy ? [new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 }), new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: new Uint8Array([10]) })] })] : []),
      ...(s.ordering ? [new asn1js.Boolean({ value: true })] : []),
      ...(s.nonce ? [new asn1js.Integer({ value: 424242 })] : []),
      ...(s.tsaName ? [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [tsaCert.subject.toSchema()] })] })] : []),
      ...(s.extensions
        ? [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new pkijs.Extension({ extnID: '1.2.156.3005.99.2', extnValue: new asn1js.Null().toBER() }).toSchema()] })]
        : []),
    ],
  });
  const tst = new Uint8Array(info.toBER(false));
  return buildCms({ signer: p.tsa, content: [], eContent: { type: OID.tstInfo, data: tst }, certificates: [p.tsa.certificate, ...p.tsa.chain.slice(0, -1)] });
}

export { HASH_OID };
