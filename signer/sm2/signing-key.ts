import type { DigestAlgorithm, KeyAlgorithm, SigningKey } from '../types.ts';
import { PkiInputError } from '../pki/errors.ts';
import { sm2KeyOfPkcs8, sm2Spki, type Sm2KeyHex } from './key-encoding.ts';
import { sm2Sign } from './sign.ts';

/**
 * A `SigningKey` over an SM2 private key: SM2 with SM3 and the default user ID, DER
 * signatures. The scalar stays in a private field; no method returns it.
 */
export class Sm2SigningKey implements SigningKey {
  readonly algorithm: KeyAlgorithm = 'SM2';
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
  /** The public point 04‖x‖y, hex (what SM2 verifiers take). */
  readonly point: string;
  readonly #privateKey: string;

  constructor(key: Sm2KeyHex) {
    this.#privateKey = key.privateKey;
    this.point = key.publicKey;
    this.publicKey = sm2Spki(key.publicKey);
  }

  /** @throws {@link PkiInputError} `pkcs8` is not an SM2 private key. */
  static fromPkcs8(pkcs8: Uint8Array): Sm2SigningKey {
    const key = sm2KeyOfPkcs8(pkcs8);
    if (!key) throw new PkiInputError({ field: 'privateKey', message: 'not an SM2 PKCS#8 private key', standard: 'RFC 5208 / GB/T 35276' });
    return new Sm2SigningKey(key);
  }

  /**
   * Signs `data` with SM2: SM3 is part of the algorithm (GB/T 32918.2 §6.1), so `digest` must
   * be 'SM3'; anything else is a caller that took an SM2 key for an ECDSA one.
   * @throws {@link PkiInputError} `digest` is not SM3.
   */
  async sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    if (digest !== 'SM3') {
      throw new PkiInputError({ field: 'digest', message: `an SM2 key signs with SM3, not ${digest}`, standard: 'GB/T 32918.2 / GB/T 35276' });
    }
    return sm2Sign(data, this.#privateKey, this.point);
  }
}
