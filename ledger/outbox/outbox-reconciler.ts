import type { Checkpointer } from '@hyperledger/fabric-gateway';
import type pg from 'pg';
import type { Ledger } from '../ledger.ts';
import { pause } from '../pause.ts';
import { NOW_UTC } from './outbox.ts';

export interface OutboxReconcilerOptions {
  readonly pool: pg.Pool;
  readonly ledger: Ledger;
  /** Where the listener got to; `checkpointers.database(pool, 'outbox-reconciler')` in the service. */
  readonly checkpointer: Checkpointer;
  readonly log?: { warn(message: string, fields?: Readonly<Record<string, unknown>>): void };
  /** Wait before reconnecting after the event stream broke. @default 5000 */
  readonly retryMs?: number;
}

export interface OutboxReconciler {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Listens to the contract's EvidenceRecorded events and marks the matching outbox rows
 * anchored. The worker marks its own rows; this catches records that reached the chain
 * while their row's worker died, or that another gateway submitted, without submitting
 * them again. Resumes from its checkpoint after a restart.
 */
export function outboxReconciler(o: OutboxReconcilerOptions): OutboxReconciler {
  let stopped = false;
  let close: (() => void) | undefined;
  let interrupt: (() => void) | undefined;
  let running: Promise<void> | undefined;

  async function listen(): Promise<void> {
    while (!stopped) {
      try {
        const events = await o.ledger.events({ checkpointer: o.checkpointer });
        close = () => events.close();
        if (stopped) events.close();
        for await (const event of events) {
          if (event.eventName === 'EvidenceRecorded') {
            const ids = ((event.data as { recorded?: { evidenceId: string }[] }).recorded ?? []).map((r) => r.evidenceId);
            if (ids.length > 0) {
              await o.pool.query(
                `UPDATE outbox SET anchored_at = ${NOW_UTC}, transaction_id = $2, block_number = $3, last_error = NULL
                  WHERE evidence_id = ANY($1::text[]) AND anchored_at IS NULL`,
                [ids, event.transactionId, event.blockNumber.toString()],
              );
            }
          }
          await o.checkpointer.checkpointChaincodeEvent(event);
          if (stopped) break;
        }
      } catch (e) {
        if (stopped) return;
        o.log?.warn('outbox reconciler: event stream broke; reconnecting', { error: (e as Error).message });
        const retry = pause(o.retryMs ?? 5000);
        interrupt = retry.wake;
        await retry.done;
      }
    }
  }

  return {
    start() {
      running ??= listen();
    },
    async stop() {
      stopped = true;
      close?.();
      interrupt?.();
      await running;
    },
  };
}
