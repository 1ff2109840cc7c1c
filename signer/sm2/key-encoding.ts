import { bitString, childrenOf, context, contentOf, integer, octetString, oid as oidDer, readTlv, sequence, TAG } from '../cms/der.ts';
import { oid } from '../cms/oids.ts';
import { PkiInputError } from '../pki/errors.ts';

/** Octets of an SM2 private scalar and of each public coordinate (GB/T 32918.1: a 256-bit prime field). */
const N = 32;

/** An SM2 key as sm-crypto-v2 takes it: hex private scalar d, hex uncompressed point 04‖x‖y. */
export interface Sm2KeyHex {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** AlgorithmIdentifier { id-ecPublicKey, sm2 } (GM/T 0006, GB/T 35276 §6): how SM2 keys are named in SPKI and PKCS#8. */
const SM2_KEY_ALGORITHM = sequence(oidDer(oid.ecPublicKey), oidDer(oid.sm2Curve));

/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of an SM2 public key given as the uncompressed
 * point `04‖x‖y` in hex: the form SM2 certificates carry (GB/T 20518-2018 §5.2.2.7).
 * @throws {@link PkiInputError} The point is not 65 octets starting 04.
 */
export function sm2Spki(point: string): Uint8Array {
  return sequence(SM2_KEY_ALGORITHM, bitString(pointBytes(point)));
}

/** The point `04‖x‖y` in hex when `spki` is an SM2 SubjectPublicKeyInfo, otherwise undefined. */
export function sm2PointOfSpki(spki: Uint8Array): string | undefined {
  try {
    const top = readTlv(spki, 0);
    if (top.end !== spki.length) return undefined;
    const [alg, bits] = childrenOf(spki, top);
    if (!alg || bits?.tag !== TAG.BIT_STRING) return undefined;
    if (!Buffer.from(spki.subarray(alg.start, alg.end)).equals(SM2_KEY_ALGORITHM)) return undefined;
    const point = contentOf(spki, bits).subarray(1);
    return point.length === 1 + 2 * N && point[0] === 4 ? Buffer.from(point).toString('hex') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PKCS#8 PrivateKeyInfo (RFC 5208) of an SM2 key: algorithm { id-ecPublicKey, sm2 } and an
 * ECPrivateKey (RFC 5915) holding d and the public point, as OpenSSL writes SM2 keys. This
 * is what the key store seals; node:crypto reads it but cannot sign standard SM2 with it.
 */
export function sm2Pkcs8(key: Sm2KeyHex): Uint8Array {
  const d = Buffer.from(key.privateKey.padStart(2 * N, '0'), 'hex');
  if (d.length !== N) throw new PkiInputError({ field: 'privateKey', message: 'an SM2 private key is 32 octets', standard: 'GB/T 32918.1' });
  const ecPrivateKey = sequence(integer(1), octetString(d), context(1, bitString(pointBytes(key.publicKey))));
  return sequence(integer(0), SM2_KEY_ALGORITHM, octetString(ecPrivateKey));
}

/**
 * The SM2 key in a PKCS#8 PrivateKeyInfo as {@link sm2Pkcs8} writes it (the public point
 * is required: the key store checks it against the stored public key).
 * @returns undefined when `pkcs8` is not an SM2 private key.
 */
export function sm2KeyOfPkcs8(pkcs8: Uint8Array): Sm2KeyHex | undefined {
  try {
    const top = readTlv(pkcs8, 0);
    if (top.end !== pkcs8.length) return undefined;
    const [, alg, wrapped] = childrenOf(pkcs8, top);
    if (!alg || !wrapped || wrapped.tag !== TAG.OCTET_STRING) return undefined;
    if (!Buffer.from(pkcs8.subarray(alg.start, alg.end)).equals(SM2_KEY_ALGORITHM)) return undefined;
    const inner = contentOf(pkcs8, wrapped);
    const fields = childrenOf(inner, readTlv(inner, 0));
    const d = fields.find((f) => f.tag === TAG.OCTET_STRING);
    const publicKey = fields.find((f) => f.tag === TAG.context(1));
    if (!d || !publicKey) return undefined;
    const bits = childrenOf(inner, publicKey)[0];
    if (!bits || bits.tag !== TAG.BIT_STRING) return undefined;
    const point = contentOf(inner, bits).subarray(1);
    const scalar = contentOf(inner, d);
    if (scalar.length !== N || point.length !== 1 + 2 * N || point[0] !== 4) return undefined;
    return { privateKey: Buffer.from(scalar).toString('hex'), publicKey: Buffer.from(point).toString('hex') };
  } catch {
    return undefined;
  }
}

function pointBytes(point: string): Uint8Array {
  const bytes = /^[0-9a-f]+$/i.test(point) ? Buffer.from(point, 'hex') : Buffer.alloc(0);
  if (bytes.length !== 1 + 2 * N || bytes[0] !== 4) {
    throw new PkiInputError({ field: 'publicKey', message: 'an SM2 public key is the uncompressed point 04‖x‖y (65 octets)', standard: 'GB/T 32918.1 §4.2.9' });
  }
  return new Uint8Array(bytes);
}
