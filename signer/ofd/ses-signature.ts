/**
 * The signed value of an OFD seal: GB/T 38540-2020 §7.2 SES_Signature (version 4), built
 * in DER around the seal's bytes exactly as given (never a re-encoding: the maker signed
 * them). Also the few facts signOfd checks in a seal before it signs with it.
 *
 * @asn
 * ```asn
 * SES_Signature ::= SEQUENCE {
 *   toSign         TBS_Sign,
 *   cert           OCTET STRING,        -- 签章者证书
 *   signatureAlgID OBJECT IDENTIFIER,
 *   signature      BIT STRING,          -- over DER(toSign)
 *   timeStamp  [0] BIT STRING OPTIONAL }
 * TBS_Sign ::= SEQUENCE {
 *   version        INTEGER (4),
 *   eseal          SESeal,
 *   timeInfo       GeneralizedTime,
 *   dataHash       BIT STRING,          -- SM3 of the raw Signature.xml
 *   propertyInfo   IA5String,
 *   extDatas   [0] ExtensionDatas OPTIONAL }
 * ```
 */
import { createHash, X509Certificate } from 'node:crypto';
import { bitString, childrenOf, contentOf, generalizedTime, integer, octetString, oid, readTlv, sequence, tlv, type Tlv } from '../cms/der.ts';
import { OfdSealError } from './errors.ts';

/** SM2 signature with SM3 (GM/T 0006). */
export const SM2_WITH_SM3 = '1.2.156.10197.1.501';
/** SM3 (GM/T 0006), the References' CheckMethod. */
export const SM3 = '1.2.156.10197.1.401';

const IA5 = 0x16;
const GENERALIZED_TIME = 0x18;

/** What signOfd needs to know of a seal before it signs with it. */
export interface SealFacts {
  readonly name: string | null;
  readonly validStart: Date;
  readonly validEnd: Date;
  /** Does the seal list `certificate` (DER) among those allowed to use it? */
  readonly binds: (certificate: Uint8Array) => boolean;
}

/**
 * Reads a GB/T 38540 SES_Seal (header version 4) far enough to check it: name, validity,
 * the signer certificates it binds (certListType 1: certificates; 2: their digests).
 * @throws {@link OfdSealError} (field `seal`) when the bytes are not such a seal.
 */
export function sealFacts(seal: Uint8Array): SealFacts {
  try {
    const top = readTlv(seal, 0);
    if (top.tag !== 0x30 || top.end !== seal.length) throw new RangeError('not one DER SEQUENCE');
    const [info] = childrenOf(seal, top);
    const [header, , property] = childrenOf(seal, info!);
    const version = childrenOf(seal, header!)[1]!;
    if (contentOf(seal, version).at(-1) !== 4 || contentOf(seal, version).length !== 1) throw new RangeError('SES_Header version is not 4');
    const [, nameTlv, listType, list, , start, end] = childrenOf(seal, property!);
    const listed = childrenOf(seal, list!);
    const type = contentOf(seal, listType!).at(-1);
    const certs = type === 1 ? listed.map((c) => Buffer.from(contentOf(seal, c))) : [];
    const digests = type === 2 ? listed.map((c) => childrenOf(seal, c).map((t) => contentOf(seal, t))) : [];
    return {
      name: Buffer.from(contentOf(seal, nameTlv!)).toString('utf8'),
      validStart: time(seal, start!),
      validEnd: time(seal, end!),
      binds: (certificate) =>
        certs.some((c) => c.equals(certificate)) ||
        digests.some(([kind, value]) => {
          const algorithm = DIGESTS[Buffer.from(kind ?? []).toString('latin1').trim().toLowerCase()];
          return algorithm !== undefined && value !== undefined && createHash(algorithm).update(certificate).digest().equals(value);
        }),
    };
  } catch (cause) {
    if (cause instanceof OfdSealError) throw cause;
    throw new OfdSealError({ field: 'seal', message: `not a GB/T 38540 SES_Seal (version 4): ${(cause as Error).message}`, standard: 'GB/T 38540-2020 §7.1', cause });
  }
}

const DIGESTS: Record<string, string> = { sm3: 'sm3', [SM3]: 'sm3', sha1: 'sha1', 'sha-1': 'sha1', sha256: 'sha256', 'sha-256': 'sha256', '2.16.840.1.101.3.4.2.1': 'sha256' };

function time(der: Uint8Array, t: Tlv): Date {
  if (t.tag !== GENERALIZED_TIME) throw new RangeError('a validity date is not a GeneralizedTime');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(Buffer.from(contentOf(der, t)).toString('latin1'));
  if (!m) throw new RangeError('a validity date is not YYYYMMDDhhmmssZ');
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export interface TbsSignInput {
  /** The SES_Seal, DER, spliced in as given. */
  readonly seal: Uint8Array;
  /** timeInfo; whole seconds are written. */
  readonly signedAt: Date;
  /** SM3 of the Signature.xml bytes as stored. */
  readonly dataHash: Uint8Array;
  /** The package path the signature is about (the Signature.xml's, as ofdrw writes it). */
  readonly propertyInfo: string;
}

/** DER(TBS_Sign), version 4: what the signer's key signs. */
export function tbsSign(input: TbsSignInput): Uint8Array {
  const seconds = new Date(Math.floor(input.signedAt.getTime() / 1000) * 1000);
  return sequence(integer(4), input.seal, generalizedTime(seconds), bitString(input.dataHash), tlv(IA5, Buffer.from(input.propertyInfo, 'latin1')));
}

/** DER(SES_Signature), version 4, from DER(TBS_Sign), the signer's certificate and the signature over the TBS. */
export function sesSignature(tbs: Uint8Array, certificate: Uint8Array, signature: Uint8Array): Uint8Array {
  return sequence(tbs, octetString(certificate), oid(SM2_WITH_SM3), bitString(signature));
}

/** The certificate's validity. @throws {@link OfdSealError} (field `signerCertificate`) when it does not parse. */
export function certificateValidity(certificate: Uint8Array): { notBefore: Date; notAfter: Date } {
  try {
    const x = new X509Certificate(certificate);
    return { notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo) };
  } catch (cause) {
    throw new OfdSealError({ field: 'signerCertificate', message: 'not a DER X.509 certificate', cause });
  }
}
