import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEvidence, ledgers, outbox, singleOrganisationPolicy, type EvidenceVersion, type Ledger } from '../../ledger/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { FaultyLedger } from './faulty-ledger.ts';
import { registration } from './fixtures.ts';
import { fabricOptionsFromEnv } from '../../gateway/runtime/config.ts';

// `npm run test:fabric` only: the outbox (real PostgreSQL) draining into a real Fabric
// network through an outage. Skips (the contract suite's file says so loudly) without one.
const options = fabricOptionsFromEnv(process.env);

describe.skipIf(!options)('the outbox draining into Hyperledger Fabric', () => {
  const t = useTestDatabase();
  let fabric: Ledger;
  beforeAll(async () => {
    fabric = await ledgers.fabric(options!);
    const policy = await fabric.getPolicy();
    if (!policy?.writers.realestate?.some((p) => p.mspId === options!.mspId && !p.attribute)) {
      await fabric.setPolicy(singleOrganisationPolicy(options!.mspId));
    }
  });
  afterAll(async () => {
    await fabric?.close();
  });

  it('anchors every record exactly once through an outage and lost answers, with Fabric transaction ids and blocks', async () => {
    const faulty = new FaultyLedger(fabric);
    faulty.down = true;
    faulty.loseAnswers = 1;
    const records = Array.from({ length: 30 }, () => registration());
    await t.db.prisma.$transaction(async (tx) => {
      for (const r of records) await enqueueEvidence(tx, r);
    });
    const w = outbox.worker({ pool: t.db.pool, ledger: faulty, batchSize: 10, pollMs: 20, backoff: { baseMs: 50, maxMs: 400 } });
    w.start();
    try {
      while (faulty.calls < 3) await sleep(20);
      expect((await outbox.stats(t.db.pool)).failing).toBeGreaterThan(0);
      faulty.down = false;
      for (let i = 0; i < 1500 && (await outbox.stats(t.db.pool)).pending > 0; i++) await sleep(20);
    } finally {
      await w.stop();
    }

    expect(await outbox.stats(t.db.pool)).toMatchObject({ pending: 0 });
    for (const r of records) {
      const entry = await outbox.entry(t.db.pool, r.evidenceId);
      const versions: EvidenceVersion[] = [];
      for await (const v of fabric.history({ domain: 'realestate', key: r.unitNumber })) versions.push(v);
      expect(versions).toHaveLength(1);
      expect(entry?.anchor).toMatchObject({ transactionId: versions[0]!.transactionId, blockNumber: await fabric.blockOf(versions[0]!.transactionId) });
    }
  });
});
