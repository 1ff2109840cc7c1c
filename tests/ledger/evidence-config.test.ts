import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { accountHash, evidenceTypes, holderHash, ledgers, loadSalt, saltedHash, subjectOf } from '../../ledger/index.ts';
import { fabricOptionsFromEnv } from '../../gateway/runtime/config.ts';
import { fundEvent, licenceIssued, projectDecision, registration } from './fixtures.ts';

const chaincodeRecords = createRequire(import.meta.url)('../../chaincode/dist/records.js') as { EVIDENCE_TYPES: unknown };

describe('evidence types', () => {
  it('are the contract’s own, type for type and domain for domain', () => {
    expect(evidenceTypes).toEqual(chaincodeRecords.EVIDENCE_TYPES);
  });

  it.each([
    ['licence', licenceIssued(), (r: ReturnType<typeof licenceIssued>) => r.identifier],
    ['realestate', registration(), (r: ReturnType<typeof registration>) => r.unitNumber],
    ['fund', fundEvent(), (r: ReturnType<typeof fundEvent>) => r.accountHash],
    ['project', projectDecision(), (r: ReturnType<typeof projectDecision>) => r.projectCode],
  ] as const)('name their %s subject', (domain, record, key) => {
    expect(subjectOf(record)).toEqual({ domain, key: (key as (r: typeof record) => string)(record) });
  });
});

describe('salted hashes of personal identifiers', () => {
  const salt = Buffer.alloc(32, 7);
  const otherSalt = Buffer.alloc(32, 8);

  it('are stable for one salt, differ across salts, and keep purposes apart', () => {
    expect(holderHash(salt, '111', '11010519491231002X')).toBe(holderHash(salt, '111', ' 11010519491231002x '));
    expect(holderHash(salt, '111', '11010519491231002X')).not.toBe(holderHash(otherSalt, '111', '11010519491231002X'));
    expect(holderHash(salt, '111', '123')).not.toBe(holderHash(salt, '001', '123'));
    expect(accountHash(salt, '123')).not.toBe(saltedHash(salt, 'holder', '123'));
    expect(accountHash(salt, '6217000010001234')).toMatch(/^[0-9a-f]{64}$/);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-salt-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes the salt from ZHENGYIN_LEDGER_SALT (hex or base64), or generates one into the data folder with mode 0600', () => {
    expect(loadSalt({ ZHENGYIN_LEDGER_SALT: '00'.repeat(16) }, dir)).toEqual(Buffer.alloc(16));
    expect(loadSalt({ ZHENGYIN_LEDGER_SALT: Buffer.alloc(20, 1).toString('base64') }, dir)).toEqual(Buffer.alloc(20, 1));
    const generated = loadSalt({}, dir);
    expect(generated).toHaveLength(32);
    expect(loadSalt({}, dir)).toEqual(generated);
    expect(fs.statSync(path.join(dir, 'ledger', 'salt')).mode & 0o777).toBe(0o600);
  });

  it('refuses a salt shorter than 16 bytes', () => {
    expect(() => loadSalt({ ZHENGYIN_LEDGER_SALT: 'abcd' }, dir)).toThrow(expect.objectContaining({ name: ConfigurationError.name, setting: 'ZHENGYIN_LEDGER_SALT' }));
  });
});

describe('Fabric settings from the environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-fabric-env-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
  for (const [name, label] of [['ca.pem', 'CERTIFICATE'], ['user.pem', 'CERTIFICATE'], ['key.pem', 'PRIVATE KEY']] as const) {
    fs.writeFileSync(path.join(dir, name), pem(label));
  }
  const env = {
    FABRIC_PEER_ENDPOINT: '127.0.0.1:7051',
    FABRIC_PEER_HOST_ALIAS: 'peer0.org1.example.com',
    FABRIC_TLS_CA_CERT: path.join(dir, 'ca.pem'),
    FABRIC_MSP_ID: 'Org1MSP',
    FABRIC_USER_CERT: path.join(dir, 'user.pem'),
    FABRIC_USER_KEY: pem('PRIVATE KEY'),
    FABRIC_CHANNEL: 'mychannel',
    FABRIC_CHAINCODE: 'zhengyin',
  };

  it('are absent without FABRIC_PEER_ENDPOINT (the embedded ledger applies)', () => {
    expect(fabricOptionsFromEnv({})).toBeUndefined();
  });

  it('read certificate and key files as network.env names them, or inline PEM', () => {
    expect(fabricOptionsFromEnv(env)).toEqual({
      peerEndpoint: '127.0.0.1:7051',
      peerHostAlias: 'peer0.org1.example.com',
      tlsCaCert: pem('CERTIFICATE'),
      mspId: 'Org1MSP',
      userCert: pem('CERTIFICATE'),
      userKey: pem('PRIVATE KEY'),
      channel: 'mychannel',
      chaincode: 'zhengyin',
    });
  });

  it('refuses a client key that is not a private key, without echoing it', async () => {
    const options = { ...fabricOptionsFromEnv(env)!, userKey: 'SECRET-NOT-A-KEY' };
    const error = await ledgers.fabric(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: ConfigurationError.name, setting: 'FABRIC_USER_KEY' });
    expect((error as Error).message).not.toContain('SECRET');
  });

  it.each([
    ['FABRIC_CHANNEL', { ...env, FABRIC_CHANNEL: '' }],
    ['FABRIC_USER_KEY', { ...env, FABRIC_USER_KEY: undefined }],
    ['FABRIC_TLS_CA_CERT', { ...env, FABRIC_TLS_CA_CERT: path.join(dir, 'missing.pem') }],
  ])('name %s when it is missing or unreadable', (setting, broken) => {
    expect(() => fabricOptionsFromEnv(broken)).toThrow(expect.objectContaining({ name: ConfigurationError.name, setting }));
  });
});
