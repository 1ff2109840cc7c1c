import { createHash } from 'node:crypto';
import type { Prisma } from '../../../prisma/generated/client.ts';

/** One release of shared content, as the access log records it. */
export interface ReleaseEntry {
  /** Salted hash of the data subject's holder code (whose data was released). */
  readonly subjectHash: string;
  /** Who received it, e.g. 'gjj:handler'. */
  readonly actor: string;
  readonly departmentId: string;
  readonly matter: string;
  readonly applicationId: string;
  /** What was released, e.g. 'licence:<identifier>'. */
  readonly resource: string;
  /** 用证事由. */
  readonly useCause: string;
  /** SHA-256 of the canonical JSON of the request, hex. */
  readonly requestSha256: string;
  /** SHA-256 of the canonical JSON of the response (without the receipt), hex. */
  readonly responseSha256: string;
}

/** What binds a request to its response (as X-Road's request hash does); the response carries it. */
export interface ReleaseReceipt {
  /** The entry's number in the access log. */
  readonly sequence: number;
  /** The entry's hash in the log's chain. */
  readonly entryHash: string;
  readonly requestSha256: string;
  readonly responseSha256: string;
}

/**
 * Writes one release, inside the transaction that decides it: the counted access for
 * supervision and the access-log entry whose receipt the response carries.
 *
 * This is the one place the access log is written from the reuse services. Until the
 * hash-chained access log (gateway/services/access-log) is in, the receipt is the
 * supervision row's number and a hash over the request and response hashes.
 */
export async function recordRelease(tx: Prisma.TransactionClient, entry: ReleaseEntry): Promise<ReleaseReceipt> {
  const row = await tx.shareAccess.create({
    data: { departmentId: entry.departmentId, matter: entry.matter, applicationId: entry.applicationId, resource: entry.resource.slice(0, 200), outcome: 'released' },
    select: { id: true },
  });
  const entryHash = createHash('sha256').update(`${row.id}\u0000${entry.requestSha256}\u0000${entry.responseSha256}`).digest('hex');
  return { sequence: Number(row.id), entryHash, requestSha256: entry.requestSha256, responseSha256: entry.responseSha256 };
}
