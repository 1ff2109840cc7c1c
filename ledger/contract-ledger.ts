import { InvalidInputError } from '../common/index.ts';
import {
  AnchorEndorseError,
  InvalidEvidenceError,
  isRejectionReason,
  PolicyRefusedError,
  rejectionError,
  type Refusal,
} from './errors.ts';
import type { EvidenceRecord, StoredEvidence, SubjectKey } from './evidence.ts';
import type {
  AnchorOutcome,
  AnchorReceipt,
  CloseableAsyncIterable,
  EventsRequest,
  EvidenceQuery,
  EvidenceVersion,
  Ledger,
  LedgerEvent,
  LedgerInfo,
  QueryPage,
} from './ledger.ts';
import type { WriterPolicy } from './policy.ts';

/** The contract refused a proposal at endorsement, with its `[CODE]` message. */
export class ContractRefusal extends Error {
  readonly refusal: Refusal;
  readonly transactionId: string;

  constructor(refusal: Refusal, transactionId: string, cause?: unknown) {
    super(`[${refusal.code}] ${refusal.field ? `${refusal.field}: ` : ''}${refusal.detail}`, { cause });
    this.refusal = refusal;
    this.transactionId = transactionId;
  }
}

export interface Submitted {
  /** The transaction function's result. */
  readonly result: string;
  readonly transactionId: string;
  readonly blockNumber: bigint;
}

/** Most a RecordBatch takes (the contract's MAX_BATCH). */
export const MAX_BATCH = 1000;

type WireOutcome =
  | { evidenceId: string; status: 'recorded' | 'existing'; record: StoredEvidence }
  | { evidenceId: string; status: 'rejected'; code: string; field?: string; message: string };

/**
 * The Ledger API over the evidence contract's transactions, shared by both ledgers: the
 * same names, arguments and JSON results whether the contract runs in-process or on a
 * Fabric peer. A subclass supplies how to evaluate and submit.
 */
export abstract class ContractLedger implements Ledger {
  abstract readonly mode: Ledger['mode'];
  abstract readonly location: string;

  /**
   * Runs a read-only transaction function and returns its result.
   * @throws {@link ContractRefusal} when the contract refuses the arguments.
   */
  protected abstract evaluate(name: string, args: readonly string[]): Promise<string>;
  /**
   * Endorses, orders and waits for the commit, retrying MVCC conflicts and unavailability.
   * @throws {@link ContractRefusal} when the contract refuses at endorsement.
   */
  protected abstract submit(name: string, args: readonly string[], evidenceIds: readonly string[]): Promise<Submitted>;

  abstract blockOf(transactionId: string): Promise<bigint | undefined>;
  abstract info(): Promise<LedgerInfo>;
  abstract events(request?: EventsRequest): Promise<CloseableAsyncIterable<LedgerEvent>>;
  abstract close(): Promise<void>;

  async anchor(record: EvidenceRecord): Promise<AnchorReceipt> {
    const ids = [record.evidenceId];
    let submitted: Submitted;
    try {
      submitted = await this.submit('RecordEvidence', [JSON.stringify(record)], ids);
    } catch (e) {
      throw this.#recordError(e, record.evidenceId);
    }
    const outcome = JSON.parse(submitted.result) as WireOutcome;
    if (outcome.status === 'rejected') throw this.#rejection(outcome, submitted.transactionId);
    return this.#receipt(outcome, submitted);
  }

  async anchorBatch(records: readonly EvidenceRecord[]): Promise<readonly AnchorOutcome[]> {
    if (records.length === 0) return [];
    if (records.length > MAX_BATCH) {
      throw new InvalidInputError({ field: 'records', message: `a batch holds at most ${MAX_BATCH} records, not ${records.length}` });
    }
    let submitted: Submitted;
    try {
      submitted = await this.submit('RecordBatch', [JSON.stringify(records)], records.map((r) => r.evidenceId));
    } catch (e) {
      throw this.#recordError(e, records[0]!.evidenceId);
    }
    const { outcomes } = JSON.parse(submitted.result) as { outcomes: WireOutcome[] };
    const blocks = new Map<string, Promise<bigint>>();
    return Promise.all(
      outcomes.map(async (o): Promise<AnchorOutcome> => {
        if (o.status === 'rejected') return { evidenceId: o.evidenceId, status: 'rejected', error: this.#rejection(o, submitted.transactionId) };
        if (o.status === 'recorded') return this.#receipt(o, submitted);
        const txId = o.record.txId;
        if (!blocks.has(txId)) blocks.set(txId, this.#existingBlock(txId));
        return { evidenceId: o.evidenceId, status: 'existing', transactionId: txId, blockNumber: await blocks.get(txId)! };
      }),
    );
  }

  async get(evidenceId: string): Promise<StoredEvidence | undefined> {
    return parseOptional<StoredEvidence>(await this.#evaluate('GetEvidence', [evidenceId]));
  }

  async head(subject: SubjectKey): Promise<StoredEvidence | undefined> {
    return parseOptional<StoredEvidence>(await this.#evaluate('GetSubject', [subject.domain, subject.key]));
  }

  async *history(subject: SubjectKey): AsyncIterable<EvidenceVersion> {
    const versions = JSON.parse(await this.#evaluate('GetHistory', [subject.domain, subject.key])) as {
      txId: string;
      timestamp: string;
      record: StoredEvidence | null;
    }[];
    for (const v of versions) yield { transactionId: v.txId, timestamp: new Date(v.timestamp), record: v.record ?? undefined };
  }

  async query(request: EvidenceQuery): Promise<QueryPage> {
    if ('documentSha256' in request) {
      return { records: JSON.parse(await this.#evaluate('QueryByDocument', [request.documentSha256])) as StoredEvidence[] };
    }
    const [name, value] = 'holderHash' in request ? ['QueryByHolder', request.holderHash] : ['QueryByType', request.type];
    const page = JSON.parse(await this.#evaluate(name, [value, String(request.pageSize ?? 100), request.bookmark ?? ''])) as {
      records: StoredEvidence[];
      bookmark: string;
    };
    return page.bookmark ? page : { records: page.records };
  }

  async getPolicy(): Promise<WriterPolicy | undefined> {
    return parseOptional<WriterPolicy>(await this.#evaluate('GetPolicy', []));
  }

  async setPolicy(policy: WriterPolicy): Promise<{ transactionId: string; blockNumber: bigint }> {
    try {
      const { transactionId, blockNumber } = await this.submit('SetPolicy', [JSON.stringify(policy)], []);
      return { transactionId, blockNumber };
    } catch (e) {
      if (e instanceof ContractRefusal && (e.refusal.code === 'POLICY_ADMIN_REQUIRED' || e.refusal.code === 'INVALID_POLICY')) {
        throw new PolicyRefusedError({ code: e.refusal.code, message: e.refusal.detail, ...(e.refusal.field ? { field: e.refusal.field } : {}) });
      }
      throw unexpectedRefusal(e, []);
    }
  }

  async #evaluate(name: string, args: readonly string[]): Promise<string> {
    try {
      return await this.evaluate(name, args);
    } catch (e) {
      if (e instanceof ContractRefusal) {
        throw new InvalidInputError({ field: e.refusal.field ?? 'argument', message: `${name}: ${e.refusal.detail}`, cause: e });
      }
      throw e;
    }
  }

  async #existingBlock(txId: string): Promise<bigint> {
    const block = await this.blockOf(txId);
    if (block === undefined) throw new Error(`transaction ${txId} recorded an evidence record but is in no block`);
    return block;
  }

  async #receipt(outcome: Extract<WireOutcome, { record: StoredEvidence }>, submitted: Submitted): Promise<AnchorReceipt> {
    if (outcome.status === 'recorded') {
      return { evidenceId: outcome.evidenceId, status: 'recorded', transactionId: submitted.transactionId, blockNumber: submitted.blockNumber };
    }
    const txId = outcome.record.txId;
    return { evidenceId: outcome.evidenceId, status: 'existing', transactionId: txId, blockNumber: await this.#existingBlock(txId) };
  }

  #rejection(o: Extract<WireOutcome, { status: 'rejected' }>, transactionId: string) {
    const reason = isRejectionReason(o.code) ? o.code : 'INVALID_EVIDENCE';
    return rejectionError(reason, { message: o.message, evidenceId: o.evidenceId, transactionId, ...(o.field ? { field: o.field } : {}) });
  }

  #recordError(e: unknown, evidenceId: string): unknown {
    if (!(e instanceof ContractRefusal)) return e;
    const { code, field, detail } = e.refusal;
    if (isRejectionReason(code)) return rejectionError(code, { message: detail, evidenceId, transactionId: e.transactionId, ...(field ? { field } : {}) });
    if (code === 'INVALID_ARGUMENT') return new InvalidEvidenceError({ message: detail, evidenceId, transactionId: e.transactionId, ...(field ? { field } : {}) });
    return unexpectedRefusal(e, [evidenceId]);
  }
}

function unexpectedRefusal(e: unknown, evidenceIds: readonly string[]): unknown {
  if (!(e instanceof ContractRefusal)) return e;
  return new AnchorEndorseError({ message: e.message, evidenceIds, transactionId: e.transactionId, cause: e });
}

function parseOptional<T>(text: string): T | undefined {
  return text === '' ? undefined : (JSON.parse(text) as T);
}
