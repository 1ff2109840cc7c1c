import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { ForbiddenError, InvalidInputError } from '../../../common/index.ts';
import {
  accountHash,
  canProve,
  checkpointers,
  checkProjectStepOrder,
  domainOf,
  enqueueEvidence,
  holderHash,
  isEvidenceType,
  ledgers,
  loadSalt,
  outbox,
  verifyInclusionProof,
  type EvidenceDomain,
  type EvidenceRecord,
  type EvidenceType,
  type EvidenceVersion,
  type InclusionVerdict,
  type KeySealer,
  type Ledger,
  type LedgerInfo,
  type OutboxDrainer,
  type OutboxEntry,
  type OutboxReconciler,
  type OutboxStats,
  type OutboxWriter,
  type ProjectEvidence,
  type StoredEvidence,
} from '../../../ledger/index.ts';
import type { RuntimeConfig } from '../../runtime/config.ts';
import type { Database } from '../../runtime/database.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireOperator, type Actor } from '../actor.ts';

/**
 * The principal attribute by which the chain's writer policy names a department: a writer
 * `{ mspId: <the gateway's MSP>, attribute: { name: 'zhengyin.department', value: <id> } }`
 * lets that department record the domain through this gateway. The gateway submits every
 * transaction under its own identity, so it is here, not in the contract, that one
 * department is kept from writing another's domain; the policy on the chain stays the one
 * place that says who may write what.
 */
export const DEPARTMENT_WRITER_ATTRIBUTE = 'zhengyin.department';

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
  readonly #mspId: string;

  private constructor(p: { ledger: Ledger; db: Database; salt: Buffer; worker: OutboxDrainer; reconciler: OutboxReconciler; where: string; mspId: string }) {
    this.ledger = p.ledger;
    this.#db = p.db;
    this.#salt = p.salt;
    this.#worker = p.worker;
    this.#reconciler = p.reconciler;
    this.#where = p.where;
    this.#mspId = p.mspId;
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
    const mspId = settings.fabric ? settings.fabric.mspId : settings.mspId;
    return new LedgerService({ ledger, db: p.db, salt, worker, reconciler, where, mspId });
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
   * The operator records any domain; a department only the domains the chain's writer
   * policy gives it (see {@link DEPARTMENT_WRITER_ATTRIBUTE}), e.g. the 不动产登记中心
   * `realestate` and the 公积金中心 `fund`. Licence evidence is enqueued by the licence
   * service inside its business transaction, not here.
   *
   * A 工程建设项目 step decision is a department's own (its `department` is the actor's) and
   * must follow the project's story on the chain (立项用地 → 工程规划 → 施工许可 → 联合验收).
   *
   * @throws {@link ForbiddenError} the actor may not write the record's domain, or records another department's decision; nothing enqueued.
   * @throws {@link StepOutOfOrderError} a step decision before the step it follows is approved, or of an approved step.
   * @throws {@link InvalidInputError} unknown type or malformed personal identifier.
   * @throws {@link InvalidEvidenceError} a field the contract would refuse.
   */
  async record(actor: Actor, request: RecordRequest, waitMs = 30_000): Promise<OutboxEntry> {
    const record = this.toRecord(request);
    await this.#requireWriter(actor, domainOf(record.type), 'record evidence');
    if (domainOf(record.type) === 'project') {
      const decision = record as ProjectEvidence;
      if (actor.kind === 'department' && decision.department !== actor.departmentId) {
        throw new ForbiddenError({ action: 'record evidence', reason: `department ${actor.departmentId} cannot record a decision of department ${String(decision.department)}` });
      }
    }
    const { rows } = await this.#db.pool.query<{ kind: string; payload: unknown }>('SELECT kind, payload FROM outbox WHERE evidence_id = $1', [record.evidenceId]);
    if (rows[0]) {
      const { kind, payload } = outbox.toRow(record);
      if (rows[0].kind !== kind || !isDeepStrictEqual(rows[0].payload, payload)) {
        throw new InvalidInputError({ field: 'evidenceId', message: `evidence id ${record.evidenceId} is already used for other evidence` });
      }
    } else {
      if (domainOf(record.type) === 'project') await checkProjectStepOrder(this.ledger, record as ProjectEvidence);
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

  /**
   * Every version of a subject on the chain, oldest first. The operator reads any domain; a
   * department the domains it may write.
   * @throws {@link ForbiddenError}
   */
  async history(actor: Actor, subject: { domain: EvidenceDomain; key: string }): Promise<EvidenceVersion[]> {
    await this.#requireWriter(actor, subject.domain, 'read evidence history');
    if (!subject.key.trim()) throw new InvalidInputError({ field: 'key', message: 'key: the subject, e.g. a 不动产单元号 or an account hash' });
    const versions: EvidenceVersion[] = [];
    for await (const v of this.ledger.history(subject)) versions.push(v);
    return versions;
  }

  /** The domains of the writer policy on the chain that name this department through this gateway's identity. */
  async writableDomains(departmentId: string): Promise<EvidenceDomain[]> {
    const policy = await this.ledger.getPolicy();
    const mine = (p: { mspId: string; attribute?: { name: string; value: string } }) =>
      p.mspId === this.#mspId && p.attribute?.name === DEPARTMENT_WRITER_ATTRIBUTE && p.attribute.value === departmentId;
    return Object.entries(policy?.writers ?? {})
      .filter(([, writers]) => writers?.some(mine))
      .map(([domain]) => domain as EvidenceDomain);
  }

  async #requireWriter(actor: Actor, domain: EvidenceDomain, action: string): Promise<void> {
    if (actor.kind !== 'department') return requireOperator(actor, action);
    if (!(await this.writableDomains(actor.departmentId)).includes(domain)) {
      throw new ForbiddenError({ action, reason: `the writer policy does not give department ${actor.departmentId} the ${domain} domain` });
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
