import type pg from 'pg';
import type { CloseableAsyncIterable, LedgerEvent } from '../ledger.ts';
import { pause } from '../pause.ts';

export interface EmbeddedEventsOptions {
  readonly pool: pg.Pool;
  readonly chaincode: string;
  /** First block to read. */
  readonly startBlock: bigint;
  /** Skip events of `startBlock` up to and including this transaction (a checkpoint). */
  readonly afterTransactionId?: string | undefined;
  /** Subscribes to local commits (to wake up early); returns the unsubscribe function. */
  readonly onCommit: (listener: () => void) => () => void;
  /** How often to look for blocks other processes committed. @default 250 */
  readonly pollMs?: number;
}

/**
 * Chaincode events of committed blocks in (block, transaction) order, read from
 * `ledger_event`. Blocks are committed in number order under one lock, so reading
 * forward never skips an event that commits later.
 */
export function embeddedEvents(o: EmbeddedEventsOptions): CloseableAsyncIterable<LedgerEvent> {
  let closed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = o.onCommit(() => wake?.());
  async function* read(): AsyncGenerator<LedgerEvent> {
    let block = o.startBlock;
    let index = -1;
    if (o.afterTransactionId) {
      const { rows } = await o.pool.query<{ tx_index: number }>('SELECT tx_index FROM ledger_transaction WHERE tx_id = $1 AND block_number = $2', [
        o.afterTransactionId,
        block,
      ]);
      if (rows[0]) index = rows[0].tx_index;
    }
    while (!closed) {
      const { rows } = await o.pool.query<{ tx_id: string; block_number: string; tx_index: number; event_name: string; payload: Buffer }>(
        `SELECT tx_id, block_number, tx_index, event_name, payload FROM ledger_event
          WHERE chaincode = $1 AND (block_number > $2 OR (block_number = $2 AND tx_index > $3))
          ORDER BY block_number, tx_index LIMIT 100`,
        [o.chaincode, block, index],
      );
      for (const r of rows) {
        if (closed) return;
        block = BigInt(r.block_number);
        index = r.tx_index;
        yield {
          blockNumber: block,
          transactionId: r.tx_id,
          chaincodeName: o.chaincode,
          eventName: r.event_name,
          payload: new Uint8Array(r.payload),
          data: JSON.parse(r.payload.toString('utf8')) as unknown,
        };
      }
      if (rows.length === 0) {
        const poll = pause(o.pollMs ?? 250);
        wake = poll.wake;
        await poll.done;
        wake = undefined;
      }
    }
  }
  const iterator = read();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close() {
      closed = true;
      wake?.();
      unsubscribe();
    },
  };
}
