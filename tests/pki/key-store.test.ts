import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidKekError,
  KekMismatchError,
  KeyEncryptionKey,
  KeyNotFoundError,
  KeyStore,
  KeyUnsealError,
  MemoryKeyStorage,
  type KeyAlgorithm,
  type StoredKey,
} from '../../signer/index.ts';

const store = (kek = KeyEncryptionKey.fromBytes(randomBytes(32)), storage = new MemoryKeyStorage()) => ({ keys: new KeyStore({ storage, kek }), storage, kek });

describe('key store: private keys sealed with AES-256-GCM under a KEK', () => {
  it.each<[KeyAlgorithm, string]>([
    ['EC-P256', 'SHA-256'],
    ['EC-P384', 'SHA-384'],
    ['RSA-2048', 'SHA-256'],
  ])('generates a %s key that signs (%s) and verifies with its public key', async (algorithm, digest) => {
    const { keys } = store();
    const handle = await keys.generate(algorithm);
    const key = await keys.signingKey(handle.id);
    expect(key.algorithm).toBe(algorithm);
    const data = new TextEncoder().encode('证照');
    const signature = await key.sign(data, digest as 'SHA-256');
    expect(verify(digest.replace('-', '').toLowerCase(), data, createPublicKey({ key: Buffer.from(handle.publicKey), format: 'der', type: 'spki' }), signature)).toBe(true);
  });

  it('stores iv (12) ‖ tag (16) ‖ ciphertext of the PKCS#8 DER, never the key, and names the KEK by fingerprint', async () => {
    const { keys, storage, kek } = store();
    const handle = await keys.generate('EC-P256');
    const stored = (await storage.get(handle.id))!;
    expect(stored.kekId).toBe(kek.id);
    expect(kek.id).toMatch(/^kek-[0-9a-f]{16}$/);
    const pkcs8 = kek.open(stored.sealed, stored.publicKey);
    expect(stored.sealed.byteLength).toBe(12 + 16 + pkcs8.byteLength);
    expect(Buffer.from(stored.sealed).includes(pkcs8.subarray(pkcs8.length - 32))).toBe(false);
    const bytes = randomBytes(32);
    expect(KeyEncryptionKey.fromBytes(bytes).id).toBe(KeyEncryptionKey.fromBytes(Buffer.from(bytes)).id);
    expect(KeyEncryptionKey.fromBytes(randomBytes(32)).id).not.toBe(kek.id);
  });

  it('hands out keys that expose nothing but algorithm and sign', async () => {
    const { keys } = store();
    const key = await keys.signingKey((await keys.generate('EC-P256')).id);
    expect(Object.keys(key).sort()).toEqual(['algorithm', 'publicKey']);
    expect(JSON.stringify(key)).not.toMatch(/"d"|PRIVATE/);
    expect((key as unknown as { export?: unknown }).export).toBeUndefined();
  });

  it('refuses a key sealed under another KEK with KekMismatchError, decrypting nothing', async () => {
    const { keys, storage } = store();
    const handle = await keys.generate('EC-P256');
    const other = store(KeyEncryptionKey.fromBytes(randomBytes(32)), storage).keys;
    await expect(other.signingKey(handle.id)).rejects.toMatchObject({ name: KekMismatchError.name, code: 'KEK_MISMATCH', keyId: handle.id, sealedUnder: keys.kekId, configured: other.kekId });
  });

  it.each([
    ['a flipped ciphertext byte', (k: StoredKey, _o: StoredKey): StoredKey => ({ ...k, sealed: flip(k.sealed, 40) })],
    ['a flipped tag byte', (k: StoredKey): StoredKey => ({ ...k, sealed: flip(k.sealed, 13) })],
    ['a sealed blob moved from another key (the public key is the AAD)', (k: StoredKey, o: StoredKey): StoredKey => ({ ...k, sealed: o.sealed })],
    ['a truncated blob', (k: StoredKey): StoredKey => ({ ...k, sealed: k.sealed.subarray(0, 20) })],
  ])('refuses %s with KeyUnsealError', async (_case, tamper) => {
    const { keys, storage, kek } = store();
    const a = (await storage.get((await keys.generate('EC-P256')).id))!;
    const b = (await storage.get((await keys.generate('EC-P256')).id))!;
    const tampered = new MemoryKeyStorage();
    await tampered.insert(tamper(a, b));
    await expect(new KeyStore({ storage: tampered, kek }).signingKey(a.id)).rejects.toMatchObject({ name: KeyUnsealError.name, code: 'KEY_UNSEAL_FAILED', keyId: a.id });
  });

  it('names a missing key and refuses a KEK that is not 32 bytes', async () => {
    await expect(store().keys.signingKey('no-such-key')).rejects.toMatchObject({ name: KeyNotFoundError.name, keyId: 'no-such-key' });
    expect(() => KeyEncryptionKey.fromBytes(randomBytes(31))).toThrow(InvalidKekError);
  });

  it('imports a PKCS#8 key and refuses what is not one', async () => {
    const { keys } = store();
    await expect(keys.import(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'INVALID_PKI_INPUT', field: 'privateKey' });
  });
});

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
