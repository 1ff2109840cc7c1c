import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { ApplicationStateError, DEPARTMENT_WRITER_ATTRIBUTE, type Actor } from '../../gateway/services/index.ts';
import { InvalidInputError } from '../../common/index.ts';
import { drained } from '../support/db-snapshot.ts';
import { useTestApp } from '../support/app.ts';

const BUNDLE = '350200-YJS-GCJS';
const STEPS = [
  ['350200-ZYGH-0001', 'project.landuse.decided'],
  ['350200-ZYGH-0002', 'project.planning.decided'],
  ['350200-JSJ-0001', 'project.construction.decided'],
  ['350200-JSJ-0002', 'project.acceptance.decided'],
] as const;
const [, COMPANY] = DEMO_APPLICANTS;
const developer = { codeType: '001', code: COMPANY.code, name: COMPANY.name } as const;
const handler = (departmentId: string): Actor => ({ kind: 'department', departmentId, role: 'handler' });
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('工程建设项目: finishing a step of the bundle records its decision on the ledger, in order', () => {
  const t = useTestApp({ DATABASE_URL: '' });
  let counter = 0;

  beforeAll(async () => {
    await t.app.seedDemo();
    const org = { mspId: t.config.ledger.mspId };
    const department = (id: string) => ({ ...org, attribute: { name: DEPARTMENT_WRITER_ATTRIBUTE, value: id } });
    await t.app.services.ledger.ledger.setPolicy({ admins: [org], writers: { realestate: [org, department('bdcdj')], fund: [org], licence: [org], accesslog: [org], project: [org] } });
  }, 180_000);

  /** A fresh 项目代码 per application: the contract keys the steps by it. */
  const projectCode = () => `2026-350203-48-01-${String(100_000 + ++counter).padStart(6, '0')}`;
  const open = (code: string | undefined) =>
    t.app.services.applications.open(handler('jsj'), { applicant: developer, bundle: BUNDLE, ...(code ? { facts: { projectCode: code } } : {}) });

  /** Hands in what the plan says is to be uploaded for `matter`, so it can finish. */
  async function handIn(applicationId: string, matter: string, departmentId: string) {
    const lines = (await t.app.services.applications.plan(handler(departmentId), applicationId)).filter((l) => l.matter === matter && l.resolution === 'UPLOAD');
    for (const { kind } of lines) {
      await t.app.services.materials.upload(handler(departmentId), { applicationId, kind, fileName: `${kind}.pdf`, mediaType: 'application/pdf', bytes: Buffer.from(`%材料 ${kind} ${applicationId}\n`) });
    }
  }
  const outboxRows = (applicationId: string) => t.db.prisma.outbox.count({ where: { evidenceId: { startsWith: `${applicationId}:` } } });

  it('opening the bundle needs a valid 项目代码', async () => {
    await expect(open(undefined)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'projectCode' });
    await expect(open('2026-35-bad')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('refuses a step before the one it follows, and a step without its decision document, writing nothing', async () => {
    const application = await open(projectCode());
    const [first, second] = application.matters;
    await handIn(application.id, second!.matter, second!.departmentId);
    await expect(t.app.services.applications.finishMatter(handler(second!.departmentId), { applicationId: application.id, matter: second!.matter, decisionSha256: sha('规划') })).rejects.toBeInstanceOf(ApplicationStateError);
    await handIn(application.id, first!.matter, first!.departmentId);
    await expect(t.app.services.applications.finishMatter(handler(first!.departmentId), { applicationId: application.id, matter: first!.matter })).rejects.toMatchObject({ field: 'decisionSha256' });
    expect(await outboxRows(application.id)).toBe(0);
    expect((await t.app.services.applications.get(handler('jsj'), application.id)).matters.every((m) => m.finishedAt === null)).toBe(true);
  });

  it('anchors the four decisions under the 项目代码 in step order, each with its document hash and department', async () => {
    const code = projectCode();
    const application = await open(code);
    expect(application.matters.map((m) => m.matter)).toEqual(STEPS.map(([m]) => m));
    for (const step of application.matters) {
      await handIn(application.id, step.matter, step.departmentId);
      await t.app.services.applications.finishMatter(handler(step.departmentId), { applicationId: application.id, matter: step.matter, decisionSha256: sha(`决定 ${step.matter}`) });
    }
    expect(await outboxRows(application.id)).toBe(4);
    await drained(t.db.pool);
    // The contract refuses a step whose predecessor is not approved on the chain, so four accepted anchors are four steps in order;
    // the worker may batch several into one transaction, so blocks only never go back.
    const blocks: bigint[] = [];
    for (const [matter, type] of STEPS) {
      const entry = await t.app.services.ledger.anchorOf(`${application.id}:${matter}`);
      expect(entry?.anchor, `${matter}: ${entry?.lastError ?? 'not anchored'}`).toBeDefined();
      blocks.push(entry!.anchor!.blockNumber);
      const stored = (await t.app.services.ledger.ledger.get(`${application.id}:${matter}`)) as unknown as Record<string, unknown>;
      const step = application.matters.find((m) => m.matter === matter)!;
      expect(stored).toMatchObject({ type, projectCode: code, decision: 'approved', department: step.departmentId, documentSha256: sha(`决定 ${matter}`) });
    }
    expect([...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(blocks);
    expect((await t.app.services.ledger.ledger.head({ domain: 'project', key: code }))?.type).toBe('project.acceptance.decided');
  });
});
