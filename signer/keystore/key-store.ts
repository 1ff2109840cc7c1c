import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { keyAlgorithmOf } from '../pki/key-algorithms.ts';
import { generateKeyPair, NodeSigningKey } from '../pki/node-key.ts';
import { PkiInputError } from '../pki/errors.ts';
import { readPkcs12 } from '../pki/pkcs12.ts';
import { sm2KeyOfPkcs8 } from '../sm2/key-encoding.ts';
import { generateSm2KeyPair } from '../sm2/key-pair.ts';
import { Sm2SigningKey } from '../sm2/signing-key.ts';
import type { KeyAlgorithm, SigningKey } from '../types.ts';
import { KekMismatchError, KeyNotFoundError, KeyUnsealError } from './errors.ts';
import type { KeyEncryptionKey } from './kek.ts';

/** One private key as stored: sealed, never plaintext (the key_record table). */
export interface StoredKey {
  readonly id: string;
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
  /** iv (12) ‖ tag (16) ‖ AES-256-GCM ciphertext of the PKCS#8 DER; the public key is the AAD. */
  readonly sealed: Uint8Array;
  readonly kekId: string;
}

/** Where sealed keys live. The key store depends on this, not on a database. */
export interface KeyStorage {
  insert(key: StoredKey): Promise<void>;
  get(id: string): Promise<StoredKey | undefined>;
}

/** Sealed keys in a Map: for tests and tools that need no database. */
export class MemoryKeyStorage implements KeyStorage {
  readonly #keys = new Map<string, StoredKey>();

  async insert(key: StoredKey): Promise<void> {
    this.#keys.set(key.id, key);
  }

  async get(id: string): Promise<StoredKey | undefined> {
    return this.#keys.get(id);
  }
}

/** The public facts about a stored key: what callers get back instead of the key. */
export interface KeyHandle {
  readonly id: string;
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
}

/**
 * Private keys encrypted at rest under a key-encryption key. Keys go in (generated here
 * or imported) and come out only as `SigningKey`s, which sign and never export.
 */
export class KeyStore {
  readonly #storage: KeyStorage;
  readonly #kek: KeyEncryptionKey;
  readonly #unsealed = new Map<string, SigningKey & { readonly publicKey: Uint8Array }>();

  constructor(p: Readonly<{ storage: KeyStorage; kek: KeyEncryptionKey }>) {
    this.#storage = p.storage;
    this.#kek = p.kek;
  }

  /** Fingerprint of the KEK in use. */
  get kekId(): string {
    return this.#kek.id;
  }

  /** Generates a key pair and stores the private key sealed. SM2 keys come from signer/sm2, the others from node:crypto. */
  async generate(algorithm: KeyAlgorithm): Promise<KeyHandle> {
    if (algorithm === 'SM2') {
      const pair = generateSm2KeyPair();
      try {
        return await this.#storePkcs8('SM2', pair.spki, pair.pkcs8);
      } finally {
        pair.pkcs8.fill(0);
      }
    }
    const { privateKey } = await generateKeyPair(algorithm);
    return this.#store(privateKey);
  }

  /**
   * Stores an existing private key (e.g. from a department's PKCS#12 file).
   * @throws {@link PkiInputError} The key is of a type or size the service does not sign with.
   */
  async import(privateKey: KeyObject | Uint8Array): Promise<KeyHandle> {
    // node:crypto reads an SM2 PKCS#8 but cannot sign standard SM2 with it: keep the DER as it came.
    const sm2 = privateKey instanceof Uint8Array ? sm2KeyOfPkcs8(privateKey) : undefined;
    if (sm2) {
      const key = new Sm2SigningKey(sm2);
      return this.#storePkcs8('SM2', key.publicKey, privateKey as Uint8Array);
    }
    let key: KeyObject;
    try {
      key = privateKey instanceof Uint8Array ? createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' }) : privateKey;
    } catch (cause) {
      throw new PkiInputError({ field: 'privateKey', message: 'not a PKCS#8 private key', standard: 'RFC 5208', cause });
    }
    if (key.type !== 'private') throw new PkiInputError({ field: 'privateKey', message: 'a private key is needed', standard: 'RFC 5208' });
    return this.#store(key);
  }

  /**
   * Stores the private key of a PKCS#12 file (RFC 7292, RSA or EC) and returns it as a
   * handle, with the file's certificate and issuer chain. The key never leaves signer/.
   * `accept` sees the certificate and chain first: it may throw to refuse the file, or
   * resolve to false to store nothing (e.g. already imported); the result is then undefined.
   * @throws {@link Pkcs12Error} wrong password, malformed file, no key or no matching certificate.
   */
  async importPkcs12(
    bytes: Uint8Array,
    password: string,
    accept: (certificate: Uint8Array, chain: readonly Uint8Array[]) => Promise<boolean> = async () => true,
  ): Promise<{ key: KeyHandle; certificate: Uint8Array; chain: readonly Uint8Array[] } | undefined> {
    const contents = readPkcs12(bytes, password);
    if (!(await accept(contents.certificate, contents.chain))) return undefined;
    return { key: await this.#store(contents.privateKey), certificate: contents.certificate, chain: contents.chain };
  }

  /**
   * The signing key of a stored record, unsealed once and kept in memory for this process.
   * @throws {@link KeyNotFoundError} | {@link KekMismatchError} | {@link KeyUnsealError}
   */
  async signingKey(id: string): Promise<SigningKey> {
    const cached = this.#unsealed.get(id);
    if (cached) return cached;
    const stored = await this.#storage.get(id);
    if (!stored) throw new KeyNotFoundError({ keyId: id });
    if (stored.kekId !== this.#kek.id) throw new KekMismatchError({ keyId: id, sealedUnder: stored.kekId, configured: this.#kek.id });
    let pkcs8: Buffer;
    try {
      pkcs8 = this.#kek.open(stored.sealed, stored.publicKey);
    } catch (cause) {
      throw new KeyUnsealError({ keyId: id, cause });
    }
    try {
      const key = stored.algorithm === 'SM2' ? Sm2SigningKey.fromPkcs8(pkcs8) : new NodeSigningKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
      if (!Buffer.from(key.publicKey).equals(stored.publicKey)) throw new KeyUnsealError({ keyId: id });
      this.#unsealed.set(id, key);
      return key;
    } finally {
      pkcs8.fill(0);
    }
  }

  async #store(privateKey: KeyObject): Promise<KeyHandle> {
    const algorithm = keyAlgorithmOf(privateKey);
    if (algorithm === 'SM2') throw new PkiInputError({ field: 'privateKey', message: 'import an SM2 key as PKCS#8 DER', standard: 'RFC 5208' });
    const publicKey = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    try {
      return await this.#storePkcs8(algorithm, publicKey, pkcs8);
    } finally {
      pkcs8.fill(0);
    }
  }

  /** Seals a PKCS#8 DER under the KEK with the public key as AAD, and stores it. */
  async #storePkcs8(algorithm: KeyAlgorithm, publicKey: Uint8Array, pkcs8: Uint8Array): Promise<KeyHandle> {
    const id = randomUUID();
    await this.#storage.insert({ id, algorithm, publicKey, sealed: this.#kek.seal(pkcs8, publicKey), kekId: this.#kek.id });
    return { id, algorithm, publicKey };
  }
}
