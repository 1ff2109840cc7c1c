import { sm2 } from 'sm-crypto-v2';
import { sm2Pkcs8, sm2Spki, type Sm2KeyHex } from './key-encoding.ts';

/** A new SM2 key pair (GB/T 32918.1 §6.1) with both encodings the PKI stores. */
export interface Sm2KeyPair {
  readonly key: Sm2KeyHex;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  /** PKCS#8 PrivateKeyInfo, DER: for the key store to seal, never to keep in the clear. */
  readonly pkcs8: Uint8Array;
}

/**
 * Generates an SM2 key pair with sm-crypto-v2 (d from a CSPRNG, uniformly in [1, n-2]).
 * The service's SM2 keys come only from `KeyStore.generate('SM2')`, which seals the private
 * half at once; this is its building block, and the tests'.
 */
export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  const key = { privateKey: privateKey.padStart(64, '0'), publicKey };
  return { key, spki: sm2Spki(publicKey), pkcs8: sm2Pkcs8(key) };
}
