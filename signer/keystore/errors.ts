import { SignerError } from '../errors.ts';

/**
 * A key was sealed under another key-encryption key than the one configured: the
 * ZHENGYIN_KEK or the KEK file does not belong to this database. Nothing was decrypted.
 */
export class KekMismatchError extends SignerError {
  readonly code = 'KEK_MISMATCH';
  readonly keyId: string;
  /** Fingerprint of the KEK the key was sealed under. */
  readonly sealedUnder: string;
  /** Fingerprint of the configured KEK. */
  readonly configured: string;

  constructor(p: Readonly<{ keyId: string; sealedUnder: string; configured: string }>) {
    super(
      `key ${p.keyId} was sealed under key-encryption key ${p.sealedUnder}, but the configured one is ${p.configured}: ` +
        'set ZHENGYIN_KEK (or ZHENGYIN_KEK_FILE) to the key this database was created with',
    );
    this.keyId = p.keyId;
    this.sealedUnder = p.sealedUnder;
    this.configured = p.configured;
  }
}

/** A sealed key failed AES-GCM authentication under the right KEK: the stored record was altered. */
export class KeyUnsealError extends SignerError {
  readonly code = 'KEY_UNSEAL_FAILED';
  readonly keyId: string;

  constructor(p: Readonly<{ keyId: string; cause?: unknown }>) {
    super(`key ${p.keyId} does not decrypt: its sealed record was altered or belongs to another public key`, { cause: p.cause });
    this.keyId = p.keyId;
  }
}

export class KeyNotFoundError extends SignerError {
  readonly code = 'KEY_NOT_FOUND';
  readonly keyId: string;

  constructor(p: Readonly<{ keyId: string }>) {
    super(`no key ${p.keyId} in the key store`);
    this.keyId = p.keyId;
  }
}

/** Key-encryption key material of the wrong size (AES-256 needs exactly 32 octets). */
export class InvalidKekError extends SignerError {
  readonly code = 'INVALID_KEK';

  constructor(message: string) {
    super(message);
  }
}
