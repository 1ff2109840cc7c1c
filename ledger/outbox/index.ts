import { OutboxWorker, type DrainResult, type OutboxWorkerOptions } from './outbox-worker.ts';

export type { OutboxWorkerOptions, DrainResult } from './outbox-worker.ts';
export { outboxReconciler as reconciler } from './outbox-reconciler.ts';
export type { OutboxReconciler, OutboxReconcilerOptions } from './outbox-reconciler.ts';
export type { OutboxWriter, OutboxRow, OutboxStats, OutboxEntry } from './outbox.ts';
export { enqueueEvidence as enqueue, outboxStats as stats, outboxEntry as entry, toOutboxRow as toRow, fromOutboxRow as fromRow } from './outbox.ts';

/** Drains the outbox into a ledger in the background. */
export interface OutboxDrainer {
  start(): void;
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
  /** Look for work now instead of at the next poll. */
  wake(): void;
  /** Claims and anchors one batch now (tests, CLI). */
  drainOnce(): Promise<DrainResult>;
}

export function worker(options: OutboxWorkerOptions): OutboxDrainer {
  return new OutboxWorker(options);
}
