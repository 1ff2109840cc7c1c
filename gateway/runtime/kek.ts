import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../../common/index.ts';
import { KeyEncryptionKey } from '../../signer/index.ts';
import type { RuntimeConfig } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * The key-encryption key that seals every private key at rest.
 *
 * - ZHENGYIN_KEK set: base64 of exactly 32 bytes (e.g. from a secret manager).
 * - Otherwise the file `config.kekFile` (default `<data>/kek.key`, beside the database
 *   cluster, not inside it), created on first start with 32 random bytes, mode 0600. A file
 *   readable by others is tightened to 0600, with a warning.
 *
 * The key is never logged; only its fingerprint (`kek.id`) is.
 *
 * @throws {@link ConfigurationError} ZHENGYIN_KEK or the file does not hold 32 bytes of base64.
 */
export function loadKek(config: Pick<RuntimeConfig, 'kek' | 'kekFile'>, log: Logger): KeyEncryptionKey {
  if (config.kek !== undefined) return fromBase64(config.kek, 'ZHENGYIN_KEK', 'ZHENGYIN_KEK');
  const file = config.kekFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': never overwrite a key another process wrote a moment ago.
      fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
      log.info('generated a new key-encryption key', { file });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigurationError({ setting: 'ZHENGYIN_KEK_FILE', message: `cannot create the key-encryption key file ${file}: ${(e as Error).message}`, cause: e });
      }
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    log.warn('the key-encryption key file was readable by others; set its mode to 0600', { file, was: mode.toString(8) });
  }
  return fromBase64(fs.readFileSync(file, 'utf8'), 'ZHENGYIN_KEK_FILE', `the key-encryption key file ${file}`);
}

function fromBase64(text: string, setting: string, what: string): KeyEncryptionKey {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || bytes.length !== 32) {
    throw new ConfigurationError({ setting, message: `${what} must be base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`)` });
  }
  return KeyEncryptionKey.fromBytes(bytes);
}
