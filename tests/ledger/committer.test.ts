import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Committer, type EndorsedTransaction } from '../../ledger/embedded/committer.ts';
import { loadNodeKey } from '../../ledger/embedded/node-identity.ts';
import { StateStore } from '../../ledger/embedded/state-store.ts';
import { TxSimulator } from '../../ledger/embedded/tx-simulator.ts';
import { useTestDatabase } from '../support/database.ts';

/**
 * The committer's validation, on transactions simulated against real committed state,
 * as Fabric's committing peer validates them (MVCC read versions, phantom reads).
 */
describe('the embedded committer', () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-commit-'));
  let store: StateStore;
  let committer: Committer;
  let n = 0;

  beforeAll(() => {
    store = new StateStore(t.db.pool, 'cc');
    committer = new Committer({ pool: t.db.pool, namespace: 'cc', store, nodeKey: loadNodeKey(path.join(dir, 'node-key.pem')) });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const tx = (sim: TxSimulator): EndorsedTransaction => ({
    entry: {
      version: 1,
      txId: `tx${++n}`,
      channel: 'ch',
      chaincode: 'cc',
      timestamp: new Date().toISOString(),
      creator: { mspId: 'TestMSP', certificateSha256: '0'.repeat(64) },
      args: [],
      response: { status: 200, message: '', payload: '' },
      reads: [...sim.reads],
      ranges: sim.ranges,
      writes: [...sim.writes].map(([k, v]) => [k, v && v.toString('base64')] as const),
      event: null,
    },
    reads: sim.reads,
    ranges: sim.ranges,
    writes: sim.writes,
  });
  const put = async (entries: Record<string, string>) => {
    const sim = new TxSimulator(store);
    for (const [k, v] of Object.entries(entries)) sim.putState(k, Buffer.from(v));
    return committer.commit([tx(sim)]);
  };

  it('commits the first of two transactions that read the same version of a key, and marks the second MVCC_READ_CONFLICT', async () => {
    await put({ counter: '1' });
    const a = new TxSimulator(store);
    const b = new TxSimulator(store);
    for (const sim of [a, b]) {
      const value = Number((await sim.getState('counter'))!.toString());
      sim.putState('counter', Buffer.from(String(value + 1)));
    }

    const outcomes = await committer.commit([tx(a), tx(b)]);

    expect(outcomes.map((o) => o.validationCode)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    expect((await store.get('counter'))?.value.toString()).toBe('2');
  });

  it('marks a transaction whose range query would now see another key PHANTOM_READ_CONFLICT', async () => {
    await put({ 'item-1': 'a', 'item-3': 'c' });
    const reader = new TxSimulator(store);
    const seen = await reader.getStateByRange('item-', 'item-~');
    reader.putState('summary', Buffer.from(String(seen.kvs.length)));
    const inserter = new TxSimulator(store);
    inserter.putState('item-2', Buffer.from('b'));

    const outcomes = await committer.commit([tx(inserter), tx(reader)]);

    expect(outcomes.map((o) => o.validationCode)).toEqual(['VALID', 'PHANTOM_READ_CONFLICT']);
    expect(await store.get('summary')).toBeUndefined();
  });

  it('treats a read of a missing key as a version: a later creation conflicts', async () => {
    const a = new TxSimulator(store);
    expect(await a.getState('fresh')).toBeUndefined();
    a.putState('fresh', Buffer.from('mine'));
    await put({ fresh: 'theirs' });

    const [outcome] = await committer.commit([tx(a)]);

    expect(outcome?.validationCode).toBe('MVCC_READ_CONFLICT');
    expect((await store.get('fresh'))?.value.toString()).toBe('theirs');
  });

  it('deletes a key written empty, and keeps the deletion in the history', async () => {
    await put({ gone: 'x' });
    const sim = new TxSimulator(store);
    sim.putState('gone', Buffer.alloc(0));
    await committer.commit([tx(sim)]);

    expect(await store.get('gone')).toBeUndefined();
    expect((await store.history('gone')).map((h) => h.isDelete)).toEqual([true, false]);
  });
});
