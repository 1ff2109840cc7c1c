import type { Checkpointer } from '@hyperledger/fabric-gateway';
import type { EvidenceRejectedError } from './errors.ts';
import type { EvidenceRecord, EvidenceType, StoredEvidence, SubjectKey } from './evidence.ts';
import type { ChainVerdict, InclusionProof } from './proof.ts';
import type { WriterPolicy } from './policy.ts';

/** The evidence ledger: Hyperledger Fabric, or the embedded ledger that runs the same contract. */
export interface Ledger {
  readonly mode: 'embedded' | 'fabric';
  /** Where it runs, for humans (no credentials). */
  readonly location: string;

  /**
   * Records one evidence record in its own transaction and waits for the commit.
   * Idempotent by `record.evidenceId`: the same record again resolves to the first receipt
   * (`status: 'existing'`). MVCC conflicts and unavailability are retried inside.
   *
   * @throws {@link EvidenceRejectedError} (a subclass per reason) The contract refused it.
   * @throws {@link AnchorEndorseError} | {@link AnchorSubmitError} | {@link AnchorCommitError}
   *   The ledger could not take it now; safe to retry.
   */
  anchor(record: EvidenceRecord): Promise<AnchorReceipt>;

  /**
   * Records many records in ONE transaction; each gets its own outcome, and a refused
   * record does not stop the others. Equivalent to `anchor` per record, in order, at a
   * fraction of the cost.
   *
   * @throws {@link AnchorEndorseError} | {@link AnchorSubmitError} | {@link AnchorCommitError}
   */
  anchorBatch(records: readonly EvidenceRecord[]): Promise<readonly AnchorOutcome[]>;

  /** The stored record of an evidence id. */
  get(evidenceId: string): Promise<StoredEvidence | undefined>;
  /** The latest record of a subject. */
  head(subject: SubjectKey): Promise<StoredEvidence | undefined>;
  /** Every version of a subject, oldest first (Fabric GetHistoryForKey). */
  history(subject: SubjectKey): AsyncIterable<EvidenceVersion>;
  /** Records by holder hash, by type (a page at a time), or by a document hash they contain. */
  query(request: EvidenceQuery): Promise<QueryPage>;

  /** The writer policy on the chain, if one was set. */
  getPolicy(): Promise<WriterPolicy | undefined>;
  /**
   * Replaces the writer policy (the first one may be set by anyone; later ones only by an admin).
   * @throws {@link PolicyRefusedError}
   */
  setPolicy(policy: WriterPolicy): Promise<{ transactionId: string; blockNumber: bigint }>;

  /** Block number of a committed transaction (for receipts of records recorded earlier). */
  blockOf(transactionId: string): Promise<bigint | undefined>;
  info(): Promise<LedgerInfo>;

  /**
   * Chaincode events from committed blocks, in order. With a checkpointer, resumes after
   * the last checkpointed event; call `checkpointer.checkpointChaincodeEvent(event)` after
   * processing each one.
   */
  events(request?: EventsRequest): Promise<CloseableAsyncIterable<LedgerEvent>>;

  close(): Promise<void>;
}

/** Optional capability: ledgers that can prove block inclusion and check their own chain. */
export interface ProvingLedger extends Ledger {
  /** The node's public key (PEM) that signs every block: pass it to {@link verifyInclusionProof}. */
  readonly nodePublicKey: string;
  /** A Merkle inclusion proof of a committed transaction, checkable with {@link verifyInclusionProof}. */
  prove(transactionId: string): Promise<InclusionProof>;
  /** Re-checks every block's hash link, Merkle root and signature, and the world state against the blocks. */
  verifyChain(): Promise<ChainVerdict>;
}

export const canProve = (l: Ledger): l is ProvingLedger => 'prove' in l && typeof (l as ProvingLedger).prove === 'function';

export interface AnchorReceipt {
  readonly evidenceId: string;
  readonly status: 'recorded' | 'existing';
  /** The transaction that recorded the evidence (for `existing`, the first one). */
  readonly transactionId: string;
  readonly blockNumber: bigint;
}

export interface AnchorRejection {
  readonly evidenceId: string;
  readonly status: 'rejected';
  readonly error: EvidenceRejectedError;
}

export type AnchorOutcome = AnchorReceipt | AnchorRejection;

export interface EvidenceVersion {
  readonly transactionId: string;
  /** The transaction's timestamp. */
  readonly timestamp: Date;
  /** undefined for a deletion (the contract never deletes; kept for fidelity). */
  readonly record: StoredEvidence | undefined;
}

export type EvidenceQuery =
  | { readonly holderHash: string; readonly pageSize?: number; readonly bookmark?: string }
  | { readonly type: EvidenceType; readonly pageSize?: number; readonly bookmark?: string }
  | { readonly documentSha256: string };

export interface QueryPage {
  readonly records: readonly StoredEvidence[];
  /** Pass back to get the next page; absent on the last page. */
  readonly bookmark?: string;
}

export interface LedgerInfo {
  readonly mode: Ledger['mode'];
  readonly location: string;
  /** Number of blocks. */
  readonly height: bigint;
}

export interface EventsRequest {
  readonly checkpointer?: Checkpointer;
  /** Where to start when the checkpointer has no position; default: the next block. */
  readonly startBlock?: bigint;
}

/** A chaincode event; structurally a fabric-gateway ChaincodeEvent, plus the parsed payload. */
export interface LedgerEvent {
  readonly blockNumber: bigint;
  readonly transactionId: string;
  readonly chaincodeName: string;
  /** 'EvidenceRecorded' or 'PolicySet'. */
  readonly eventName: string;
  readonly payload: Uint8Array;
  /** The payload as JSON. */
  readonly data: unknown;
}

export interface CloseableAsyncIterable<T> extends AsyncIterable<T> {
  close(): void;
}
