import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { InvalidInputError } from '../../../common/index.ts';
import {
  accountHash,
  canProve,
  checkpointers,
  enqueueEvidence,
  holderHash,
  isEvidenceType,
  ledgers,
  loadSalt,
  outbox,
  verifyInclusionProof,
  type EvidenceRecord,
  type EvidenceType,
  type InclusionVerdict,
  type KeySealer,
  type Ledger,
  type LedgerInfo,
  type OutboxDrainer,
  type OutboxEntry,
  type OutboxReconciler,
  type OutboxStats,
  type OutboxWriter,
  type StoredEvidence,
} from '../../../ledger/index.ts';
import type { RuntimeConfig } from '../../runtime/config.ts';
import type { Database } from '../../runtime/database.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireOperator, type Actor } from '../actor.ts';

export interface LedgerServiceOptions {
  readonly config: Pick<RuntimeConfig, 'dataDir' | 'ledger'>;
  readonly db: Database;
  readonly log: Logger;
  /** Seals the embedded ledger's node key at rest, as it seals every other private key. */
  readonly kek: KeySealer;
}

export interface LedgerStatus extends LedgerInfo, OutboxStats {}

/** One record that contains a document hash, with where it is and (embedded) its checked proof. */
export interface DocumentEvidence {
  readonly record: StoredEvidence;
  readonly blockNumber: bigint | undefined;
  /** The Merkle inclusion proof checked against the node key; undefined on Fabric. */
  readonly proof: InclusionVerdict | undefined;
}

/** A record as an operator supplies it (CLI `ledger record`): personal identifiers in clear. */
export interface RecordRequest {
  readonly type: string;
  /** The record's fields; `holderCodeType` + `holderCode` and `account` are hashed with the salt and dropped. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Default: derived from type and data, so the same request is the same evidence. */
  readonly evidenceId?: string;
}

/**
 * The evidence ledger as the gateway uses it: the Ledger (embedded or Fabric, from the
 * environment), the outbox worker and reconciler that drain into it, and the salted
 * hashing that keeps personal identifiers off the chain.
 */
export class LedgerService {
  readonly ledger: Ledger;
  readonly #db: Database;
  readonly #salt: Buffer;
  readonly #worker: OutboxDrainer;
  readonly #reconciler: OutboxReconciler;
  readonly #where: string;

  private constructor(p: { ledger: Ledger; db: Database; salt: Buffer; worker: OutboxDrainer; reconciler: OutboxReconciler; where: string }) {
    this.ledger = p.ledger;
    this.#db = p.db;
    this.#salt = p.salt;
    this.#worker = p.worker;
    this.#reconciler = p.reconciler;
    this.#where = p.where;
  }

  /** Opens the configured ledger (Fabric when `config.ledger.fabric` is set, else embedded) and its outbox worker and reconciler; starts neither. */
  static async open(p: Readonly<LedgerServiceOptions>): Promise<LedgerService> {
    const { dataDir, ledger: settings } = p.config;
    // The configuration module read ZHENGYIN_LEDGER_SALT; loadSalt decodes it, or keeps the data folder's salt file.
    const salt = loadSalt(settings.salt ? { ZHENGYIN_LEDGER_SALT: settings.salt } : {}, dataDir);
    const ledger = settings.fabric
      ? await ledgers.fabric(settings.fabric)
      : await ledgers.embedded({
          pool: p.db.pool,
          dir: dataDir,
          nodeKeyFile: settings.nodeKeyFile,
          nodeKeySealer: p.kek,
          identity: { mspId: settings.mspId },
          maxTransactionsPerBlock: settings.maxTransactionsPerBlock,
          batchTimeoutMs: settings.batchTimeoutMs,
          location: p.db.location,
        });
    const worker = outbox.worker({ pool: p.db.pool, ledger, log: p.log });
    let reconciler: OutboxReconciler;
    try {
      reconciler = outbox.reconciler({ pool: p.db.pool, ledger, checkpointer: await checkpointers.database(p.db.pool, 'outbox-reconciler'), log: p.log });
    } catch (e) {
      await ledger.close();
      throw e;
    }
    const where =
      ledger.mode === 'embedded'
        ? `embedded (blocks in PostgreSQL ${p.db.location}, node key ${settings.nodeKeyFile})`
        : `fabric (${ledger.location})`;
    return new LedgerService({ ledger, db: p.db, salt, worker, reconciler, where });
  }

  /** For the start banner: mode and where. */
  describe(): string {
    return this.#where;
  }

  start(): void {
    this.#worker.start();
    this.#reconciler.start();
  }

  async stop(): Promise<void> {
    await this.#worker.stop();
    await this.#reconciler.stop();
    await this.ledger.close();
  }

  /** Salted hash of a holder code (`111` 公民身份号码 / `001` 统一社会信用代码): what records carry as holderHash. */
  holderHash(codeType: string, code: string): string {
    return holderHash(this.#salt, codeType, code);
  }

  /** Salted hash of a 住房公积金 personal account number: the key of fund records. */
  accountHash(account: string): string {
    return accountHash(this.#salt, account);
  }

  /**
   * Adds a record to the outbox inside the caller's database transaction, and wakes the
   * worker once it has committed. Equivalent to `enqueueEvidence(tx, record)`.
   */
  async enqueue(tx: OutboxWriter, record: EvidenceRecord): Promise<void> {
    await enqueueEvidence(tx, record);
    setImmediate(() => this.#worker.wake());
  }

  /**
   * Records evidence through the outbox (its own transaction) and waits up to `waitMs`
   * for its anchor. Resolves to the outbox entry, anchored or still pending.
   *
   * Only the operator records directly: departments' own evidence (licences issued,
   * changed, revoked) is enqueued by their services inside the business transaction, and
   * the chain's writer policy decides which organisation may write which domain.
   *
   * @throws {@link ForbiddenError} the actor is not the operator; nothing enqueued.
   * @throws {@link InvalidInputError} unknown type or malformed personal identifier.
   * @throws {@link InvalidEvidenceError} a field the contract would refuse.
   */
  async record(actor: Actor, request: RecordRequest, waitMs = 30_000): Promise<OutboxEntry> {
    requireOperator(actor, 'record evidence directly');
    const record = this.toRecord(request);
    const { rows } = await this.#db.pool.query<{ kind: string; payload: unknown }>('SELECT kind, payload FROM outbox WHERE evidence_id = $1', [record.evidenceId]);
    if (rows[0]) {
      const { kind, payload } = outbox.toRow(record);
      if (rows[0].kind !== kind || !isDeepStrictEqual(rows[0].payload, payload)) {
        throw new InvalidInputError({ field: 'evidenceId', message: `evidence id ${record.evidenceId} is already used for other evidence` });
      }
    } else {
      await this.enqueue(this.#db.prisma, record);
    }
    this.#worker.wake();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const entry = await outbox.entry(this.#db.pool, record.evidenceId);
      if (entry?.anchor || Date.now() >= deadline) return entry!;
      await sleep(50);
    }
  }

  /** The evidence record a request stands for: personal identifiers hashed, evidence id derived. */
  toRecord(request: RecordRequest): EvidenceRecord {
    if (!isEvidenceType(request.type)) {
      throw new InvalidInputError({ field: 'type', message: `unknown evidence type "${request.type}"` });
    }
    const { holderCodeType, holderCode, account, ...rest } = request.data as Record<string, unknown>;
    const fields: Record<string, unknown> = { ...rest };
    if (holderCode !== undefined) {
      if (holderCodeType !== '111' && holderCodeType !== '001') {
        throw new InvalidInputError({ field: 'holderCodeType', message: 'holderCodeType must be 111 (公民身份号码) or 001 (统一社会信用代码)', standard: 'GB/T 36903' });
      }
      fields.holderHash = this.holderHash(holderCodeType, String(holderCode));
    }
    if (account !== undefined) fields.accountHash = this.accountHash(String(account));
    const type: EvidenceType = request.type;
    const evidenceId = request.evidenceId ?? `op-${createHash('sha256').update(JSON.stringify([type, sorted(fields)])).digest('hex').slice(0, 32)}`;
    return { ...fields, evidenceId, type } as EvidenceRecord;
  }

  async status(): Promise<LedgerStatus> {
    const [info, stats] = await Promise.all([this.ledger.info(), outbox.stats(this.#db.pool)]);
    return { ...info, ...stats };
  }

  /** Where an evidence id is in the outbox: pending, or anchored with transaction id and block. */
  anchorOf(evidenceId: string): Promise<OutboxEntry | undefined> {
    return outbox.entry(this.#db.pool, evidenceId);
  }

  /** Every record on the chain that contains a document hash, with its block and (embedded) checked proof. */
  async verifyDocument(sha256: string): Promise<DocumentEvidence[]> {
    if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw new InvalidInputError({ field: 'sha256', message: 'a document hash is 64 hex characters (SHA-256)' });
    const { records } = await this.ledger.query({ documentSha256: sha256.toLowerCase() });
    const ledger = this.ledger;
    return Promise.all(
      records.map(async (record) => ({
        record,
        blockNumber: await ledger.blockOf(record.txId),
        proof: canProve(ledger) ? verifyInclusionProof(await ledger.prove(record.txId), { trustedSigners: [ledger.nodePublicKey] }) : undefined,
      })),
    );
  }
}

function sorted(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}
