import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { DigestAlgorithm, KeyAlgorithm, SigningKey } from '../../signer/index.ts';

const NODE_DIGEST: Record<DigestAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', SM3: 'sm3' };

/** A test `SigningKey` over a node:crypto private key, independent of our key store (signer/keystore). */
export function nodeSigningKey(pem: string | KeyObject): SigningKey {
  const key = typeof pem === 'string' ? createPrivateKey(pem) : pem;
  const d = key.asymmetricKeyDetails ?? {};
  const algorithm: KeyAlgorithm =
    key.asymmetricKeyType === 'ec'
      ? d.namedCurve === 'secp384r1' ? 'EC-P384' : 'EC-P256'
      : (`RSA-${d.modulusLength}` as KeyAlgorithm);
  return {
    algorithm,
    async sign(data, digest) {
      return sign(NODE_DIGEST[digest], data, key.asymmetricKeyType === 'ec' ? { key, dsaEncoding: 'der' } : key);
    },
  };
}
