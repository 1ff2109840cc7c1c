import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  enqueueEvidence,
  InvalidEvidenceError,
  outbox,
  singleOrganisationPolicy,
  subjectOf,
  type EvidenceRecord,
} from '../../ledger/index.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';
import { FaultyLedger } from './faulty-ledger.ts';
import { fundEvent, licenceIssued, registration } from './fixtures.ts';

describe('the outbox', () => {
  const t = useEmbeddedLedger();

  /** The business transaction of a caller: its own row and the outbox row, together. */
  const business = (records: readonly EvidenceRecord[], fail = false) =>
    t.db.prisma.$transaction(async (tx) => {
      for (const record of records) {
        await tx.systemSetting.create({ data: { key: `business:${record.evidenceId}`, value: { ok: true } } });
        await enqueueEvidence(tx, record);
      }
      if (fail) throw new Error('the business step failed');
    });
  const row = async (evidenceId: string) => (await t.db.pool.query('SELECT * FROM outbox WHERE evidence_id = $1', [evidenceId])).rows[0];
  /** How many times the chain wrote this evidence id (its key is written once per recording). */
  const writes = async (evidenceId: string) =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM ledger_history WHERE key = $1', [Buffer.from(`\u0000evidence\u0000${evidenceId}\u0000`)])).rows[0].n as number;
  const drainAll = async (w: outbox.OutboxDrainer) => {
    while ((await w.drainOnce()).claimed > 0);
  };

  it('writes the business row and its outbox row together, or neither', async () => {
    const kept = licenceIssued();
    const dropped = licenceIssued();
    await business([kept]);
    await expect(business([dropped], true)).rejects.toThrow('the business step failed');

    expect(await row(kept.evidenceId)).toMatchObject({ kind: 'licence.issued', anchored_at: null, attempts: 0 });
    expect(await row(dropped.evidenceId)).toBeUndefined();
    expect(await t.db.prisma.systemSetting.findUnique({ where: { key: `business:${dropped.evidenceId}` } })).toBeNull();
  });

  it('refuses, before anything commits, a record the contract would refuse', async () => {
    const bad = { ...registration(), ownerIdNumber: '110101199003077777' } as unknown as EvidenceRecord;
    await expect(business([bad])).rejects.toMatchObject({ name: InvalidEvidenceError.name, field: 'ownerIdNumber', evidenceId: bad.evidenceId });
    expect(await row(bad.evidenceId)).toBeUndefined();
    expect(await t.db.prisma.systemSetting.findUnique({ where: { key: `business:${bad.evidenceId}` } })).toBeNull();
  });

  it('stores the licence service’s payload as it comes and rebuilds the record from it', async () => {
    const record = licenceIssued();
    await business([record]);
    const r = await row(record.evidenceId);
    const { evidenceId: _id, type: _type, ...payload } = record;
    expect(r.payload).toEqual(payload);
    expect(outbox.fromRow({ evidenceId: r.evidence_id, kind: r.kind, payload: r.payload })).toEqual(record);
  });

  it('drains in batches and shows each record’s transaction id and block', async () => {
    const records = Array.from({ length: 23 }, (_, i) => (i % 2 ? registration() : fundEvent()));
    await business(records);
    const w = outbox.worker({ pool: t.db.pool, ledger: t.ledger, batchSize: 10 });

    await drainAll(w);

    const entries = await Promise.all(records.map((r) => outbox.entry(t.db.pool, r.evidenceId)));
    for (const [i, e] of entries.entries()) {
      const stored = await t.ledger.get(records[i]!.evidenceId);
      expect(e?.anchor).toMatchObject({ transactionId: stored?.txId, blockNumber: await t.ledger.blockOf(stored!.txId) });
    }
    expect(new Set(entries.map((e) => e?.anchor?.transactionId)).size).toBe(3);
    expect((await outbox.stats(t.db.pool)).pending).toBe(0);
  });

  it('anchors two records on one subject in two transactions, so its history keeps both versions', async () => {
    const first = fundEvent();
    const second = fundEvent({ accountHash: first.accountHash });
    const other = registration();
    await business([first, other, second]);
    const w = outbox.worker({ pool: t.db.pool, ledger: t.ledger, batchSize: 10 });
    expect(await w.drainOnce()).toMatchObject({ claimed: 3, anchored: 3, failed: 0 });

    const versions = [];
    for await (const v of t.ledger.history(subjectOf(first))) versions.push(v);
    expect(versions.map((v) => v.record?.evidenceId)).toEqual([first.evidenceId, second.evidenceId]);
    const [a, b, c] = await Promise.all([first, other, second].map((r) => outbox.entry(t.db.pool, r.evidenceId)));
    expect(a?.anchor?.transactionId).toBe(b?.anchor?.transactionId);
    expect(c?.anchor?.transactionId).not.toBe(a?.anchor?.transactionId);
  });

  it('keeps every record through an outage and lost answers, backs off, and anchors each exactly once', async () => {
    const faulty = new FaultyLedger(t.ledger);
    const w = outbox.worker({ pool: t.db.pool, ledger: faulty, batchSize: 5, pollMs: 10, backoff: { baseMs: 20, maxMs: 200 } });
    faulty.down = true;
    const records = Array.from({ length: 12 }, () => registration());
    await business(records);
    w.start();
    try {
      while (faulty.calls < 4) await sleep(10);
      const during = await outbox.stats(t.db.pool);
      expect(during.pending).toBe(12);
      expect(during.failing).toBeGreaterThan(0);
      expect(during.lastError).toContain('[ANCHOR_SUBMIT] orderer unavailable');
      expect(during.oldestPendingAgeMs).toBeGreaterThan(0);
      const backedOff = await row(records[0]!.evidenceId);
      expect(backedOff.attempts).toBeGreaterThan(0);

      faulty.loseAnswers = 2;
      faulty.down = false;
      for (let i = 0; i < 500 && (await outbox.stats(t.db.pool)).pending > 0; i++) await sleep(20);
    } finally {
      await w.stop();
    }

    expect(await outbox.stats(t.db.pool)).toMatchObject({ pending: 0, failing: 0 });
    expect(faulty.loseAnswers).toBe(0);
    for (const r of records) {
      expect(await writes(r.evidenceId)).toBe(1);
      expect((await outbox.entry(t.db.pool, r.evidenceId))?.anchor?.transactionId).toBe((await t.ledger.get(r.evidenceId))?.txId);
    }
    expect((await t.ledger.verifyChain()).problems).toEqual([]);
  });

  it('leaves a refused record pending with its reason, anchors the rest, and takes it once the chain allows it', async () => {
    await t.ledger.setPolicy({ admins: [{ mspId: 'ZhengyinMSP' }], writers: { licence: [{ mspId: 'ZhengyinMSP' }] } });
    const refused = fundEvent();
    const fine = licenceIssued();
    await business([refused, fine]);
    const w = outbox.worker({ pool: t.db.pool, ledger: t.ledger, backoff: { baseMs: 60_000, maxMs: 60_000 } });

    await w.drainOnce();

    expect((await outbox.entry(t.db.pool, fine.evidenceId))?.anchor).toBeDefined();
    const pending = await outbox.entry(t.db.pool, refused.evidenceId);
    expect(pending).toMatchObject({ anchor: undefined, attempts: 1, lastError: expect.stringContaining('[WRITER_NOT_ALLOWED]') });
    expect((await w.drainOnce()).claimed).toBe(0); // backing off

    await t.ledger.setPolicy(singleOrganisationPolicy('ZhengyinMSP'));
    // A second in the past: next_attempt_at is TIMESTAMP(3), so "now" stored there may round up
    // past the worker's own now() a few hundred microseconds later and leave the row not yet due.
    await t.db.pool.query(
      "UPDATE outbox SET next_attempt_at = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE evidence_id = $1",
      [refused.evidenceId],
    );
    await w.drainOnce();
    expect((await outbox.entry(t.db.pool, refused.evidenceId))?.anchor).toBeDefined();
    expect(await writes(refused.evidenceId)).toBe(1);
  });

  it('lets two workers on two nodes share the outbox without anchoring a record twice', async () => {
    const second = await t.open({ initialPolicy: false });
    {
      const records = Array.from({ length: 40 }, () => licenceIssued());
      await business(records);
      const a = outbox.worker({ pool: t.db.pool, ledger: t.ledger, batchSize: 7 });
      const b = outbox.worker({ pool: t.db.pool, ledger: second, batchSize: 7 });

      await Promise.all([drainAll(a), drainAll(b)]);

      for (const r of records) expect(await writes(r.evidenceId)).toBe(1);
      expect((await outbox.stats(t.db.pool)).pending).toBe(0);
    }
  });
});
