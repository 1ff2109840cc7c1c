/**
 * SM2 signatures with SM3 (GB/T 32918.2, GB/T 35276) checked in JavaScript with
 * sm-crypto-v2: node:crypto reads SM2 keys but signs and verifies only with an empty user
 * ID, never the standard's default `1234567812345678` (GB/T 35276 §5.3; GM/T 0009).
 * Signature values are decoded leniently, as seal systems in the wild write them: DER
 * SEQUENCE{r, s} (X.690), DER with unsigned INTEGERs (a high bit without the 0x00 pad), or
 * raw r‖s of 64 bytes.
 */
import { type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { childrenOf, contentOf, oidOf, readTlv } from './der.ts';

export const SM2_OID = {
  /** The SM2 curve as an id-ecPublicKey parameter (GM/T 0006). */
  curve: '1.2.156.10197.1.301',
  /** SM2 signature with SM3 (GM/T 0006 sm2sign-with-sm3). */
  sm2WithSm3: '1.2.156.10197.1.501',
  /** sm2-1 (GM/T 0006), written by some GB/T 35275 signers for the signature algorithm. */
  sm2Sign: '1.2.156.10197.1.301.1',
  sm3: '1.2.156.10197.1.401',
  /** GB/T 35275 (GM/T 0010) signedData and data content types. */
  gmSignedData: '1.2.156.10197.6.1.4.2.2',
  gmData: '1.2.156.10197.6.1.4.2.1',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

/** GB/T 35276 §5.3: the user ID every signer uses unless agreed otherwise. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

const N = 32;

/** The uncompressed point `04‖x‖y` in hex when `spki` (SubjectPublicKeyInfo DER) is an SM2 key; else undefined. */
export function sm2PointOfSpki(spki: Uint8Array): string | undefined {
  try {
    const top = readTlv(spki, 0);
    const [alg, bits] = childrenOf(spki, top);
    if (!alg || bits?.tag !== 3) return undefined;
    const [algOid, curve] = childrenOf(spki, alg);
    if (!algOid || oidOf(spki, algOid) !== SM2_OID.ecPublicKey || !curve || oidOf(spki, curve) !== SM2_OID.curve) return undefined;
    const point = contentOf(spki, bits).subarray(1);
    if (point.length !== 1 + 2 * N || point[0] !== 4) return undefined;
    return Buffer.from(point).toString('hex');
  } catch {
    return undefined;
  }
}

/** The SM2 point of a key node:crypto read (it reads SM2 SPKI, but types it as nothing it can check). */
export function sm2PointOfKey(key: KeyObject): string | undefined {
  if (key.type !== 'public' || key.asymmetricKeyType !== undefined) return undefined;
  try {
    return sm2PointOfSpki(key.export({ format: 'der', type: 'spki' }));
  } catch {
    return undefined;
  }
}

/** r‖s as 128 hex digits from any of the three encodings; undefined when it is none of them. */
export function sm2RawSignature(sig: Uint8Array): string | undefined {
  if (sig.length === 2 * N) return Buffer.from(sig).toString('hex');
  try {
    const top = readTlv(sig, 0);
    if (top.tag !== 16 || top.end !== sig.length) return undefined;
    const ints = childrenOf(sig, top);
    if (ints.length !== 2 || ints.some((t) => t.tag !== 2 || t.cls !== 0)) return undefined;
    const [r, s] = ints.map((t) => unsigned(contentOf(sig, t)));
    if (!r || !s) return undefined;
    return r + s;
  } catch {
    return undefined;
  }
}

/** An INTEGER's content read as unsigned (some signers drop the 0x00 pad), as 64 hex digits. */
function unsigned(content: Uint8Array): string | undefined {
  let i = 0;
  while (i < content.length - 1 && content[i] === 0) i++;
  const v = content.subarray(i);
  if (v.length > N || v.length === 0) return undefined;
  return Buffer.from(v).toString('hex').padStart(2 * N, '0');
}

/**
 * Whether `signature` is an SM2 signature over `data` (hashed with SM3 after the Z value of
 * `userId`) by the key `point` (hex `04‖x‖y`). False for anything undecodable.
 */
export function verifySm2(data: Uint8Array, signature: Uint8Array, point: string, userId = SM2_DEFAULT_USER_ID): boolean {
  const raw = sm2RawSignature(signature);
  if (!raw) return false;
  try {
    return sm2.doVerifySignature(data, raw, point, { hash: true, der: false, userId });
  } catch {
    return false;
  }
}
