/**
 * One home for every operator setting (issue 8): gateway/runtime/config.ts reads them all,
 * its SETTINGS list names them all, and the README's Configuration table says the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { projectRoot, readConfig, SETTINGS, settingsTable } from '../../gateway/runtime/config.ts';

const read = (file: string): string => fs.readFileSync(path.join(projectRoot, file), 'utf8');

/** The README's Configuration table, as lines. */
function readmeTable(): string {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const lines = section.split('\n');
  const first = lines.findIndex((l) => l.startsWith('| variable |'));
  const rest = lines.slice(first);
  return rest.slice(0, rest.findIndex((l) => !l.startsWith('|'))).join('\n');
}

/** Every TypeScript file of the service (not tests, not the chaincode's own project). */
function sources(dir: string): string[] {
  return fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

// config.ts reads most settings as env.NAME, the FABRIC_* PEM ones through its pem('NAME') helper.
const SETTING_READ = /\b(?:env\.|env\['|pem\(')((?:ZHENGYIN|FABRIC)_[A-Z_]+|DATABASE_URL|PORT)\b/g;

describe('configuration', () => {
  it('the README table is the SETTINGS list: every setting, in order, with the same default and meaning', () => {
    expect(readmeTable()).toBe(settingsTable());
  });

  it('names each setting once', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('config.ts reads exactly the settings it lists', () => {
    const named = new Set([...read('gateway/runtime/config.ts').matchAll(SETTING_READ)].map((m) => m[1]!));
    expect([...named].sort()).toEqual(SETTINGS.map((s) => s.name).sort());
  });

  it('no other file of the service reads a setting from the environment', () => {
    const elsewhere = ['gateway', 'signer', 'verifier', 'ledger', 'common']
      .flatMap(sources)
      .filter((f) => f !== path.join('gateway', 'runtime', 'config.ts'))
      // loadSalt decodes ZHENGYIN_LEDGER_SALT from the record the gateway builds of what config.ts read.
      .filter((f) => f !== path.join('ledger', 'hashing.ts'))
      .filter((f) => /process\.env\.(ZHENGYIN|FABRIC|DATABASE_URL|PORT)|\benv\.(ZHENGYIN|FABRIC|DATABASE_URL|PORT)/.test(read(f)));
    expect(elsewhere).toEqual([]);
  });

  it('has the defaults the README states', () => {
    const config = readConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.embeddedPgPort).toBe(54329);
    expect(config.dataDir).toBe(path.join(projectRoot, '.data'));
    expect(config.kekFile).toBe(path.join(projectRoot, '.data', 'kek.key'));
    expect(config.demo).toBe(true);
    expect(config.logJson).toBe(false);
    expect(config.ledger).toEqual({
      salt: undefined,
      nodeKeyFile: path.join(projectRoot, '.data', 'ledger', 'node-key.pem'),
      mspId: 'ZhengyinMSP',
      maxTransactionsPerBlock: 100,
      batchTimeoutMs: 20,
      fabric: undefined,
    });
  });

  it.each([
    ['ZHENGYIN_LEDGER_BLOCK_MAX_TX', { ZHENGYIN_LEDGER_BLOCK_MAX_TX: '0' }],
    ['ZHENGYIN_LEDGER_BATCH_TIMEOUT_MS', { ZHENGYIN_LEDGER_BATCH_TIMEOUT_MS: 'soon' }],
    ['FABRIC_TLS_CA_CERT', { FABRIC_PEER_ENDPOINT: '127.0.0.1:7051' }],
  ])('names %s when it is malformed or missing', (setting, env) => {
    expect(() => readConfig(env)).toThrow(expect.objectContaining({ name: ConfigurationError.name, setting }));
  });
});
