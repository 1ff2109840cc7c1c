import { createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { loadNodeKey } from '../../ledger/embedded/node-identity.ts';
import { KeyEncryptionKey } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-node-key-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
const file = (name: string) => path.join(dir, name);

describe('the embedded ledger node key at rest', () => {
  it('is created sealed under the key-encryption key, 0600, and opens to the same key', () => {
    const created = loadNodeKey(file('a.pem'), kek);
    const text = fs.readFileSync(file('a.pem'), 'utf8');

    expect(text).toContain('BEGIN ZHENGYIN SEALED PRIVATE KEY');
    expect(text).toContain(`Key-Encryption-Key: ${kek.id}`);
    expect(() => createPrivateKey(text)).toThrow();
    expect(fs.statSync(file('a.pem')).mode & 0o777).toBe(0o600);
    expect(loadNodeKey(file('a.pem'), kek).keyId).toBe(created.keyId);
  });

  it('seals a plain PEM key found in place, keeping the key', () => {
    const plain = loadNodeKey(file('b.pem'));
    expect(fs.readFileSync(file('b.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');

    const sealed = loadNodeKey(file('b.pem'), kek);

    expect(sealed.keyId).toBe(plain.keyId);
    expect(fs.readFileSync(file('b.pem'), 'utf8')).not.toContain('BEGIN PRIVATE KEY');
    expect(fs.statSync(file('b.pem')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.sealing'))).toEqual([]);
  });

  it('refuses another key-encryption key, no key at all, and a damaged file, with the setting named', () => {
    loadNodeKey(file('c.pem'), kek);
    const refusal = { name: ConfigurationError.name, setting: 'ZHENGYIN_LEDGER_NODE_KEY_FILE' };
    expect(() => loadNodeKey(file('c.pem'), KeyEncryptionKey.fromBytes(randomBytes(32)))).toThrow(expect.objectContaining(refusal));
    expect(() => loadNodeKey(file('c.pem'))).toThrow(expect.objectContaining({ ...refusal, message: expect.stringContaining('sealed') }));

    const text = fs.readFileSync(file('c.pem'), 'utf8');
    const lines = text.split('\n');
    const body = lines.findIndex((l) => l === '') + 1;
    lines[body] = (lines[body]![0] === 'A' ? 'B' : 'A') + lines[body]!.slice(1);
    fs.writeFileSync(file('c.pem'), lines.join('\n'));
    expect(() => loadNodeKey(file('c.pem'), kek)).toThrow(expect.objectContaining({ ...refusal, message: expect.stringContaining('cannot be opened') }));
  });

  it('is refused when it is not a key at all', () => {
    fs.writeFileSync(file('d.pem'), 'hello', { mode: 0o600 });
    expect(() => loadNodeKey(file('d.pem'), kek)).toThrow(expect.objectContaining({ name: ConfigurationError.name }));
  });
});

describe('the service', () => {
  const t = useTestApp();

  it('keeps its ledger node key sealed beside the database', () => {
    const text = fs.readFileSync(path.join(t.config.dataDir, 'ledger', 'node-key.pem'), 'utf8');
    expect(text).toContain('BEGIN ZHENGYIN SEALED PRIVATE KEY');
    expect(text).not.toContain('BEGIN PRIVATE KEY');
  });
});
