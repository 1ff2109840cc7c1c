import { InvalidInputError } from '../../../common/index.ts';
import type { AccessLogHeadEvidence } from '../../../ledger/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireApplicant, requireOperator, type Actor } from '../actor.ts';
import type { LedgerService } from '../ledger/index.ts';
import { checkChain, type AccessLogVerdict, type AnchoredHead } from './check-chain.ts';
import { ACCESS_LOG_ID, entryHashOf, GENESIS_HASH, receiptOf, type AccessLogEntry, type AccessReceipt, type AccessRequest } from './entry.ts';

/** Serialises appends and head anchoring across every gateway on the database (an arbitrary constant). */
const APPEND_LOCK = 72_707_371;
const SHA256 = /^[0-9a-f]{64}$/;
const USE_CAUSE_MAX = 200;
/** Short transactions, but appends queue behind the lock and a loaded machine is slow to lend a connection. */
const SHORT_TRANSACTION = { maxWait: 60_000, timeout: 60_000 } as const;

export interface AccessLogOptions {
  readonly prisma: PrismaClient;
  /** Anchors heads through its outbox, and hashes an applicant's code as the ledger does. */
  readonly ledger: Pick<LedgerService, 'enqueue' | 'holderHash' | 'ledger'>;
  /** Anchor the head inside the append that reaches every this-many entries (0: never that way). */
  readonly anchorEvery: number;
  /** How often the running service anchors a head that moved (0: never that way). */
  readonly anchorIntervalMs: number;
  readonly log: Logger;
}

export interface AppendResult {
  readonly sequence: number;
  readonly entryHash: string;
  readonly receipt: AccessReceipt;
}

export interface AccessPage {
  /** Newest first. */
  readonly entries: readonly AccessLogEntry[];
  readonly hasNextPage: boolean;
}


/**
 * The access log (用证记录): every release of someone's data to someone else, append-only
 * and hash-chained in PostgreSQL, its head anchored on the ledger as `accesslog.head`
 * evidence through the outbox. The holder reads every access to their data; the operator
 * checks the chain against the anchors (`zhengyin audit verify`).
 */
export class AccessLog {
  readonly #prisma: PrismaClient;
  readonly #ledger: AccessLogOptions['ledger'];
  readonly #anchorEvery: number;
  readonly #anchorIntervalMs: number;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #anchoring: Promise<unknown> = Promise.resolve();

  constructor(options: Readonly<AccessLogOptions>) {
    this.#prisma = options.prisma;
    this.#ledger = options.ledger;
    this.#anchorEvery = options.anchorEvery;
    this.#anchorIntervalMs = options.anchorIntervalMs;
    this.#log = options.log;
  }

  /**
   * Appends one release inside the caller's transaction, so the entry exists exactly when
   * the release does. Takes a transaction-scoped advisory lock: appends from any number of
   * gateways are numbered one after another without gaps, and a rolled-back release leaves
   * no entry. Pass a transaction: the lock lasts as long as it does (see {@link appendAlone}).
   *
   * @returns The entry's sequence and hash, and the receipt to hand the fetcher.
   * @throws {@link InvalidInputError} naming the field: a malformed hash, a use cause that is empty or over 200 characters.
   * @example
   * const { receipt } = await prisma.$transaction(async (tx) => {
   *   // … the release itself …
   *   return services.accessLog.append(tx, { subjectHash, actor: { kind: 'department', departmentId }, applicationId, resource, useCause, requestSha256, responseSha256 });
   * });
   */
  async append(tx: Prisma.TransactionClient, request: AccessRequest): Promise<AppendResult> {
    const clean = checkRequest(request);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`;
    const head = await tx.accessLogEntry.findFirst({ orderBy: { sequence: 'desc' }, select: { sequence: true, entryHash: true } });
    const fields = {
      ...clean,
      sequence: head ? Number(head.sequence) + 1 : 1,
      // Milliseconds: what TIMESTAMP(3) keeps, so the hash recomputes from the stored row.
      at: new Date(),
      previousHash: head?.entryHash ?? GENESIS_HASH,
    };
    const entry: AccessLogEntry = { ...fields, entryHash: entryHashOf(fields) };
    await tx.accessLogEntry.create({ data: toRow(entry) });
    if (this.#anchorEvery > 0 && entry.sequence % this.#anchorEvery === 0) await this.#enqueueHead(tx, entry);
    return { sequence: entry.sequence, entryHash: entry.entryHash, receipt: receiptOf(entry) };
  }

  /** Appends in a transaction of its own: for a release that writes nothing else. Equivalent to `prisma.$transaction((tx) => append(tx, request))`. */
  appendAlone(request: AccessRequest): Promise<AppendResult> {
    return this.#prisma.$transaction((tx) => this.append(tx, request), SHORT_TRANSACTION);
  }

  /**
   * Enqueues the current head for the ledger unless it is already there or on its way.
   * Resolves to the head's sequence, or undefined for an empty log.
   */
  async anchorHead(): Promise<number | undefined> {
    return this.#prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`;
      const row = await tx.accessLogEntry.findFirst({ orderBy: { sequence: 'desc' } });
      if (!row) return undefined;
      const head = fromRow(row);
      if (!(await tx.outbox.findUnique({ where: { evidenceId: headEvidenceId(head.sequence) }, select: { id: true } }))) await this.#enqueueHead(tx, head);
      return head.sequence;
    }, SHORT_TRANSACTION);
  }

  /** Starts anchoring the head every `anchorIntervalMs` (unref'd: it keeps no process alive). */
  start(): void {
    if (this.#anchorIntervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#anchoring = this.anchorHead().catch((e: unknown) => this.#log.warn('access log: anchoring the head failed; retried at the next interval', { error: (e as Error).message }));
    }, this.#anchorIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#anchoring;
  }

  /**
   * Every access to the actor's own data, newest first: who received what, when, for which
   * application and why. An applicant reads their own (by the salted hash of their code);
   * the operator any subject's, by `subjectHash`.
   *
   * @param page.first - At most this many (1-100, default 20).
   * @param page.before - Only entries with a smaller sequence (the previous page's last).
   * @throws {@link ForbiddenError} a department or the public.
   */
  async listForSubject(actor: Actor, page: { first?: number; before?: number; subjectHash?: string } = {}): Promise<AccessPage> {
    let subjectHash: string;
    if (actor.kind === 'operator' && page.subjectHash) subjectHash = page.subjectHash;
    else {
      const holder = requireApplicant(actor, 'read the accesses to their data');
      subjectHash = this.#ledger.holderHash(holder.holderCodeType, holder.holderCode);
    }
    const first = Math.min(Math.max(page.first ?? 20, 1), 100);
    const rows = await this.#prisma.accessLogEntry.findMany({
      where: { subjectHash, ...(page.before !== undefined ? { sequence: { lt: BigInt(page.before) } } : {}) },
      orderBy: { sequence: 'desc' },
      take: first + 1,
    });
    return { entries: rows.slice(0, first).map(fromRow), hasNextPage: rows.length > first };
  }

  /**
   * Recomputes the whole chain and holds it against every head anchored on the ledger; the
   * operator only. Reads the log in pages, so its size is bounded by time, not memory.
   */
  async verify(actor: Actor): Promise<AccessLogVerdict> {
    requireOperator(actor, 'verify the access log');
    const anchors: AnchoredHead[] = [];
    for await (const version of this.#ledger.ledger.history({ domain: 'accesslog', key: ACCESS_LOG_ID })) {
      const record = version.record as AccessLogHeadEvidence | undefined;
      if (record?.type === 'accesslog.head') anchors.push({ sequence: record.sequence, headHash: record.headHash, transactionId: version.transactionId });
    }
    return checkChain(this.#entries(), anchors);
  }

  async *#entries(): AsyncGenerator<AccessLogEntry> {
    let after = 0n;
    for (;;) {
      const rows = await this.#prisma.accessLogEntry.findMany({ where: { sequence: { gt: after } }, orderBy: { sequence: 'asc' }, take: 1000 });
      for (const row of rows) yield fromRow(row);
      if (rows.length < 1000) return;
      after = rows.at(-1)!.sequence;
    }
  }

  async #enqueueHead(tx: Prisma.TransactionClient, head: AccessLogEntry): Promise<void> {
    const record: AccessLogHeadEvidence = {
      evidenceId: headEvidenceId(head.sequence),
      type: 'accesslog.head',
      at: head.at.toISOString(),
      logId: ACCESS_LOG_ID,
      headHash: head.entryHash,
      sequence: head.sequence,
    };
    await this.#ledger.enqueue(tx, record);
  }
}

/** One evidence id per head: anchoring the same head twice is one record. */
const headEvidenceId = (sequence: number): string => `${ACCESS_LOG_ID}-head-${sequence}`;

function checkRequest(r: AccessRequest): AccessRequest {
  for (const field of ['subjectHash', 'requestSha256', 'responseSha256'] as const) {
    if (typeof r[field] !== 'string' || !SHA256.test(r[field])) throw new InvalidInputError({ field, message: `${field}: a lower-case hex SHA-256 (64 characters)` });
  }
  if (!['department', 'applicant', 'operator'].includes(r.actor?.kind)) throw new InvalidInputError({ field: 'actor.kind', message: 'actor.kind: department, applicant or operator' });
  for (const field of ['departmentId', 'tokenId'] as const) {
    const v = r.actor[field];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0 || v.length > 64)) throw new InvalidInputError({ field: `actor.${field}`, message: `actor.${field}: 1 to 64 characters when given` });
  }
  if (r.actor.kind === 'department' && !r.actor.departmentId) throw new InvalidInputError({ field: 'actor.departmentId', message: 'actor.departmentId: required for a department' });
  if (r.applicationId !== undefined && (typeof r.applicationId !== 'string' || r.applicationId.length === 0 || r.applicationId.length > 128)) {
    throw new InvalidInputError({ field: 'applicationId', message: 'applicationId: 1 to 128 characters when given' });
  }
  if (typeof r.resource !== 'string' || r.resource.length === 0 || r.resource.length > 256) throw new InvalidInputError({ field: 'resource', message: 'resource: 1 to 256 characters' });
  const useCause = typeof r.useCause === 'string' ? r.useCause.trim() : '';
  if (useCause.length === 0 || [...useCause].length > USE_CAUSE_MAX) {
    throw new InvalidInputError({ field: 'useCause', message: `useCause (用证事由): 1 to ${USE_CAUSE_MAX} characters` });
  }
  return {
    subjectHash: r.subjectHash,
    actor: { kind: r.actor.kind, ...(r.actor.departmentId ? { departmentId: r.actor.departmentId } : {}), ...(r.actor.tokenId ? { tokenId: r.actor.tokenId } : {}) },
    ...(r.applicationId ? { applicationId: r.applicationId } : {}),
    resource: r.resource,
    useCause,
    requestSha256: r.requestSha256,
    responseSha256: r.responseSha256,
  };
}

type Row = Prisma.AccessLogEntryGetPayload<object>;

function toRow(e: AccessLogEntry): Prisma.AccessLogEntryCreateInput {
  return {
    sequence: BigInt(e.sequence),
    at: e.at,
    subjectHash: e.subjectHash,
    actorKind: e.actor.kind,
    actorDepartmentId: e.actor.departmentId ?? null,
    actorTokenId: e.actor.tokenId ?? null,
    applicationId: e.applicationId ?? null,
    resource: e.resource,
    useCause: e.useCause,
    requestSha256: e.requestSha256,
    responseSha256: e.responseSha256,
    previousHash: e.previousHash,
    entryHash: e.entryHash,
  };
}

function fromRow(r: Row): AccessLogEntry {
  return {
    sequence: Number(r.sequence),
    at: r.at,
    subjectHash: r.subjectHash,
    actor: {
      kind: r.actorKind as AccessLogEntry['actor']['kind'],
      ...(r.actorDepartmentId !== null ? { departmentId: r.actorDepartmentId } : {}),
      ...(r.actorTokenId !== null ? { tokenId: r.actorTokenId } : {}),
    },
    ...(r.applicationId !== null ? { applicationId: r.applicationId } : {}),
    resource: r.resource,
    useCause: r.useCause,
    requestSha256: r.requestSha256,
    responseSha256: r.responseSha256,
    previousHash: r.previousHash,
    entryHash: r.entryHash,
  };
}
