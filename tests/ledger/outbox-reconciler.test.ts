import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { checkpointers, enqueueEvidence, outbox } from '../../ledger/index.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';
import { licenceIssued, registration } from './fixtures.ts';

describe('chaincode events with a database checkpointer', () => {
  const t = useEmbeddedLedger();

  it('keeps its position in the database, so a new listener resumes after the last event processed', async () => {
    const start = (await t.ledger.info()).height;
    const first = await t.ledger.anchor(registration());
    const second = await t.ledger.anchor(registration());
    const cp = await checkpointers.database(t.db.pool, 'test-listener');
    expect(cp.getBlockNumber()).toBeUndefined();

    const events = await t.ledger.events({ checkpointer: cp, startBlock: start });
    for await (const e of events) {
      await cp.checkpointChaincodeEvent(e);
      if (e.transactionId === first.transactionId) break;
    }
    events.close();

    const reopened = await checkpointers.database(t.db.pool, 'test-listener');
    expect(reopened.getBlockNumber()).toBe(first.blockNumber);
    expect(reopened.getTransactionId()).toBe(first.transactionId);
    const resumed = await t.ledger.events({ checkpointer: reopened });
    const next = await resumed[Symbol.asyncIterator]().next();
    resumed.close();
    expect(next.value?.transactionId).toBe(second.transactionId);
  });

  it('marks an outbox row anchored when its record reaches the chain by another way', async () => {
    const reconciler = outbox.reconciler({ pool: t.db.pool, ledger: t.ledger, checkpointer: await checkpointers.database(t.db.pool, 'outbox-reconciler') });
    reconciler.start();
    try {
      const record = licenceIssued();
      await enqueueEvidence(t.db.prisma, record);
      // Its worker claimed it and died: the row is leased for an hour.
      await t.db.pool.query("UPDATE outbox SET next_attempt_at = (now() AT TIME ZONE 'UTC') + interval '1 hour' WHERE evidence_id = $1", [record.evidenceId]);
      const receipt = await t.ledger.anchor(record);

      let entry = await outbox.entry(t.db.pool, record.evidenceId);
      for (let i = 0; i < 200 && !entry?.anchor; i++) {
        await sleep(25);
        entry = await outbox.entry(t.db.pool, record.evidenceId);
      }
      expect(entry?.anchor).toMatchObject({ transactionId: receipt.transactionId, blockNumber: receipt.blockNumber });
    } finally {
      await reconciler.stop();
    }
  });
});
