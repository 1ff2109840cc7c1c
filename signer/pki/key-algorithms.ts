import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '../types.ts';
import { PkiInputError } from './errors.ts';
import { sm2PointOfSpki } from '../sm2/key-encoding.ts';

/** The keys the service generates, stores and signs with. */
export const keyAlgorithms: readonly KeyAlgorithm[] = ['EC-P256', 'EC-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096', 'SM2'];

export const isKeyAlgorithm = (value: unknown): value is KeyAlgorithm => keyAlgorithms.includes(value as KeyAlgorithm);

/**
 * node:crypto parameters for generating a key of `algorithm`.
 * @throws {@link PkiInputError} for 'SM2': node:crypto cannot sign standard SM2; see signer/sm2.
 */
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
    case 'SM2':
      throw new PkiInputError({ field: 'algorithm', message: 'SM2 keys are made by signer/sm2 (generateSm2KeyPair), not node:crypto', standard: 'GB/T 32918' });
  }
}

/**
 * The KeyAlgorithm of a public or private key. Refuses curves and sizes the service does
 * not sign with (P-521, brainpool, RSA under 2048 bits or of an odd size).
 */
export function keyAlgorithmOf(key: KeyObject | Uint8Array): KeyAlgorithm {
  // node:crypto reads SM2 keys but types them as nothing (or as an EC key on curve SM2): recognise them by their SPKI.
  if (key instanceof Uint8Array && sm2PointOfSpki(key)) return 'SM2';
  const k = key instanceof Uint8Array ? createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' }) : key;
  if (k.asymmetricKeyType === undefined || k.asymmetricKeyDetails?.namedCurve === 'SM2') {
    try {
      if (sm2PointOfSpki(new Uint8Array(createPublicKey(k).export({ type: 'spki', format: 'der' })))) return 'SM2';
    } catch {
      // Not exportable as SPKI: refused below like any other unknown key.
    }
  }
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
