import { createPublicKey, generateKeyPair as generateNodeKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { DigestAlgorithm, KeyAlgorithm, SigningKey } from '../types.ts';
import { DIGESTS } from '../cms/algorithms.ts';
import { keyAlgorithmOf, keyGenParameters } from './key-algorithms.ts';
import { PkiInputError } from './errors.ts';

const signAsync = promisify(sign);

/**
 * A `SigningKey` over a node:crypto private key. The key stays in a private field; no
 * method returns it. ECDSA signatures come out as a DER ECDSA-Sig-Value (RFC 3279
 * §2.2.3, as X.509 and CMS carry them), RSA ones as RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
 */
export class NodeSigningKey implements SigningKey {
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
  readonly #key: KeyObject;

  constructor(privateKey: KeyObject) {
    this.#key = privateKey;
    this.algorithm = keyAlgorithmOf(privateKey);
    // node:crypto signs SM2 without the standard user ID: an SM2 key signs through Sm2SigningKey.
    if (this.algorithm === 'SM2') throw new PkiInputError({ field: 'privateKey', message: 'an SM2 key signs through signer/sm2 (Sm2SigningKey)', standard: 'GB/T 35276 §5.3' });
    this.publicKey = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  }

  async sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    // An ECDSA signature takes tens of microseconds: signing inline costs less than the
    // hop to the thread pool. RSA takes milliseconds: the callback form runs it in the
    // pool so the event loop keeps serving.
    if (this.algorithm.startsWith('EC-')) return new Uint8Array(sign(DIGESTS[digest].node, data, { key: this.#key, dsaEncoding: 'der' }));
    return new Uint8Array(await signAsync(DIGESTS[digest].node, data, { key: this.#key }));
  }
}

/**
 * A new key pair, for the key store and for tests. The service's keys come only from
 * `KeyStore.generate`, which seals the private half at once and never returns it.
 */
export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<{ privateKey: KeyObject; publicKey: Uint8Array }> {
  const parameters = keyGenParameters(algorithm);
  const pair = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>((resolve, reject) => {
    const done = (e: Error | null, publicKey: KeyObject, privateKey: KeyObject) => (e ? reject(e) : resolve({ publicKey, privateKey }));
    if (parameters.type === 'ec') generateNodeKeyPair('ec', { namedCurve: parameters.namedCurve }, done);
    else generateNodeKeyPair('rsa', { modulusLength: parameters.modulusLength }, done);
  });
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })) };
}
