import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { InvalidKekError } from './errors.ts';

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/**
 * The key-encryption key (KEK): AES-256-GCM (NIST SP 800-38D) over private keys at rest.
 * The key material stays in a private field; nothing returns it.
 */
export class KeyEncryptionKey {
  /** Fingerprint of the KEK, stored beside each sealed key (key_record.kek_id). Not secret. */
  readonly id: string;
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
    // An HMAC rather than a bare hash of the key, so the id is a commitment, not a key digest.
    this.id = `kek-${createHmac('sha256', key).update('zhengyin key-encryption key id').digest('hex').slice(0, 16)}`;
  }

  /** @throws {@link InvalidKekError} unless `bytes` is exactly 32 octets. */
  static fromBytes(bytes: Uint8Array): KeyEncryptionKey {
    if (bytes.byteLength !== 32) throw new InvalidKekError(`a key-encryption key is 32 bytes (AES-256), not ${bytes.byteLength}`);
    return new KeyEncryptionKey(Buffer.from(bytes));
  }

  /**
   * Seals `plaintext`: iv (12) ‖ tag (16) ‖ ciphertext. `aad` is authenticated, not
   * stored: the caller passes it again to open.
   */
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_LENGTH });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), ciphertext]));
  }

  /** Opens what `seal` made. Throws (node:crypto's error) if the tag does not verify. */
  open(sealed: Uint8Array, aad: Uint8Array): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes.length < IV_LENGTH + TAG_LENGTH) throw new RangeError('sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_LENGTH), { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(IV_LENGTH, IV_LENGTH + TAG_LENGTH));
    return Buffer.concat([decipher.update(bytes.subarray(IV_LENGTH + TAG_LENGTH)), decipher.final()]);
  }

  /**
   * A 32-byte key for one other purpose (e.g. signing download URLs), derived with HKDF-SHA256
   * (RFC 5869) so that it neither reveals the KEK nor depends on anything but it and `purpose`.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `zhengyin ${purpose}`, 32));
  }
}
