/**
 * CMS SignedData (RFC 5652 §5) read for validation: exactly one SignerInfo, the raw DER of
 * every embedded certificate, CRL and OCSP response (including Adobe's
 * revocationInfoArchival, ISO 32000-1 §12.8.3.3.2), and the signed attributes exactly as
 * encoded, since that is what the signature covers.
 */
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier } from 'pkijs';
import { SignatureValidationError } from '../errors.ts';
import { failed } from '../report/outcome.ts';
import { SM2_OID } from './sm2.ts';

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

export type SignerId =
  | { readonly kind: 'issuerSerial'; readonly issuer: Uint8Array; readonly serial: Uint8Array }
  | { readonly kind: 'keyId'; readonly keyId: string };

/** An attribute (RFC 5652 §5.3) with each value's DER, parsed only when asked for. */
export interface RawAttribute {
  readonly type: string;
  readonly values: readonly Uint8Array[];
}

export interface ParsedSignedData {
  readonly sid: SignerId;
  readonly digestAlgorithm: AlgorithmIdentifier;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** Undefined when the SignerInfo has no signed attributes. */
  readonly signedAttributes: readonly RawAttribute[] | undefined;
  readonly unsignedAttributes: readonly RawAttribute[];
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

import { bytesOf, childrenOf, contentOf, oidOf, readTlv, type Tlv } from './der.ts';

const formatFailure = (message: string, cause?: unknown): SignatureValidationError =>
  new SignatureValidationError({ ...failed('FORMAT_FAILURE'), message, cause });

/**
 * Parses a ContentInfo holding SignedData. Trailing zero padding (as in a PDF /Contents)
 * is allowed; anything else is a FORMAT_FAILURE.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  try {
    // Walked as TLVs, not parsed as a whole: building an ASN.1 tree for every embedded
    // certificate would cost more than checking the signature.
    const top = readTlv(der, 0);
    if (!zeros(der, top.end)) throw formatFailure('data after the CMS object');
    const [type, explicit] = childrenOf(der, top);
    const contentType = type ? oidOf(der, type) : undefined;
    // GB/T 35275 gives SignedData an OID of its own; the structure is RFC 5652's.
    if (!explicit || (contentType !== CMS_OID.signedData && contentType !== SM2_OID.gmSignedData)) throw formatFailure('content type is not signedData');
    if (explicit.cls !== 2 || explicit.tag !== 0) throw formatFailure('ContentInfo has no [0] content');
    const sd = childrenOf(der, explicit)[0];
    if (!sd || sd.cls !== 0 || sd.tag !== 16) throw formatFailure('SignedData is not a SEQUENCE');
    const parts = childrenOf(der, sd);
    const [version, digestAlgorithms, encap] = parts;
    const signerInfos = parts[parts.length - 1];
    if (parts.length < 4 || version?.tag !== 2 || digestAlgorithms?.tag !== 17 || encap?.tag !== 16 || signerInfos?.tag !== 17) {
      throw formatFailure('SignedData does not have the RFC 5652 §5.1 structure');
    }
    const [eType, eWrapped] = childrenOf(der, encap);
    const eContentType = eType && oidOf(der, eType);
    if (!eContentType) throw formatFailure('EncapsulatedContentInfo has no eContentType');
    let eContent: Uint8Array | undefined;
    if (eWrapped) {
      const inner = eWrapped.cls === 2 && eWrapped.constructed ? childrenOf(der, eWrapped)[0] : undefined;
      if (!inner || inner.cls !== 0 || inner.tag !== 4) throw formatFailure('eContent is not an OCTET STRING');
      eContent = octetContent(der, inner);
    }
    const infos = childrenOf(der, signerInfos);
    if (infos.length !== 1) throw formatFailure(`${infos.length} SignerInfos; exactly one is required`);
    const si = signerInfo(der, infos[0]!);
    const raw = rawParts(der, parts.slice(3, -1));
    const archival = revocationArchival(si.signedAttributes);
    return {
      sid: si.sid,
      digestAlgorithm: si.digestAlgorithm,
      signatureAlgorithm: si.signatureAlgorithm,
      signedAttributes: si.signedAttributes,
      unsignedAttributes: si.unsignedAttributes,
      eContentType,
      eContent,
      certificates: raw.certificates,
      crls: [...raw.crls, ...archival.crls],
      ocspResponses: [...raw.ocsps, ...archival.ocsps],
      signedAttrsDer: si.signedAttrsDer,
      signature: si.signature,
    };
  } catch (e) {
    if (e instanceof SignatureValidationError) throw e;
    throw formatFailure(`the CMS object is not SignedData: ${(e as Error).message}`, e);
  }
}


const ZEROS = new Uint8Array(4096);

/** Whether `der` holds only zero bytes from `from` on (the rest of a reserved /Contents). */
function zeros(der: Uint8Array, from: number): boolean {
  for (let p = from; p < der.length; p += ZEROS.length) {
    const n = Math.min(ZEROS.length, der.length - p);
    if (Buffer.compare(Buffer.from(der.buffer, der.byteOffset + p, n), Buffer.from(ZEROS.buffer, 0, n)) !== 0) return false;
  }
  return true;
}

/**
 * SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 * signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL } (RFC 5652 §5.3).
 */
function signerInfo(der: Uint8Array, tlv: Tlv): Pick<ParsedSignedData, 'sid' | 'digestAlgorithm' | 'signatureAlgorithm' | 'signedAttributes' | 'unsignedAttributes' | 'signedAttrsDer' | 'signature'> {
  const parts = childrenOf(der, tlv);
  const [version, sidTlv, digestTlv] = parts;
  let i = 3;
  const signedTlv = parts[i]?.cls === 2 && parts[i]?.tag === 0 ? parts[i++] : undefined;
  const sigAlgTlv = parts[i++];
  const sigTlv = parts[i++];
  const unsignedTlv = parts[i]?.cls === 2 && parts[i]?.tag === 1 ? parts[i++] : undefined;
  if (version?.tag !== 2 || !sidTlv || digestTlv?.tag !== 16 || sigAlgTlv?.tag !== 16 || sigTlv?.tag !== 4 || i !== parts.length) {
    throw formatFailure('SignerInfo does not have the RFC 5652 §5.3 structure');
  }
  let sid: SignerId;
  if (sidTlv.cls === 0 && sidTlv.tag === 16) {
    const [issuer, serial] = childrenOf(der, sidTlv);
    if (issuer?.tag !== 16 || serial?.tag !== 2) throw formatFailure('issuerAndSerialNumber is malformed');
    sid = { kind: 'issuerSerial', issuer: bytesOf(der, issuer), serial: contentOf(der, serial) };
  } else if (sidTlv.cls === 2 && sidTlv.tag === 0) {
    // [0] SubjectKeyIdentifier: implicit OCTET STRING (some signers wrap it once more).
    const inner = sidTlv.constructed ? childrenOf(der, sidTlv)[0] : sidTlv;
    if (!inner) throw formatFailure('subjectKeyIdentifier is empty');
    sid = { kind: 'keyId', keyId: Buffer.from(contentOf(der, inner)).toString('hex') };
  } else throw formatFailure('SignerInfo sid is neither issuerAndSerialNumber nor subjectKeyIdentifier');
  let signedAttrsDer: Uint8Array | undefined;
  if (signedTlv) {
    signedAttrsDer = bytesOf(der, signedTlv).slice();
    signedAttrsDer[0] = 0x31; // the signature covers the attributes as an explicit SET OF (§5.4)
  }
  return {
    sid,
    digestAlgorithm: algorithm(der, digestTlv),
    signatureAlgorithm: algorithm(der, sigAlgTlv),
    signedAttributes: signedTlv ? attributeList(der, signedTlv) : undefined,
    unsignedAttributes: unsignedTlv ? attributeList(der, unsignedTlv) : [],
    signedAttrsDer,
    signature: octetContent(der, sigTlv),
  };
}

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2); parameters parsed only when not NULL (RSASSA-PSS). */
function algorithm(der: Uint8Array, tlv: Tlv): AlgorithmIdentifier {
  const [oid, params] = childrenOf(der, tlv);
  const algorithmId = oid && oidOf(der, oid);
  if (!algorithmId) throw formatFailure('AlgorithmIdentifier has no OID');
  if (!params || (params.tag === 5 && params.cls === 0)) return new AlgorithmIdentifier({ algorithmId });
  const asn1 = asn1js.fromBER(bytesOf(der, params));
  if (asn1.offset === -1) throw formatFailure('AlgorithmIdentifier parameters are not BER');
  return new AlgorithmIdentifier({ algorithmId, algorithmParams: asn1.result });
}

function attributeList(der: Uint8Array, tlv: Tlv): RawAttribute[] {
  return childrenOf(der, tlv).map((a) => {
    const [type, values] = childrenOf(der, a);
    const oid = type && oidOf(der, type);
    if (!oid || values?.tag !== 17) throw formatFailure('an attribute is malformed');
    return { type: oid, values: childrenOf(der, values).map((v) => bytesOf(der, v)) };
  });
}

/** The contents of an OCTET STRING, primitive or constructed (BER). */
function octetContent(der: Uint8Array, tlv: Tlv): Uint8Array {
  if (!tlv.constructed) return contentOf(der, tlv);
  return Buffer.concat(childrenOf(der, tlv).map((c) => octetContent(der, c)));
}

/** The one value of the one attribute `oid`, parsed; undefined if absent, repeated or malformed. */
export function singleValue(list: readonly RawAttribute[] | undefined, oid: string): asn1js.BaseBlock | undefined {
  const found = attributes(list, oid);
  if (found.length !== 1 || found[0]!.values.length !== 1) return undefined;
  try {
    const asn1 = asn1js.fromBER(found[0]!.values[0]!);
    return asn1.offset === -1 ? undefined : asn1.result;
  } catch {
    return undefined; // e.g. nesting deep enough to exhaust the stack
  }
}

/**
 * Certificates and CRLs as they were encoded (re-encoding would change hashes and
 * signatures): views into `der`, which the caches copy before they keep anything.
 */
function rawParts(der: Uint8Array, optional: readonly Tlv[]): { certificates: Uint8Array[]; crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { certificates: [] as Uint8Array[], crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  for (const el of optional) {
    if (el.cls !== 2 || !el.constructed) continue;
    const items = childrenOf(der, el);
    if (el.tag === 0) {
      // CertificateChoices: only the plain X.509 SEQUENCE alternative is a certificate.
      for (const c of items) if (c.cls === 0 && c.tag === 16) out.certificates.push(bytesOf(der, c));
    } else if (el.tag === 1) {
      for (const c of items) {
        if (c.cls === 0 && c.tag === 16) out.crls.push(bytesOf(der, c));
        else if (c.cls === 2 && c.tag === 1 && c.constructed) {
          // OtherRevocationInfoFormat { otherRevInfoFormat OID, otherRevInfo } (RFC 5940 §4.2)
          const [oid, value] = childrenOf(der, c);
          if (oid && value && oidOf(der, oid) === CMS_OID.ocspResponse) out.ocsps.push(bytesOf(der, value));
        }
      }
    }
  }
  return out;
}

/** Adobe's RevocationInfoArchival: SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, … }. */
function revocationArchival(list: readonly RawAttribute[] | undefined): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  for (const attr of attributes(list, CMS_OID.adbeRevocationInfoArchival)) {
    for (const value of attr.values) {
      for (const tagged of childrenOf(value, readTlv(value, 0))) {
        if (tagged.cls !== 2 || !tagged.constructed) continue;
        const inner = childrenOf(value, tagged)[0];
        if (!inner?.constructed) continue;
        for (const item of childrenOf(value, inner)) {
          if (tagged.tag === 0) out.crls.push(bytesOf(value, item));
          else if (tagged.tag === 1) out.ocsps.push(bytesOf(value, item));
        }
      }
    }
  }
  return out;
}

export function attributes(list: readonly RawAttribute[] | undefined, oid: string): RawAttribute[] {
  return (list ?? []).filter((a) => a.type === oid);
}

/** The DER of the one value of the one attribute `oid`; undefined if absent or repeated. */
export function singleRawValue(list: readonly RawAttribute[] | undefined, oid: string): Uint8Array | undefined {
  const found = attributes(list, oid);
  return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values[0] : undefined;
}
