/**
 * CMS SignedData (RFC 5652 §5) read for validation: exactly one SignerInfo, the raw DER of
 * every embedded certificate, CRL and OCSP response (including Adobe's
 * revocationInfoArchival, ISO 32000-1 §12.8.3.3.2), and the signed attributes exactly as
 * encoded, since that is what the signature covers.
 */
import * as asn1js from 'asn1js';
import { Attribute, ContentInfo, IssuerAndSerialNumber, SignedData, SignerInfo } from 'pkijs';
import { SignatureValidationError } from '../errors.ts';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  ocspResponse: '1.3.6.1.5.5.7.16.2',
} as const;

export type SignerId = { readonly kind: 'issuerSerial'; readonly value: IssuerAndSerialNumber } | { readonly kind: 'keyId'; readonly keyId: string };

export interface ParsedSignedData {
  readonly signedData: SignedData;
  readonly signerInfo: SignerInfo;
  readonly sid: SignerId;
  readonly eContentType: string;
  /** The encapsulated content bytes, when present (not for detached PDF signatures). */
  readonly eContent: Uint8Array | undefined;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
  /** The SET OF signed attributes as signed (tag 0x31), or undefined when there are none. */
  readonly signedAttrsDer: Uint8Array | undefined;
  readonly signature: Uint8Array;
}

const formatFailure = (message: string, cause?: unknown): SignatureValidationError =>
  new SignatureValidationError({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', message, cause });

/**
 * Parses a ContentInfo holding SignedData. Trailing zero padding (as in a PDF /Contents)
 * is allowed; anything else is a FORMAT_FAILURE.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  let asn1;
  try {
    asn1 = asn1js.fromBER(der);
  } catch (e) {
    throw formatFailure('the CMS object is not BER', e);
  }
  if (asn1.offset === -1) throw formatFailure(`the CMS object is not BER: ${asn1.result.error}`);
  for (let i = asn1.offset; i < der.length; i++) if (der[i] !== 0) throw formatFailure('data after the CMS object');
  try {
    const info = new ContentInfo({ schema: asn1.result });
    if (info.contentType !== CMS_OID.signedData) throw formatFailure(`content type ${info.contentType} is not signedData`);
    const sd = new SignedData({ schema: info.content });
    if (sd.signerInfos.length !== 1) throw formatFailure(`${sd.signerInfos.length} SignerInfos; exactly one is required`);
    const signerInfo = sd.signerInfos[0]!;
    const raw = rawParts(info.content as asn1js.Sequence);
    const archival = revocationArchival(signerInfo);
    const eContent = sd.encapContentInfo.eContent ? octets(sd.encapContentInfo.eContent) : undefined;
    return {
      signedData: sd,
      signerInfo,
      sid: signerId(signerInfo),
      eContentType: sd.encapContentInfo.eContentType,
      eContent,
      certificates: raw.certificates,
      crls: [...raw.crls, ...archival.crls],
      ocspResponses: [...raw.ocsps, ...archival.ocsps],
      signedAttrsDer: signerInfo.signedAttrs ? new Uint8Array(signerInfo.signedAttrs.encodedValue) : undefined,
      signature: signerInfo.signature.valueBlock.valueHexView,
    };
  } catch (e) {
    if (e instanceof SignatureValidationError) throw e;
    throw formatFailure(`the CMS object is not SignedData: ${(e as Error).message}`, e);
  }
}

function signerId(si: SignerInfo): SignerId {
  const sid = si.sid as unknown;
  if (sid instanceof IssuerAndSerialNumber) return { kind: 'issuerSerial', value: sid };
  const block = sid as asn1js.Constructed & asn1js.Primitive;
  // [0] SubjectKeyIdentifier: implicit OCTET STRING, read as a primitive or wrapped once.
  const view = block.valueBlock?.valueHexView?.length ? block.valueBlock.valueHexView
    : (block.valueBlock as unknown as { value?: asn1js.OctetString[] }).value?.[0]?.valueBlock?.valueHexView;
  if (!view) throw formatFailure('SignerInfo sid is neither issuerAndSerialNumber nor subjectKeyIdentifier');
  return { kind: 'keyId', keyId: Buffer.from(view).toString('hex') };
}

/** Certificates and CRLs as they were encoded (re-encoding would change hashes and signatures). */
function rawParts(seq: asn1js.Sequence): { certificates: Uint8Array[]; crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { certificates: [] as Uint8Array[], crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  for (const el of seq.valueBlock.value) {
    if (el.idBlock.tagClass !== 3) continue;
    const children = (el as asn1js.Constructed).valueBlock.value ?? [];
    if (el.idBlock.tagNumber === 0) {
      // CertificateChoices: only the plain X.509 SEQUENCE alternative is a certificate.
      for (const c of children) if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) out.certificates.push(c.valueBeforeDecodeView.slice());
    } else if (el.idBlock.tagNumber === 1) {
      for (const c of children) {
        if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) out.crls.push(c.valueBeforeDecodeView.slice());
        else if (c.idBlock.tagClass === 3 && c.idBlock.tagNumber === 1) {
          // OtherRevocationInfoFormat { otherRevInfoFormat OID, otherRevInfo } (RFC 5940)
          const parts = (c as asn1js.Constructed).valueBlock.value;
          const oid = parts[0] instanceof asn1js.ObjectIdentifier ? parts[0].valueBlock.toString() : '';
          if (oid === CMS_OID.ocspResponse && parts[1]) out.ocsps.push(parts[1].valueBeforeDecodeView.slice());
        }
      }
    }
  }
  return out;
}

/** Adobe's RevocationInfoArchival: SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, … }. */
function revocationArchival(si: SignerInfo): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  for (const attr of attributes(si.signedAttrs?.attributes, CMS_OID.adbeRevocationInfoArchival)) {
    for (const value of attr.values) {
      const seq = value as asn1js.Sequence;
      for (const tagged of seq.valueBlock?.value ?? []) {
        if (tagged.idBlock.tagClass !== 3) continue;
        const inner = (tagged as asn1js.Constructed).valueBlock.value?.[0] as asn1js.Sequence | undefined;
        for (const item of inner?.valueBlock?.value ?? []) {
          if (tagged.idBlock.tagNumber === 0) out.crls.push(item.valueBeforeDecodeView.slice());
          else if (tagged.idBlock.tagNumber === 1) out.ocsps.push(item.valueBeforeDecodeView.slice());
        }
      }
    }
  }
  return out;
}

export function attributes(list: readonly Attribute[] | undefined, oid: string): Attribute[] {
  return (list ?? []).filter((a) => a.type === oid);
}

/** The contents of an OCTET STRING, primitive or constructed (BER). */
export function octets(o: asn1js.OctetString): Uint8Array {
  if (!o.idBlock.isConstructed) return o.valueBlock.valueHexView;
  const parts = (o.valueBlock.value ?? []) as asn1js.OctetString[];
  return Buffer.concat(parts.map((p) => octets(p)));
}
