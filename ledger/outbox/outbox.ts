import { createRequire } from 'node:module';
import path from 'node:path';
import type pg from 'pg';
import { InvalidEvidenceError, parseRefusal } from '../errors.ts';
import { isEvidenceType, type EvidenceRecord, type EvidenceType } from '../evidence.ts';
import { chaincodeDir } from '../embedded/shim-modules.ts';

/**
 * The outbox: evidence waiting for the ledger, written in the SAME database transaction
 * as the business row it records, so a licence (or registration) exists exactly when its
 * evidence will reach the chain. The worker (outbox-worker.ts) drains it.
 *
 * A row is `{ evidenceId, kind, payload }`: `kind` is the evidence type and `payload` the
 * record's other fields, e.g. for a licence
 * `{ identifier, documentSha256, typeCode, issuerCode, holderHash, version, at }`.
 */
export interface OutboxRow {
  readonly evidenceId: string;
  readonly kind: string;
  readonly payload: unknown;
}

/**
 * What `enqueueEvidence` writes through: a Prisma transaction client (`tx` inside
 * `prisma.$transaction(async (tx) => …)`), or the PrismaClient itself for a lone row.
 */
export interface OutboxWriter {
  outbox: {
    create(args: { data: { evidenceId: string; kind: string; payload: object; createdAt: Date; nextAttemptAt: Date } }): PromiseLike<unknown>;
  };
}

type ValidateRecord = (input: unknown) => unknown;
let validate: ValidateRecord | undefined;

/**
 * The contract's own record check (chaincode/dist/records.js, pure, no Fabric), so that a
 * record the chain would refuse is refused before its business transaction commits.
 */
function contractValidate(record: unknown): void {
  validate ??= (createRequire(path.join(chaincodeDir, 'package.json'))('./dist/records.js') as { validateRecord: ValidateRecord }).validateRecord;
  try {
    validate(record);
  } catch (e) {
    const message = (e as Error).message;
    const refusal = parseRefusal(message);
    throw new InvalidEvidenceError({
      message: refusal?.detail ?? message,
      evidenceId: String((record as { evidenceId?: unknown })?.evidenceId ?? ''),
      transactionId: '',
      ...(refusal?.field ? { field: refusal.field } : {}),
    });
  }
}

/** The outbox row of a record. */
export function toOutboxRow(record: EvidenceRecord): { evidenceId: string; kind: EvidenceType; payload: Record<string, unknown> } {
  const { evidenceId, type, ...payload } = record;
  return { evidenceId, kind: type, payload };
}

/** The record an outbox row stands for. */
export function fromOutboxRow(row: OutboxRow): EvidenceRecord {
  if (!isEvidenceType(row.kind)) throw new InvalidEvidenceError({ message: `unknown evidence kind ${JSON.stringify(row.kind)}`, evidenceId: row.evidenceId, transactionId: '', field: 'kind' });
  return { ...(row.payload as object), evidenceId: row.evidenceId, type: row.kind } as EvidenceRecord;
}

/**
 * Adds a record to the outbox inside the caller's transaction. Checks the record with
 * the contract's own rules first, so a bad one fails the business transaction instead of
 * waiting forever in the outbox.
 *
 * @throws {@link InvalidEvidenceError} naming the field; nothing is written.
 * @example
 * await prisma.$transaction(async (tx) => {
 *   await tx.licence.create({ data: licence });
 *   await enqueueEvidence(tx, { evidenceId: licence.id, type: 'licence.issued', ...payload });
 * });
 */
export async function enqueueEvidence(tx: OutboxWriter, record: EvidenceRecord): Promise<void> {
  contractValidate(record);
  const now = new Date();
  await tx.outbox.create({ data: { ...toOutboxRow(record), createdAt: now, nextAttemptAt: now } });
}

export interface OutboxStats {
  /** Rows not anchored yet. */
  readonly pending: number;
  /** Pending rows that failed at least once. */
  readonly failing: number;
  readonly anchored: number;
  /** Age of the oldest pending row, ms (0 when none). */
  readonly oldestPendingAgeMs: number;
  /** The most recent failure among pending rows. */
  readonly lastError: string | undefined;
}

// Timestamps in these tables are UTC without zone (as Prisma writes them).
export const NOW_UTC = "(now() AT TIME ZONE 'UTC')";

export async function outboxStats(pool: pg.Pool): Promise<OutboxStats> {
  const { rows } = await pool.query<{ pending: number; failing: number; anchored: number; age: string | null; last_error: string | null }>(
    `SELECT count(*) FILTER (WHERE anchored_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE anchored_at IS NULL AND attempts > 0)::int AS failing,
            count(*) FILTER (WHERE anchored_at IS NOT NULL)::int AS anchored,
            floor(extract(epoch FROM ${NOW_UTC} - min(created_at) FILTER (WHERE anchored_at IS NULL)) * 1000)::bigint AS age,
            (SELECT last_error FROM outbox WHERE anchored_at IS NULL AND last_error IS NOT NULL ORDER BY next_attempt_at DESC LIMIT 1) AS last_error
       FROM outbox`,
  );
  const r = rows[0]!;
  return { pending: r.pending, failing: r.failing, anchored: r.anchored, oldestPendingAgeMs: Math.max(0, Number(r.age ?? 0)), lastError: r.last_error ?? undefined };
}

/** Where an evidence id is: pending (with attempts and last error) or anchored (transaction, block). */
export interface OutboxEntry {
  readonly evidenceId: string;
  readonly kind: string;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly lastError: string | undefined;
  readonly anchor: { readonly transactionId: string; readonly blockNumber: bigint; readonly anchoredAt: Date } | undefined;
}

export async function outboxEntry(pool: pg.Pool, evidenceId: string): Promise<OutboxEntry | undefined> {
  const { rows } = await pool.query<{
    evidence_id: string;
    kind: string;
    created_ms: string;
    attempts: number;
    last_error: string | null;
    anchored_ms: string | null;
    transaction_id: string | null;
    block_number: string | null;
  }>(
    `SELECT evidence_id, kind, attempts, last_error, transaction_id, block_number,
            floor(extract(epoch FROM created_at) * 1000)::bigint AS created_ms,
            floor(extract(epoch FROM anchored_at) * 1000)::bigint AS anchored_ms
       FROM outbox WHERE evidence_id = $1`,
    [evidenceId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    evidenceId: r.evidence_id,
    kind: r.kind,
    createdAt: new Date(Number(r.created_ms)),
    attempts: r.attempts,
    lastError: r.last_error ?? undefined,
    anchor:
      r.anchored_ms !== null && r.transaction_id !== null && r.block_number !== null
        ? { transactionId: r.transaction_id, blockNumber: BigInt(r.block_number), anchoredAt: new Date(Number(r.anchored_ms)) }
        : undefined,
  };
}
