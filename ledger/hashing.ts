import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../common/index.ts';

/**
 * Salted hashes of personal identifiers: what the chain holds instead of an ID number or
 * a fund account number. HMAC-SHA256 keyed by the deployment's salt, over the purpose
 * and the value, so equal identifiers meet on the chain while nobody without the salt
 * can test a guess (an 18-digit ID number has too few possibilities for a plain hash).
 * The salt never goes on the chain; every gateway of a deployment needs the same one.
 */
export function saltedHash(salt: Uint8Array, purpose: string, value: string): string {
  return createHmac('sha256', salt).update(purpose, 'utf8').update('\u0000').update(value, 'utf8').digest('hex');
}

/** The holder hash of a licence or record: code type (`111` 公民身份号码, `001` 统一社会信用代码) and code. */
export const holderHash = (salt: Uint8Array, codeType: string, code: string): string =>
  saltedHash(salt, 'holder', `${codeType}:${code.trim().toUpperCase()}`);

/** The key of a 住房公积金 personal account on the chain. */
export const accountHash = (salt: Uint8Array, account: string): string => saltedHash(salt, 'fund-account', account.trim());

/**
 * The deployment's salt: ZHENGYIN_LEDGER_SALT (hex or base64, at least 16 bytes), else
 * `<data>/ledger/salt`, generated (32 random bytes, mode 0600) on first use.
 */
export function loadSalt(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  const raw = env.ZHENGYIN_LEDGER_SALT;
  if (raw) {
    const salt = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (salt.length < 16) {
      throw new ConfigurationError({ setting: 'ZHENGYIN_LEDGER_SALT', message: 'ZHENGYIN_LEDGER_SALT must hold at least 16 bytes (hex or base64)' });
    }
    return salt;
  }
  const file = path.join(dataDir, 'ledger', 'salt');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}
