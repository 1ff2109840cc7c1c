import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSINESS_LICENCE, LICENCE_ATTACHMENT_NAME, SEED_EXAMPLES } from '../../signer/index.ts';
import { readAttachments } from '../../verifier/index.ts';
import { zhengyin } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';

// Several CLI processes, each starting the service: minutes on a loaded machine.
describe('zhengyin licence change, suspend, resume, renewal and print', { timeout: 300_000 }, () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-lifecycle-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data') });
  const file = (name: string) => path.join(dir, name);
  const face = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!.face;

  it('changes, suspends, resumes and prints a licence as the operator, each in the audit trail', async () => {
    const issued = await zhengyin(['issue', '--demo', '--out', file('v1.pdf')], env());
    expect(issued.code, issued.stderr).toBe(0);
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;

    fs.writeFileSync(file('face.json'), JSON.stringify({ ...face, address: '厦门市思明区软件园二期望海路12号601室' }));
    const changed = await zhengyin(['licence', 'change', identifier, '--data', file('face.json'), '--reason', '住所变更', '--out', file('v2.pdf'), '--actor', 'clerk'], env());
    expect(changed.code, changed.stderr).toBe(0);
    const next = /superseded by (\S+)/.exec(changed.stdout)![1]!;
    expect(next.split('.').at(-2)).toBe('002');
    const [attachment] = readAttachments(new Uint8Array(fs.readFileSync(file('v2.pdf'))), { names: [LICENCE_ATTACHMENT_NAME], maxBytes: 1 << 20 }).attachments;
    expect(JSON.parse(Buffer.from(attachment!.data).toString('utf8')).licence).toMatchObject({ identifier: next, face: { address: '厦门市思明区软件园二期望海路12号601室' } });

    const suspended = await zhengyin(['licence', 'suspend', next, '--reason', '依法暂扣'], env());
    expect(suspended.stdout).toBe(`${next} is suspended\n`);
    const refusedPrint = await zhengyin(['licence', 'print', next, '--out', file('paper.pdf')], env());
    expect(refusedPrint.code).not.toBe(0);
    expect(refusedPrint.stderr).toContain('LICENCE_STATE');
    expect(fs.existsSync(file('paper.pdf'))).toBe(false);
    expect((await zhengyin(['licence', 'resume', next, '--reason', '恢复'], env())).stdout).toBe(`${next} is valid\n`);

    const printed = await zhengyin(['licence', 'print', next, '--out', file('paper.pdf')], env());
    expect(printed.code, printed.stderr).toBe(0);
    expect(fs.readFileSync(file('paper.pdf')).toString('latin1')).not.toContain('/ByteRange');

    const noRenewal = await zhengyin(['licence', 'renewal', next, '--grant'], env());
    expect(noRenewal.code).not.toBe(0);
    expect(noRenewal.stderr).toContain('RENEWAL_STATE');

    const audit = await t.db.prisma.auditEntry.findMany({ where: { action: { startsWith: 'licence.', not: 'licence.issue' } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['licence.change', 'ok'],
      ['licence.suspend', 'ok'],
      ['licence.resume', 'ok'],
      ['licence.renewal.grant', 'RENEWAL_STATE'],
    ]);
    expect(audit[0]).toMatchObject({ actorName: 'clerk', targets: [identifier, next] });
    expect(JSON.stringify(audit.map((a) => a.targets))).not.toContain('住所变更');
  });
});
