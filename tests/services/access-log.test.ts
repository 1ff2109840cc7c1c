import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessLog, verifyReceipt, type AccessRequest } from '../../gateway/services/access-log/index.ts';
import { asDepartment, OPERATOR, PUBLIC, type Actor } from '../../gateway/services/actor.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { useTestApp } from '../support/app.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
const ID_NUMBER = '11010519491231002X';
const OTHER_ID = '110105194912310037';
const applicant = (holderCode: string): Actor => ({ kind: 'applicant', holderCodeType: '111', holderCode });

describe('AccessLog: append-only, hash-chained, readable by the holder', () => {
  const t = useTestApp({ ZHENGYIN_ACCESS_LOG_ANCHOR_EVERY: '5', ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S: '0' });
  const request = (holderCode: string, n: number): AccessRequest => ({
    subjectHash: t.app.services.ledger.holderHash('111', holderCode),
    actor: { kind: 'department', departmentId: 'gjj', tokenId: 'tok1' },
    applicationId: `APP-${n}`,
    resource: `licence:L-${n}`,
    useCause: `办理公积金贷款（第${n}件）`,
    requestSha256: h(`request ${n}`),
    responseSha256: h(`response ${n}`),
  });

  it('numbers concurrent appends 1, 2, 3, … each linked to the one before, with receipts that bind request and response', async () => {
    const log = t.app.services.accessLog;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => log.appendAlone(request(i % 3 === 0 ? OTHER_ID : ID_NUMBER, i))));

    expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const rows = await t.db.prisma.accessLogEntry.findMany({ orderBy: { sequence: 'asc' } });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.previousHash).toBe(rows[i - 1]!.entryHash);
    const some = results[4]!;
    expect(verifyReceipt(some.receipt, { requestSha256: h('request 4'), responseSha256: h('response 4') })).toBe(true);
    expect(verifyReceipt(some.receipt, { responseSha256: h('another response') })).toBe(false);
    expect(verifyReceipt({ ...some.receipt, useCause: '别的事由' })).toBe(false);
    expect(some.receipt.entryHash).toBe(some.entryHash);
  });

  it('anchors the head inside the append that reaches every fifth entry', async () => {
    const kinds = await t.db.prisma.outbox.findMany({ where: { kind: 'accesslog.head' }, orderBy: { createdAt: 'asc' } });
    expect(kinds.map((k) => (k.payload as { sequence: number }).sequence).sort()).toEqual([10, 5]);
    const five = await t.db.prisma.accessLogEntry.findUnique({ where: { sequence: 5n } });
    expect(kinds.find((k) => k.evidenceId === 'access-log-head-5')?.payload).toMatchObject({ logId: 'access-log', headHash: five!.entryHash, sequence: 5 });
  });

  it('leaves no entry and no gap when the releasing transaction rolls back', async () => {
    const before = await t.db.prisma.accessLogEntry.count();
    await expect(
      t.db.prisma.$transaction(async (tx) => {
        await t.app.services.accessLog.append(tx, request(ID_NUMBER, 99));
        throw new Error('the release failed after logging');
      }, { maxWait: 60_000, timeout: 60_000 }),
    ).rejects.toThrow('the release failed');
    expect(await t.db.prisma.accessLogEntry.count()).toBe(before);
    const next = await t.app.services.accessLog.appendAlone(request(ID_NUMBER, 100));
    expect(next.sequence).toBe(before + 1);
  });

  it.each([
    ['an empty use cause', { useCause: '  ' }, 'useCause'],
    ['a use cause over 200 characters', { useCause: '因'.repeat(201) }, 'useCause'],
    ['a request hash that is not SHA-256', { requestSha256: 'abc' }, 'requestSha256'],
    ['a department without its id', { actor: { kind: 'department' as const } }, 'actor.departmentId'],
  ])('refuses %s, writing nothing', async (_name, change, field) => {
    const before = await t.db.prisma.accessLogEntry.count();
    await expect(t.app.services.accessLog.appendAlone({ ...request(ID_NUMBER, 1), ...change })).rejects.toMatchObject({ code: 'INVALID_INPUT', field });
    expect(await t.db.prisma.accessLogEntry.count()).toBe(before);
  });

  it('shows the applicant exactly the accesses to their own data, newest first, page by page', async () => {
    const mine = await t.db.prisma.accessLogEntry.findMany({ where: { subjectHash: t.app.services.ledger.holderHash('111', ID_NUMBER) }, orderBy: { sequence: 'desc' } });
    const first = await t.app.services.accessLog.listForSubject(applicant(ID_NUMBER), { first: 3 });
    const rest = await t.app.services.accessLog.listForSubject(applicant(ID_NUMBER), { first: 100, before: first.entries.at(-1)!.sequence });

    expect(first.hasNextPage).toBe(true);
    expect(rest.hasNextPage).toBe(false);
    expect([...first.entries, ...rest.entries].map((e) => e.entryHash)).toEqual(mine.map((r) => r.entryHash));
    expect(first.entries[0]).toMatchObject({ actor: { kind: 'department', departmentId: 'gjj' }, applicationId: 'APP-100', useCause: '办理公积金贷款（第100件）' });
    const theirs = await t.app.services.accessLog.listForSubject(applicant(OTHER_ID), { first: 100 });
    expect(theirs.entries).toHaveLength(4);
    expect(theirs.entries.every((e) => e.subjectHash === t.app.services.ledger.holderHash('111', OTHER_ID))).toBe(true);
  });

  it('refuses the listing to a department and the public', async () => {
    await expect(t.app.services.accessLog.listForSubject(asDepartment('gjj'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.app.services.accessLog.listForSubject(PUBLIC)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each([
    ['UPDATE', `UPDATE access_log_entry SET use_cause = 'changed'`],
    ['DELETE', 'DELETE FROM access_log_entry WHERE sequence = 1'],
    ['TRUNCATE', 'TRUNCATE access_log_entry'],
  ])('refuses %s to the role the service connects as', async (_name, sql) => {
    await expect(t.db.pool.query(sql)).rejects.toThrow(/permission denied|append-only/);
    expect(await t.db.prisma.accessLogEntry.count()).toBeGreaterThan(0);
  });

  it('verifies the intact chain against the anchored heads; the operator only', async () => {
    await expect(t.app.services.accessLog.verify(asDepartment('gjj'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const sequence = await t.app.services.accessLog.anchorHead();
    // Every head enqueued so far: by count (5, 10) and the one just asked for.
    const heads = ['access-log-head-5', 'access-log-head-10', `access-log-head-${sequence}`];
    for (const id of heads) await waitAnchored(id);
    // Heads that the outbox sent in one batch share a transaction, and the ledger keeps one
    // version of the log's key per transaction (the last head, which covers the ones before).
    const transactions = new Set(await Promise.all(heads.map(async (id) => (await t.app.services.ledger.anchorOf(id))!.anchor!.transactionId)));

    const verdict = await t.app.services.accessLog.verify(OPERATOR);

    expect(verdict).toMatchObject({ ok: true, entries: sequence, head: { sequence }, lastAnchoredSequence: sequence, firstBreak: undefined });
    expect(verdict.anchorsChecked).toBe(transactions.size);
  });

  it('anchors a head that moved on its interval, once per head', async () => {
    const timed = new AccessLog({ prisma: t.db.prisma, ledger: t.app.services.ledger, anchorEvery: 0, anchorIntervalMs: 50, log: createLogger({ level: 'silent' }) });
    const { sequence } = await timed.appendAlone(request(ID_NUMBER, 200));
    timed.start();
    try {
      await waitAnchored(`access-log-head-${sequence}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await timed.stop();
    }
    expect(await t.db.prisma.outbox.count({ where: { kind: 'accesslog.head', evidenceId: { startsWith: 'access-log-head-' } } })).toBe(
      new Set((await t.db.prisma.outbox.findMany({ where: { kind: 'accesslog.head' } })).map((r) => (r.payload as { headHash: string }).headHash)).size,
    );
  });

  async function waitAnchored(evidenceId: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if ((await t.app.services.ledger.anchorOf(evidenceId))?.anchor) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${evidenceId} was not anchored in 15 s: ${JSON.stringify(await t.db.prisma.outbox.findUnique({ where: { evidenceId } }))}`);
  }
});
