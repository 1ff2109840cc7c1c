import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { ledgers, PolicyRefusedError, WriterNotAllowedError, type ProvingLedger } from '../../ledger/index.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';
import { fundEvent, licenceIssued, projectDecision, registration } from './fixtures.ts';

/**
 * What only the embedded ledger can show: several identities on one channel (the Fabric
 * test network has one user without attributes), several nodes on one database.
 */
describe('embedded ledger identities and nodes', () => {
  const t = useEmbeddedLedger({ identity: { mspId: 'OfficeMSP' } });
  const embedded = (options: Parameters<typeof t.open>[0] = {}) => t.open({ initialPolicy: false, ...options });
  let office: ProvingLedger;
  let issuer: ProvingLedger;
  let registry: ProvingLedger;

  beforeAll(async () => {
    office = t.ledger;
    issuer = await embedded({ identity: { mspId: 'OfficeMSP', attributes: { 'zhengyin.role': 'licence-issuer' } } });
    registry = await embedded({ identity: { mspId: 'RegistryMSP' } });
    await office.setPolicy({
      admins: [{ mspId: 'OfficeMSP' }],
      writers: {
        licence: [{ mspId: 'OfficeMSP', attribute: { name: 'zhengyin.role', value: 'licence-issuer' } }],
        realestate: [{ mspId: 'RegistryMSP' }],
      },
    });
  });

  it('lets the identity whose certificate carries the attribute write, and refuses the same MSP without it', async () => {
    await expect(issuer.anchor(licenceIssued())).resolves.toMatchObject({ status: 'recorded' });
    await expect(office.anchor(licenceIssued())).rejects.toMatchObject({ name: WriterNotAllowedError.name });
  });

  it('keeps each domain to its organisation', async () => {
    const unit = registration();
    await expect(registry.anchor(unit)).resolves.toMatchObject({ status: 'recorded' });
    expect(await office.get(unit.evidenceId)).toMatchObject({ writerMspId: 'RegistryMSP' });
    await expect(registry.anchor(licenceIssued())).rejects.toMatchObject({ name: WriterNotAllowedError.name });
    await expect(office.anchor(fundEvent())).rejects.toMatchObject({ name: WriterNotAllowedError.name, message: expect.stringContaining('OfficeMSP may not write fund records') });
  });

  it('lets a department identity record its own 工程建设项目 decisions only', async () => {
    const planningBureau = await embedded({ identity: { mspId: 'OfficeMSP', attributes: { 'zhengyin.department': 'zrzyj' } } });
    const policy = (await office.getPolicy())!;
    await office.setPolicy({ ...policy, writers: { ...policy.writers, project: [{ mspId: 'OfficeMSP', attribute: { name: 'zhengyin.department', value: 'zrzyj' } }] } });
    try {
      const own = projectDecision({ department: 'zrzyj' });
      await expect(planningBureau.anchor(own)).resolves.toMatchObject({ status: 'recorded' });
      const other = projectDecision({ department: 'zjj' });
      await expect(planningBureau.anchor(other)).rejects.toMatchObject({ name: WriterNotAllowedError.name, field: 'department', evidenceId: other.evidenceId });
      await expect(office.anchor(projectDecision({ department: 'zrzyj' }))).rejects.toMatchObject({ name: WriterNotAllowedError.name });
    } finally {
      await office.setPolicy(policy);
    }
  });

  it('refuses a policy change from an identity that is not an admin', async () => {
    await expect(registry.setPolicy({ admins: [{ mspId: 'RegistryMSP' }], writers: { licence: [{ mspId: 'RegistryMSP' }] } })).rejects.toMatchObject({
      name: PolicyRefusedError.name,
      code: 'POLICY_ADMIN_REQUIRED',
    });
    expect((await registry.getPolicy())?.admins).toEqual([{ mspId: 'OfficeMSP' }]);
  });

  it.each([
    ['no admins', { admins: [], writers: {} }, 'admins'],
    ['an unknown domain', { admins: [{ mspId: 'OfficeMSP' }], writers: { tax: [{ mspId: 'TaxMSP' }] } }, 'writers.tax'],
    ['a principal without an MSP id', { admins: [{ mspId: 'OfficeMSP' }], writers: { fund: [{ mspId: '' }] } }, 'writers.fund[0]'],
  ])('refuses a policy with %s, naming the part', async (_name, policy, field) => {
    await expect(office.setPolicy(policy as never)).rejects.toMatchObject({ name: PolicyRefusedError.name, code: 'INVALID_POLICY', field });
  });

  it('lets two nodes sharing the database and key commit into one chain without gaps', async () => {
    const other = await embedded({ identity: { mspId: 'RegistryMSP' } });
    await Promise.all([...Array.from({ length: 5 }, () => other.anchor(registration())), ...Array.from({ length: 5 }, () => registry.anchor(registration()))]);
    const verdict = await other.verifyChain();
    expect(verdict.problems).toEqual([]);
    expect(verdict.height).toBe((await office.info()).height);
  });

  it('refuses a node key file that others can read', async () => {
    const file = path.join(t.dir, 'open-key.pem');
    fs.copyFileSync(path.join(t.dir, 'ledger', 'node-key.pem'), file);
    fs.chmodSync(file, 0o644);
    await expect(ledgers.embedded({ pool: t.db.pool, dir: t.dir, nodeKeyFile: file })).rejects.toMatchObject({ name: ConfigurationError.name, setting: 'ZHENGYIN_LEDGER_NODE_KEY_FILE' });
  });

  it('creates its node key with mode 0600', () => {
    expect(fs.statSync(path.join(t.dir, 'ledger', 'node-key.pem')).mode & 0o777).toBe(0o600);
  });
});
