import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '../types.ts';
import { PkiInputError } from './errors.ts';

/** The keys the service generates, stores and signs with. */
export const keyAlgorithms: readonly KeyAlgorithm[] = ['EC-P256', 'EC-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096'];

export const isKeyAlgorithm = (value: unknown): value is KeyAlgorithm => keyAlgorithms.includes(value as KeyAlgorithm);

/** node:crypto parameters for generating a key of `algorithm`. */
export function keyGenParameters(algorithm: KeyAlgorithm): { type: 'ec'; namedCurve: string } | { type: 'rsa'; modulusLength: number } {
  switch (algorithm) {
    case 'EC-P256':
      return { type: 'ec', namedCurve: 'prime256v1' };
    case 'EC-P384':
      return { type: 'ec', namedCurve: 'secp384r1' };
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return { type: 'rsa', modulusLength: Number(algorithm.slice(4)) };
  }
}

/**
 * The KeyAlgorithm of a public or private key. Refuses curves and sizes the service does
 * not sign with (P-521, brainpool, RSA under 2048 bits or of an odd size).
 */
export function keyAlgorithmOf(key: KeyObject | Uint8Array): KeyAlgorithm {
  const k = key instanceof Uint8Array ? createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' }) : key;
  const details = k.asymmetricKeyDetails ?? {};
  let algorithm: string | undefined;
  if (k.asymmetricKeyType === 'ec') {
    algorithm = { prime256v1: 'EC-P256', secp384r1: 'EC-P384' }[details.namedCurve ?? ''];
  } else if (k.asymmetricKeyType === 'rsa') {
    algorithm = `RSA-${details.modulusLength}`;
  }
  if (!isKeyAlgorithm(algorithm)) {
    throw new PkiInputError({
      field: 'key',
      message: `unsupported key: ${k.asymmetricKeyType} ${details.namedCurve ?? details.modulusLength ?? ''}; accepted: ${keyAlgorithms.join(', ')}`,
      standard: 'RFC 5480 / RFC 8017',
    });
  }
  return algorithm;
}
