import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { loadKek } from '../../gateway/runtime/kek.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';

describe('key-encryption key loader (gateway/runtime/kek.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-kek-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line) });

  it('generates <data>/kek.key on first start with mode 0600, and reads the same key afterwards', () => {
    const kekFile = path.join(dir, 'data', 'kek.key');
    const first = loadKek({ kek: undefined, kekFile }, log);
    expect(fs.statSync(kekFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(kekFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(loadKek({ kek: undefined, kekFile }, log).id).toBe(first.id);
    // The key itself never reaches the log, only the file name.
    const secret = fs.readFileSync(kekFile, 'utf8').trim();
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toContain('generated a new key-encryption key');
  });

  it('tightens a key file readable by others to 0600, with a warning', () => {
    const kekFile = path.join(dir, 'loose.key');
    fs.writeFileSync(kekFile, randomBytes(32).toString('base64'), { mode: 0o644 });
    fs.chmodSync(kekFile, 0o644);
    loadKek({ kek: undefined, kekFile }, log);
    expect(fs.statSync(kekFile).mode & 0o777).toBe(0o600);
    expect(lines.at(-1)).toContain('WARN');
  });

  it('takes ZHENGYIN_KEK (base64 of 32 bytes) over the file', () => {
    const bytes = randomBytes(32);
    const kekFile = path.join(dir, 'unused.key');
    const a = loadKek({ kek: bytes.toString('base64'), kekFile }, log);
    expect(loadKek({ kek: bytes.toString('base64'), kekFile: path.join(dir, 'other.key') }, log).id).toBe(a.id);
    expect(fs.existsSync(kekFile)).toBe(false);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['not base64', 'this is not a key at all, not even close!!'],
    ['empty', ' '],
  ])('refuses a ZHENGYIN_KEK of %s with a ConfigurationError naming the setting', (_case, kek) => {
    expect(() => loadKek({ kek, kekFile: path.join(dir, 'x.key') }, log)).toThrow(ConfigurationError);
    try {
      loadKek({ kek, kekFile: path.join(dir, 'x.key') }, log);
    } catch (e) {
      expect(e).toMatchObject({ code: 'CONFIGURATION', setting: 'ZHENGYIN_KEK' });
      expect((e as Error).message).not.toContain(kek.trim() || '\u0000');
    }
  });

  it('refuses a damaged key file', () => {
    const kekFile = path.join(dir, 'damaged.key');
    fs.writeFileSync(kekFile, 'short', { mode: 0o600 });
    expect(() => loadKek({ kek: undefined, kekFile }, log)).toThrow(expect.objectContaining({ setting: 'ZHENGYIN_KEK_FILE' }));
  });
});
