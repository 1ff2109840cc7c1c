import type pg from 'pg';
import { MAX_BATCH } from '../contract-ledger.ts';
import { subjectOf, type EvidenceRecord } from '../evidence.ts';
import type { AnchorOutcome, Ledger } from '../ledger.ts';
import { pause } from '../pause.ts';
import { fromOutboxRow, NOW_UTC } from './outbox.ts';

export interface OutboxWorkerOptions {
  readonly pool: pg.Pool;
  readonly ledger: Ledger;
  /** Rows per ledger transaction (RecordBatch). @default 100 */
  readonly batchSize?: number;
  /** How often to look for work when idle. @default 250 */
  readonly pollMs?: number;
  /**
   * How long a claimed row stays invisible to other workers. A worker that dies leaves its
   * rows to the next one after this; one that is merely slow makes another submit them
   * again, which the ledger answers with the first receipt. @default 60000
   */
  readonly leaseMs?: number;
  /** Retry delay after the n-th failure: min(maxMs, baseMs·2^(n-1)), with jitter. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly log?: { warn(message: string, fields?: Readonly<Record<string, unknown>>): void };
}

export interface DrainResult {
  readonly claimed: number;
  readonly anchored: number;
  readonly failed: number;
}

interface Claimed {
  readonly id: string;
  readonly evidence_id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly created_at: Date;
}

/**
 * Drains the outbox into the ledger: claims due rows (FOR UPDATE SKIP LOCKED, so workers
 * on several gateways share the work), anchors them in one RecordBatch transaction, marks
 * each anchored with its transaction id and block, or schedules a retry with exponential
 * backoff and records the error. Exactly-once: a row is only marked after the ledger
 * answered, and a row submitted again (after a crash, a lost answer, an expired lease)
 * gets the first receipt, because the contract records an evidence id once.
 */
export class OutboxWorker {
  readonly #o: Required<Omit<OutboxWorkerOptions, 'log'>> & Pick<OutboxWorkerOptions, 'log'>;
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.#o = {
      batchSize: Math.min(options.batchSize ?? 100, MAX_BATCH),
      pollMs: options.pollMs ?? 250,
      leaseMs: options.leaseMs ?? 60_000,
      backoff: options.backoff ?? { baseMs: 1000, maxMs: 5 * 60_000 },
      ...options,
    };
  }

  /** Starts draining in the background until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#loop();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
  }

  /** Look for work now instead of at the next poll (e.g. right after an enqueue). */
  wake(): void {
    this.#wake?.();
  }

  /** Claims and anchors one batch of due rows. */
  async drainOnce(): Promise<DrainResult> {
    const rows = await this.#claim();
    if (rows.length === 0) return { claimed: 0, anchored: 0, failed: 0 };
    const records: EvidenceRecord[] = [];
    const unreadable: { row: Claimed; error: Error }[] = [];
    for (const row of rows) {
      try {
        records.push(fromOutboxRow({ evidenceId: row.evidence_id, kind: row.kind, payload: row.payload }));
      } catch (e) {
        unreadable.push({ row, error: e as Error });
      }
    }
    for (const { row, error } of unreadable) await this.#failed([row], error);
    const readable = rows.filter((r) => !unreadable.some((u) => u.row === r));
    if (readable.length === 0) return { claimed: rows.length, anchored: 0, failed: rows.length };

    // One ledger transaction per run of records with distinct subjects: two records on one
    // subject in one transaction would leave a single version in the subject's history.
    const outcomes: AnchorOutcome[] = [];
    for (const group of distinctSubjectRuns(records)) {
      try {
        outcomes.push(...(await this.#o.ledger.anchorBatch(group)));
      } catch (e) {
        const untaken = readable.slice(outcomes.length);
        await this.#failed(untaken, e as Error);
        this.#o.log?.warn('outbox: the ledger did not take a batch; will retry', { rows: untaken.length, error: (e as Error).message });
        if (outcomes.length === 0) return { claimed: rows.length, anchored: 0, failed: rows.length };
        break;
      }
    }
    const taken = readable.slice(0, outcomes.length);
    const done = taken.flatMap((row, i) => {
      const o = outcomes[i]!;
      return o.status === 'rejected' ? [] : [{ row, transactionId: o.transactionId, blockNumber: o.blockNumber }];
    });
    if (done.length > 0) {
      await this.#o.pool.query(
        `UPDATE outbox o SET anchored_at = ${NOW_UTC}, transaction_id = u.tx, block_number = u.block, last_error = NULL, attempts = o.attempts + 1
           FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(id, tx, block)
          WHERE o.id = u.id AND o.anchored_at IS NULL`,
        [done.map((d) => d.row.id), done.map((d) => d.transactionId), done.map((d) => d.blockNumber.toString())],
      );
    }
    let failed = unreadable.length + readable.length - taken.length;
    for (const [i, row] of taken.entries()) {
      const o = outcomes[i]!;
      if (o.status === 'rejected') {
        failed++;
        await this.#failed([row], o.error);
      }
    }
    return { claimed: rows.length, anchored: done.length, failed };
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      let result: DrainResult | undefined;
      try {
        result = await this.drainOnce();
      } catch (e) {
        this.#o.log?.warn('outbox: drain failed', { error: (e as Error).message });
      }
      // A full batch means more may be due: go on at once. Otherwise wait for the poll.
      if (!this.#stopping && (!result || result.claimed < this.#o.batchSize || result.failed === result.claimed)) {
        const poll = pause(this.#o.pollMs);
        this.#wake = poll.wake;
        await poll.done;
        this.#wake = undefined;
      }
    }
  }

  async #claim(): Promise<Claimed[]> {
    const { rows } = await this.#o.pool.query<Claimed>(
      `UPDATE outbox o SET next_attempt_at = ${NOW_UTC} + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT id FROM outbox WHERE anchored_at IS NULL AND next_attempt_at <= ${NOW_UTC}
                ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) c
        WHERE o.id = c.id
        RETURNING o.id, o.evidence_id, o.kind, o.payload, o.attempts, o.created_at`,
      [this.#o.batchSize, this.#o.leaseMs],
    );
    // RETURNING does not keep the sub-select's order: restore creation order, so that a
    // batch records (say) a registration before the loan that relies on it.
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
  }

  async #failed(rows: readonly Claimed[], error: Error): Promise<void> {
    const { baseMs, maxMs } = this.#o.backoff;
    const delays = rows.map((r) => Math.round(Math.min(maxMs, baseMs * 2 ** r.attempts) * (0.5 + Math.random() / 2)));
    const message = `${(error as { code?: string }).code ? `[${(error as { code?: string }).code}] ` : ''}${error.message}`.slice(0, 2000);
    await this.#o.pool.query(
      `UPDATE outbox o SET attempts = o.attempts + 1, last_error = $3,
              next_attempt_at = ${NOW_UTC} + make_interval(secs => u.delay / 1000)
         FROM unnest($1::text[], $2::double precision[]) AS u(id, delay)
        WHERE o.id = u.id AND o.anchored_at IS NULL`,
      [rows.map((r) => r.id), delays, message],
    );
  }
}

/** Splits records, in order, into runs in which no subject appears twice. */
function distinctSubjectRuns(records: readonly EvidenceRecord[]): EvidenceRecord[][] {
  const runs: EvidenceRecord[][] = [];
  let run: EvidenceRecord[] = [];
  let subjects = new Set<string>();
  for (const record of records) {
    const { domain, key } = subjectOf(record);
    const subject = `${domain}\u0000${key}`;
    if (subjects.has(subject)) {
      runs.push(run);
      run = [];
      subjects = new Set();
    }
    run.push(record);
    subjects.add(subject);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
