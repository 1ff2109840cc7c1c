/**
 * Electronic seal structures read from DER: SES_Signature and SES_Seal of GB/T 38540-2020
 * (version 4) and of GM/T 0031-2014 (version 1). Each part keeps the exact bytes that were
 * signed, since signatures are checked over those and never over a re-encoding. Times are
 * read leniently (UTCTime, GeneralizedTime, or either written into a string type), as seal
 * systems in the wild write them.
 */
import { bytesOf, childrenOf, contentOf, oidOf, readTlv, type Tlv } from '../cms/der.ts';
import { OfdFormatError } from '../errors.ts';

export type SesVersion = 'V4' | 'V1';

export interface CertDigest {
  /** Hash name as written, e.g. `sm3`, `SHA1`, or an OID. */
  readonly type: string;
  readonly value: Uint8Array;
}

export interface SesSeal {
  readonly version: SesVersion;
  /** SES_Header version and vendor ID (Vid). */
  readonly headerVersion: number | null;
  readonly vendorId: string | null;
  readonly esId: string | null;
  readonly type: number | null;
  readonly name: string | null;
  /** Certificates of those allowed to use the seal (certListType 1, and V1). */
  readonly signerCertificates: readonly Uint8Array[];
  /** Digests of those certificates (certListType 2). */
  readonly signerCertificateDigests: readonly CertDigest[];
  readonly createDate: Date | null;
  readonly validStart: Date | null;
  readonly validEnd: Date | null;
  readonly makerCertificate: Uint8Array;
  readonly makerAlgorithm: string;
  readonly makerSignature: Uint8Array;
  /** DER(eSealInfo) in V4; DER(SEQUENCE{sealInfo, cert, signatureAlgorithm}) in V1. */
  readonly makerSigned: Uint8Array;
}

export interface SesSignature {
  readonly version: SesVersion;
  /** The exact DER of TBS_Sign: what the signer signed. */
  readonly tbs: Uint8Array;
  readonly seal: SesSeal;
  readonly timeInfo: Date | null;
  readonly dataHash: Uint8Array;
  readonly propertyInfo: string | null;
  readonly signerCertificate: Uint8Array;
  readonly algorithm: string;
  readonly signature: Uint8Array;
  /** The RFC 3161 token of the signature value (V4 timeStamp), if any. */
  readonly timeStamp: Uint8Array | null;
}

const T = { integer: 2, bitString: 3, octetString: 4, oid: 6, utf8: 12, sequence: 16, printable: 19, ia5: 22, utcTime: 23, generalizedTime: 24 } as const;

/** Parses an SES_Signature of either version; throws {@link OfdFormatError} naming `entry`. */
export function parseSesSignature(der: Uint8Array, entry: string): SesSignature {
  const fail = (message: string, cause?: unknown): never => {
    throw new OfdFormatError({ entry, message: `SES_Signature: ${message}`, cause });
  };
  try {
    const top = readTlv(der, 0);
    if (top.tag !== T.sequence) fail('not a SEQUENCE');
    // Some writers pad the signed value file; what follows the structure is not read.
    const parts = childrenOf(der, top);
    const [tbsTlv, second] = parts;
    if (tbsTlv?.tag !== T.sequence || !second) fail('no TBS_Sign');
    const tbs = childrenOf(der, tbsTlv!);
    const [versionTlv, sealTlv, timeTlv, hashTlv, propTlv, v1CertTlv, v1AlgTlv] = tbs;
    // Both versions share TBS_Sign's first five fields; where the certificate, algorithm and signature sit differs.
    const common = (version: SesVersion, certTlv: Tlv, algTlv: Tlv | undefined, signature: Uint8Array, timeStamp: Uint8Array | null): SesSignature => ({
      version,
      tbs: bytesOf(der, tbsTlv!),
      seal: parseSeal(der, sealTlv!, entry),
      timeInfo: time(der, timeTlv),
      dataHash: bits(der, hashTlv!),
      propertyInfo: string(der, propTlv),
      signerCertificate: contentOf(der, certTlv),
      algorithm: oid(der, algTlv, 'signatureAlgorithm', entry),
      signature,
      timeStamp,
    });
    if (sealTlv?.tag !== T.sequence || hashTlv?.tag !== T.bitString) fail('TBS_Sign has no seal or dataHash');
    if (second!.tag === T.octetString) {
      // GB/T 38540: SEQUENCE { toSign, cert, signatureAlgorithm, signature, timeStamp [0] OPTIONAL }
      const [, , algTlv, sigTlv, tsTlv] = parts;
      const timeStamp = tsTlv && tsTlv.cls === 2 && tsTlv.tag === 0 ? explicitBits(der, tsTlv) : null;
      return common('V4', second!, algTlv, bitsOrOctets(der, sigTlv, 'signature', entry), timeStamp);
    }
    if (second!.tag === T.bitString) {
      // GM/T 0031: SEQUENCE { toSign, signature }; TBS_Sign carries cert and algorithm.
      if (integer(der, versionTlv) === null || v1CertTlv?.tag !== T.octetString) fail('TBS_Sign is not the GM/T 0031 structure');
      return common('V1', v1CertTlv!, v1AlgTlv, bits(der, second!), null);
    }
    return fail('neither the GB/T 38540 nor the GM/T 0031 structure');
  } catch (e) {
    if (e instanceof OfdFormatError) throw e;
    return fail((e as Error).message, e);
  }
}

function parseSeal(der: Uint8Array, sealTlv: Tlv, entry: string): SesSeal {
  const parts = childrenOf(der, sealTlv);
  const [infoTlv, second] = parts;
  if (infoTlv?.tag !== T.sequence || !second) throw new OfdFormatError({ entry, message: 'SES_Seal: no seal information' });
  const info = sealInfo(der, infoTlv, entry);
  if (second.tag === T.octetString) {
    // GB/T 38540: SES_Seal ::= SEQUENCE { eSealInfo, cert, signAlgID, signedValue }
    const [, , algTlv, sigTlv] = parts;
    return Object.assign(info, {
      version: 'V4' as const,
      makerCertificate: contentOf(der, second),
      makerAlgorithm: oid(der, algTlv, 'SES_Seal signAlgID', entry),
      makerSignature: bitsOrOctets(der, sigTlv, 'SES_Seal signedValue', entry),
      makerSigned: bytesOf(der, infoTlv),
    });
  }
  if (second.tag === T.sequence) {
    // GM/T 0031: SESeal ::= SEQUENCE { esealInfo, signInfo SEQUENCE { cert, signatureAlgorithm, signData } }
    const [certTlv, algTlv, sigTlv] = childrenOf(der, second);
    if (certTlv?.tag !== T.octetString || !algTlv) throw new OfdFormatError({ entry, message: 'SES_SignInfo is not the GM/T 0031 structure' });
    return Object.assign(info, {
      version: 'V1' as const,
      makerCertificate: contentOf(der, certTlv),
      makerAlgorithm: oid(der, algTlv, 'SES_SignInfo signatureAlgorithm', entry),
      makerSignature: bitsOrOctets(der, sigTlv, 'SES_SignInfo signData', entry),
      makerSigned: sequenceOf([bytesOf(der, infoTlv), bytesOf(der, certTlv), bytesOf(der, algTlv)]),
    });
  }
  throw new OfdFormatError({ entry, message: 'SES_Seal is neither the GB/T 38540 nor the GM/T 0031 structure' });
}

type SealInfo = Omit<SesSeal, 'version' | 'makerCertificate' | 'makerAlgorithm' | 'makerSignature' | 'makerSigned'>;

function sealInfo(der: Uint8Array, infoTlv: Tlv, entry: string): SealInfo {
  const [headerTlv, esIdTlv, propTlv] = childrenOf(der, infoTlv);
  if (headerTlv?.tag !== T.sequence || propTlv?.tag !== T.sequence) throw new OfdFormatError({ entry, message: 'SES_SealInfo is not a header, esID and property' });
  const [, versionTlv, vidTlv] = childrenOf(der, headerTlv);
  const prop = childrenOf(der, propTlv);
  let i = 0;
  const type = prop[i]?.tag === T.integer ? integer(der, prop[i++]) : null;
  const name = string(der, prop[i++]);
  // V4 puts certListType before the list; V1 has the list alone.
  const listType = prop[i]?.tag === T.integer ? integer(der, prop[i++]) : 1;
  const listTlv = prop[i++];
  const signerCertificates: Uint8Array[] = [];
  const signerCertificateDigests: CertDigest[] = [];
  if (listTlv?.constructed) {
    for (const item of childrenOf(der, listTlv)) {
      if (listType === 2 && item.tag === T.sequence) {
        const [typeTlv, valueTlv] = childrenOf(der, item);
        if (valueTlv) signerCertificateDigests.push({ type: string(der, typeTlv) ?? oidOf(der, typeTlv!) ?? '', value: contentOf(der, valueTlv) });
      } else if (item.tag === T.octetString) signerCertificates.push(contentOf(der, item));
      else if (item.tag === T.sequence) signerCertificates.push(bytesOf(der, item));
    }
  }
  return {
    headerVersion: integer(der, versionTlv),
    vendorId: string(der, vidTlv),
    esId: string(der, esIdTlv),
    type,
    name,
    signerCertificates,
    signerCertificateDigests,
    createDate: time(der, prop[i]),
    validStart: time(der, prop[i + 1]),
    validEnd: time(der, prop[i + 2]),
  };
}

function integer(der: Uint8Array, t: Tlv | undefined): number | null {
  if (t?.tag !== T.integer || t.contentEnd - t.contentStart > 6) return null;
  let v = 0;
  for (const b of contentOf(der, t)) v = v * 256 + b;
  return v;
}

function string(der: Uint8Array, t: Tlv | undefined): string | null {
  if (!t || t.constructed || t.cls !== 0) return null;
  const raw = contentOf(der, t);
  return t.tag === T.utf8 || t.tag === T.octetString ? Buffer.from(raw).toString('utf8') : Buffer.from(raw).toString('latin1');
}

function oid(der: Uint8Array, t: Tlv | undefined, what: string, entry: string): string {
  // Some writers wrap the OID in an AlgorithmIdentifier SEQUENCE.
  const o = t?.tag === T.sequence ? oidOf(der, childrenOf(der, t)[0]!) : t ? oidOf(der, t) : undefined;
  if (!o) throw new OfdFormatError({ entry, message: `${what} is not an OBJECT IDENTIFIER` });
  return o;
}

function bits(der: Uint8Array, t: Tlv): Uint8Array {
  return contentOf(der, t).subarray(1);
}

function bitsOrOctets(der: Uint8Array, t: Tlv | undefined, what: string, entry: string): Uint8Array {
  if (t?.tag === T.bitString) return bits(der, t);
  if (t?.tag === T.octetString) return contentOf(der, t);
  throw new OfdFormatError({ entry, message: `${what} is not a BIT STRING` });
}

function explicitBits(der: Uint8Array, t: Tlv): Uint8Array | null {
  const inner = t.constructed ? childrenOf(der, t)[0] : undefined;
  if (!inner) return contentOf(der, t);
  return inner.tag === T.bitString ? bits(der, inner) : inner.tag === T.octetString ? contentOf(der, inner) : bytesOf(der, inner);
}

/** UTCTime, GeneralizedTime, or either written into a string (a V1 timeInfo is a BIT STRING). */
function time(der: Uint8Array, t: Tlv | undefined): Date | null {
  if (!t || t.constructed) return null;
  const raw = t.tag === T.bitString ? contentOf(der, t).subarray(1) : contentOf(der, t);
  return parseSesTime(Buffer.from(raw).toString('latin1'), t.tag === T.utcTime);
}

/** `YYYYMMDDhhmmss[.f][Z|±hhmm]`, `YYMMDDhhmmss…` (UTCTime), or `YYYY-MM-DD hh:mm:ss`; null if none of them. */
export function parseSesTime(s: string, twoDigitYear = false): Date | null {
  const text = s.trim().replace(/[-:\sT]/g, '');
  const m = (twoDigitYear ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/).exec(text);
  if (!m) return null;
  let year = Number(m[1]);
  if (twoDigitYear) year += year < 50 ? 2000 : 1900;
  let ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const zone = m[7];
  // No zone: local time in China (UTC+8), where these are written.
  const offset = zone === 'Z' ? 0 : zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 8 * 60;
  ms -= offset * 60_000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** DER SEQUENCE around already-encoded elements (X.690 §8.9). */
function sequenceOf(elements: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(elements);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([0x30, ...len]), body]);
}
