import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zhengyin } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';

// Each test runs several CLI processes, each starting the service: minutes on a loaded machine.
describe('zhengyin issue --out, licence pdf, and the audit trail (issue #9)', { timeout: 240_000 }, () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-issuance-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data'), ZHENGYIN_LOG_FORMAT: 'json' });
  const file = (name: string) => path.join(dir, name);
  const stored = async () => ({
    licences: await t.db.prisma.licence.count(),
    outbox: await t.db.prisma.outbox.count({ where: { kind: 'licence.issued' } }),
    serials: await t.db.prisma.licenceSerial.findMany({ orderBy: { typeCode: 'asc' } }),
    voids: await t.db.prisma.licenceSerialVoid.count(),
  });

  it('refuses --out into a missing folder before storing anything; the retry issues exactly one licence', async () => {
    const seeded = await zhengyin(['issue', '--demo', '--out', file('first.pdf')], env());
    expect(seeded.code, seeded.stderr).toBe(0);
    const before = await stored();

    const missing = await zhengyin(['issue', '--demo', '--out', file('no-such-folder/o.pdf')], env());

    expect(missing.code).toBe(65);
    expect(missing.stderr).toMatch(/^error \[INVALID_INPUT\]: cannot write .*no-such-folder\/o\.pdf: ENOENT\n$/);
    expect(missing.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await stored()).toEqual(before);

    const retry = await zhengyin(['issue', '--demo', '--out', file('retry.pdf')], env());
    expect(retry.code, retry.stderr).toBe(0);
    expect((await stored()).licences).toBe(before.licences + 1);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes an issued licence’s PDF again with licence pdf', async () => {
    const issued = await zhengyin(['issue', '--demo', '--out', file('again.pdf')], env());
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;

    const again = await zhengyin(['licence', 'pdf', identifier, '--out', file('copy.pdf')], env());

    expect(again.code, again.stderr).toBe(0);
    expect(fs.readFileSync(file('copy.pdf')).equals(fs.readFileSync(file('again.pdf')))).toBe(true);
  });

  it('records who issued and revoked: --actor, else the OS user; failures with their code; readable by audit list', async () => {
    const issued = await zhengyin(['issue', '--demo', '--out', file('audited.pdf'), '--actor', '张科长'], env());
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;
    const revoked = await zhengyin(['licence', 'revoke', identifier, '--reason', '依申请注销'], env());
    const again = await zhengyin(['licence', 'revoke', identifier, '--reason', '再次'], env());
    expect([issued.code, revoked.code, again.code]).toEqual([0, 0, 1]);

    const entries = await t.db.prisma.auditEntry.findMany({ where: { action: { in: ['licence.issue', 'licence.revoke'] } }, orderBy: { id: 'desc' }, take: 3 });
    expect(entries.map((e) => [e.action, e.actorKind, e.actorName, e.targets, e.outcome])).toEqual([
      ['licence.revoke', 'operator', os.userInfo().username, [identifier], 'LICENCE_STATE'],
      ['licence.revoke', 'operator', os.userInfo().username, [identifier], 'ok'],
      ['licence.issue', 'operator', '张科长', [identifier], 'ok'],
    ]);
    await expect(t.db.pool.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);

    const listed = await zhengyin(['audit', 'list', '--action', 'licence.issue', '--limit', '1'], env());
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`operator:张科长  licence.issue  ${identifier}  ok`);
    expect(listed.stdout).not.toContain('依申请注销');
  });

  it('lists void serials (none here: every serial allocated became a licence)', async () => {
    const voids = await zhengyin(['licence', 'voids'], env());
    expect(voids.code, voids.stderr).toBe(0);
    expect(voids.stdout).toContain('no void serials');
  });
});
