import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyEncryptionKey, KeyStore, MemoryKeyStorage, parseCertificate, Pkcs12Error } from '../../signer/index.ts';
import { useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { makeP12 } from './p12-files.ts';

const noOpenssl = skipWithout('tests/pki/pkcs12', 'openssl');

describe.skipIf(noOpenssl)('PKCS#12 import (RFC 7292), files made by openssl pkcs12 -export', () => {
  const scratch = useScratchDir();
  const dir = (name: string) => scratch.file(name);
  const keyStore = () => new KeyStore({ storage: new MemoryKeyStorage(), kek: KeyEncryptionKey.fromBytes(randomBytes(32)) });

  it.each([
    ['rsa', 'default', 'RSA-2048'],
    ['rsa', 'legacy', 'RSA-2048'],
    ['ec', 'default', 'EC-P256'],
    ['ec', 'legacy', 'EC-P256'],
  ] as const)('imports a %s key (%s encryption) with its certificate and chain; the stored key signs for that certificate', async (key, encryption, algorithm) => {
    const file = makeP12(dir, `${key}-${encryption}`, { key, encryption, password: 'p12-Secret!' });
    const keys = keyStore();
    const imported = (await keys.importPkcs12(file.p12, 'p12-Secret!'))!;
    expect(imported.key.algorithm).toBe(algorithm);
    expect(Buffer.from(imported.certificate)).toEqual(file.leaf);
    expect(imported.chain.map((c) => Buffer.from(c))).toEqual([file.ca]);
    const data = new TextEncoder().encode('不动产权证书');
    const signature = await (await keys.signingKey(imported.key.id)).sign(data, 'SHA-256');
    expect(verify('sha256', data, createPublicKey({ key: Buffer.from(parseCertificate(imported.certificate).publicKey), format: 'der', type: 'spki' }), signature)).toBe(true);
  });

  it('takes a non-ASCII password as OpenSSL does (UTF-8 for PBES2, BMPString for the MAC)', async () => {
    const file = makeP12(dir, 'cn-password', { key: 'ec', encryption: 'default', password: '公积金中心口令' });
    expect((await keyStore().importPkcs12(file.p12, '公积金中心口令'))?.key.algorithm).toBe('EC-P256');
  });

  it.each([
    ['default', 'default'],
    ['legacy', 'legacy'],
  ] as const)('refuses a wrong password (%s encryption) with INVALID_PKCS12_PASSWORD', async (_case, encryption) => {
    const file = makeP12(dir, `wrong-${encryption}`, { key: 'ec', encryption, password: 'right' });
    await expect(keyStore().importPkcs12(file.p12, 'wrong')).rejects.toMatchObject({ name: Pkcs12Error.name, code: 'INVALID_PKCS12_PASSWORD' });
  });

  it.each([
    ['garbage', () => randomBytes(64)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a certificate instead of a PKCS#12 file', () => makeP12(dir, 'cert-only', { key: 'ec', encryption: 'default', password: 'x' }).leaf],
    ['a file without a key', () => makeP12(dir, 'no-key', { key: 'ec', encryption: 'default', password: 'x', noKey: true }).p12],
  ])('refuses %s with INVALID_PKCS12', async (_case, bytes) => {
    await expect(keyStore().importPkcs12(bytes(), 'x')).rejects.toMatchObject({ name: Pkcs12Error.name, code: 'INVALID_PKCS12' });
  });

  it('lets the caller veto a file before its key is stored', async () => {
    const file = makeP12(dir, 'veto', { key: 'ec', encryption: 'default', password: 'x' });
    const storage = new MemoryKeyStorage();
    let inserted = 0;
    const counting = { insert: async (k: Parameters<MemoryKeyStorage['insert']>[0]) => (inserted++, storage.insert(k)), get: (id: string) => storage.get(id) };
    const keys = new KeyStore({ storage: counting, kek: KeyEncryptionKey.fromBytes(randomBytes(32)) });
    expect(await keys.importPkcs12(file.p12, 'x', async () => false)).toBeUndefined();
    await expect(keys.importPkcs12(file.p12, 'x', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(inserted).toBe(0);
  });
});
