import { sha256Hex } from '../../../common/index.ts';
import { canonicalJson } from '../../../ledger/index.ts';

/** The one access log's id: the ledger key its heads are anchored under (`accesslog.head`, `logId`). */
export const ACCESS_LOG_ID = 'access-log';

/** What the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who received the data. */
export interface AccessActor {
  readonly kind: 'department' | 'applicant' | 'operator';
  /** The receiving department, when a department's staff fetched it. */
  readonly departmentId?: string;
  /** The API token the request came with, if any (its id, never its secret). */
  readonly tokenId?: string;
}

/** One release, as the caller reports it. */
export interface AccessRequest {
  /** Salted hash of the holder whose data was released: the ledger service's `holderHash(codeType, code)`. */
  readonly subjectHash: string;
  readonly actor: AccessActor;
  /** The application (办件) the release served. */
  readonly applicationId?: string;
  /** What was released, e.g. `licence:<identifier>`, `material:<id>`. */
  readonly resource: string;
  /** 用证事由: why, 1 to 200 characters. */
  readonly useCause: string;
  /** SHA-256 (hex) of the request as the fetcher sent it. */
  readonly requestSha256: string;
  /** SHA-256 (hex) of the response body released. */
  readonly responseSha256: string;
}

/** An entry as the log holds it. */
export interface AccessLogEntry extends AccessRequest {
  readonly sequence: number;
  readonly at: Date;
  /** `entryHash` of the entry before, {@link GENESIS_HASH} for the first. */
  readonly previousHash: string;
  /** SHA-256 of {@link canonicalEntry}. */
  readonly entryHash: string;
}

/**
 * The access receipt (回执) a fetcher keeps: hash-bound, not signed. It carries every field
 * the entry hash covers, so anyone can recompute `entryHash` from it ({@link verifyReceipt})
 * and so confirm that this request and this response are what entry `sequence` of the log
 * records; that entry is in turn covered by the next `accesslog.head` anchored on the
 * ledger, which is what makes the receipt hold against the gateway's own operator.
 */
export interface AccessReceipt {
  readonly version: 1;
  readonly logId: string;
  readonly sequence: number;
  /** ISO 8601, UTC, milliseconds. */
  readonly at: string;
  readonly subjectHash: string;
  readonly actor: AccessActor;
  readonly applicationId?: string;
  readonly resource: string;
  readonly useCause: string;
  readonly requestSha256: string;
  readonly responseSha256: string;
  readonly previousHash: string;
  readonly entryHash: string;
}

/**
 * The bytes an entry's hash is taken over: the canonical JSON (sorted keys, no
 * whitespace; ledger/canonical.ts) of every field but `entryHash`, with the log id and a
 * format version, absent optional fields left out.
 */
export function canonicalEntry(entry: Omit<AccessLogEntry, 'entryHash'>): string {
  return canonicalJson({
    v: 1,
    logId: ACCESS_LOG_ID,
    sequence: entry.sequence,
    at: entry.at.toISOString(),
    subjectHash: entry.subjectHash,
    actor: { kind: entry.actor.kind, departmentId: entry.actor.departmentId, tokenId: entry.actor.tokenId },
    applicationId: entry.applicationId,
    resource: entry.resource,
    useCause: entry.useCause,
    requestSha256: entry.requestSha256,
    responseSha256: entry.responseSha256,
    previousHash: entry.previousHash,
  });
}

export const entryHashOf = (entry: Omit<AccessLogEntry, 'entryHash'>): string => sha256Hex(canonicalEntry(entry));

export function receiptOf(entry: AccessLogEntry): AccessReceipt {
  return {
    version: 1,
    logId: ACCESS_LOG_ID,
    sequence: entry.sequence,
    at: entry.at.toISOString(),
    subjectHash: entry.subjectHash,
    actor: { kind: entry.actor.kind, ...(entry.actor.departmentId ? { departmentId: entry.actor.departmentId } : {}), ...(entry.actor.tokenId ? { tokenId: entry.actor.tokenId } : {}) },
    ...(entry.applicationId ? { applicationId: entry.applicationId } : {}),
    resource: entry.resource,
    useCause: entry.useCause,
    requestSha256: entry.requestSha256,
    responseSha256: entry.responseSha256,
    previousHash: entry.previousHash,
    entryHash: entry.entryHash,
  };
}

/**
 * Whether a receipt is intact: its fields hash to its `entryHash`, and it binds the given
 * request and response hashes when those are passed. Needs nothing but the receipt.
 */
export function verifyReceipt(receipt: AccessReceipt, expect: { requestSha256?: string; responseSha256?: string } = {}): boolean {
  if (receipt.version !== 1 || receipt.logId !== ACCESS_LOG_ID) return false;
  if (expect.requestSha256 !== undefined && expect.requestSha256 !== receipt.requestSha256) return false;
  if (expect.responseSha256 !== undefined && expect.responseSha256 !== receipt.responseSha256) return false;
  const at = new Date(receipt.at);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== receipt.at) return false;
  return entryHashOf({ ...receipt, at }) === receipt.entryHash;
}
