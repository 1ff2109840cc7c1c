import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../gateway/cli/command.ts';
import { main } from '../../gateway/cli/main.ts';
import { useTestDatabase } from '../support/database.ts';
import { sha, unitNumber } from './fixtures.ts';

/** `zhengyin ledger …` in-process against a real database, as an operator runs it. */
describe('zhengyin ledger commands', () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-cli-'));
  const saved = { ...process.env };
  const unit = unitNumber();
  const documentSha256 = sha(`cli ${unit}`);
  const ID_NUMBER = '11010519491231002X';

  beforeAll(() => {
    process.env.DATABASE_URL = t.url;
    process.env.ZHENGYIN_DATA_DIR = dir;
    process.env.ZHENGYIN_LOG_FORMAT = 'json';
    fs.writeFileSync(
      path.join(dir, 'registration.json'),
      JSON.stringify({ unitNumber: unit, certificateNumber: '京(2026)东城区不动产权第0000042号', documentSha256, holderCodeType: '111', holderCode: ID_NUMBER, at: '2026-02-01T10:00:00+08:00' }),
    );
    fs.writeFileSync(path.join(dir, 'no-admins.json'), JSON.stringify({ admins: [], writers: {} }));
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ unitNumber: 'not-a-unit', certificateNumber: 'x', documentSha256, at: '2026-02-01T10:00:00+08:00' }));
  });
  afterAll(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function zhengyin(...argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const code = await main(argv, sink);
    return { code, out };
  }

  it('records evidence through the outbox, with the holder’s ID number only as a salted hash', async () => {
    const { code, out } = await zhengyin('ledger', 'record', '--type', 'realestate.first-registration', '--data', path.join(dir, 'registration.json'));

    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(/^anchored realestate\.first-registration op-[0-9a-f]{32}\n\s+transaction\s+[0-9a-f]{64}\n\s+block\s+\d+/);
    const chain = await t.db.pool.query("SELECT count(*)::int AS n FROM ledger_state WHERE position(convert_to($1, 'UTF8') IN value) > 0", [ID_NUMBER]);
    const entries = await t.db.pool.query("SELECT count(*)::int AS n FROM ledger_transaction WHERE position(convert_to($1, 'UTF8') IN entry) > 0", [ID_NUMBER]);
    expect(chain.rows[0].n + entries.rows[0].n).toBe(0);
  });

  it('records the same request again as the same evidence', async () => {
    const first = await zhengyin('ledger', 'record', '--type', 'realestate.first-registration', '--data', path.join(dir, 'registration.json'), '--json');
    expect(first.code).toBe(ExitCode.ok);
    expect(JSON.parse(first.out)).toMatchObject({ kind: 'realestate.first-registration', anchor: { transactionId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(1);
  });

  it('shows the history of a 不动产单元 by its number alone', async () => {
    const { code, out } = await zhengyin('ledger', 'history', unit);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain(`realestate ${unit}: 1 version(s)`);
    expect(out).toContain('realestate.first-registration');
  });

  it('verifies a document hash with a checked inclusion proof, and says when nothing holds it', async () => {
    const found = await zhengyin('ledger', 'verify', documentSha256);
    expect(found.code).toBe(ExitCode.ok);
    expect(found.out).toContain('inclusion proof VALID');
    const missing = await zhengyin('ledger', 'verify', sha('never anchored'));
    expect(missing.code).toBe(ExitCode.failure);
    expect(missing.out).toContain('not anchored');
  });

  it('reports mode, height and the outbox', async () => {
    const { code, out } = await zhengyin('ledger', 'status', '--json');
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)).toMatchObject({ mode: 'embedded', pending: 0, anchored: 1, height: expect.stringMatching(/^\d+$/) });
  });

  it('shows the writer policy and replaces it from a file', async () => {
    const policy = { admins: [{ mspId: 'ZhengyinMSP' }], writers: { realestate: [{ mspId: 'ZhengyinMSP' }], licence: [{ mspId: 'ZhengyinMSP' }] } };
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
    const set = await zhengyin('ledger', 'policy', '--set', path.join(dir, 'policy.json'));
    expect(set.code).toBe(ExitCode.ok);
    expect(set.out).toMatch(/^writer policy replaced in transaction [0-9a-f]{64} \(block \d+\)\n/);
    expect(JSON.parse(set.out.slice(set.out.indexOf('{')))).toEqual(policy);
  });

  it.each([
    ['a policy without admins', ['ledger', 'policy', '--set', 'no-admins.json'], ExitCode.badInput],
    ['a record the contract would refuse', ['ledger', 'record', '--type', 'realestate.transfer', '--data', 'bad.json'], ExitCode.badInput],
    ['an unknown evidence type', ['ledger', 'record', '--type', 'realestate.sale', '--data', 'registration.json'], ExitCode.badInput],
    ['a data file that does not exist', ['ledger', 'record', '--type', 'fund.deposit', '--data', 'missing.json'], ExitCode.badInput],
    ['a missing --data', ['ledger', 'record', '--type', 'fund.deposit'], ExitCode.usage],
    ['a hash that is not SHA-256', ['ledger', 'verify', 'abc'], ExitCode.badInput],
    ['an unknown --domain', ['ledger', 'history', unit, '--domain', 'tax'], ExitCode.usage],
  ])('exits non-zero on %s, changing nothing', async (_name, argv, exit) => {
    const before = (await t.db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
    const args = argv.map((a) => (a.endsWith('.json') ? path.join(dir, a) : a));
    expect((await zhengyin(...args)).code).toBe(exit);
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(before);
  });
});
