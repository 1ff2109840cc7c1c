import type { Prisma } from '../../../prisma/generated/client.ts';
import type { AccessLog, AccessReceipt } from '../access-log/index.ts';

/** One release of shared content, as the access log and supervision record it. */
export interface ReleaseEntry {
  /** Salted hash of the data subject's holder code (whose data was released). */
  readonly subjectHash: string;
  readonly departmentId: string;
  /** The API token the request came with, if any (its id). */
  readonly tokenId?: string;
  readonly matter: string;
  readonly applicationId: string;
  /** What was released, e.g. 'licence:<identifier>'. */
  readonly resource: string;
  /** 用证事由. */
  readonly useCause: string;
  /** SHA-256 of the canonical JSON of the request, hex. */
  readonly requestSha256: string;
  /** SHA-256 of the response released (canonical JSON without the receipt, or the copy's bytes), hex. */
  readonly responseSha256: string;
}

/** The access log's receipt: binds request and response (as X-Road's request hash does); the response carries it. */
export type ReleaseReceipt = AccessReceipt;

/**
 * Writes one release inside the transaction that makes it: the hash-chained access-log
 * entry whose receipt the response carries, and the counted access for supervision. The
 * one place the reuse services write the access log.
 */
export async function recordRelease(tx: Prisma.TransactionClient, log: AccessLog, entry: ReleaseEntry): Promise<ReleaseReceipt> {
  const { receipt } = await log.append(tx, {
    subjectHash: entry.subjectHash,
    actor: { kind: 'department', departmentId: entry.departmentId, ...(entry.tokenId ? { tokenId: entry.tokenId } : {}) },
    applicationId: entry.applicationId,
    resource: entry.resource,
    useCause: entry.useCause,
    requestSha256: entry.requestSha256,
    responseSha256: entry.responseSha256,
  });
  await tx.shareAccess.create({ data: { departmentId: entry.departmentId, matter: entry.matter, applicationId: entry.applicationId, resource: entry.resource.slice(0, 200), outcome: 'released' } });
  return receipt;
}
