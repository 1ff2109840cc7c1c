import { createHash } from 'node:crypto';
import type { Prisma } from '../../../prisma/generated/client.ts';
import type { LicenceMetadata } from '../../../signer/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import { documentEvidenceIdOf } from './licence-evidence.ts';

/** A 'YYYY-MM-DD' date as the registry stores it: 00:00 China Standard Time of that day. */
export const cstMidnight = (date: string): Date => new Date(`${date}T00:00:00+08:00`);

export interface NewVersion {
  /** 流水号 as a number (the identifier's serial part). */
  readonly serial: number;
  /** 版本号: 1 when issued, one more per change (变更). */
  readonly version: number;
  readonly departmentId: string;
  readonly issuedAt: Date;
  readonly pageToken: string;
  readonly pdf: Uint8Array;
  /** The same version sealed as OFD, when issued as OFD too: stored beside the PDF and anchored in the same record. */
  readonly ofd?: Uint8Array;
  /** The version this one supersedes (变更). */
  readonly supersedesId?: string;
}

/**
 * Inside the caller's transaction: stores one version of a licence with its signed PDF, and
 * queues the evidence that anchors its document — `licence.issued` for version 1,
 * `licence.changed` for a later one, under the version's own identifier.
 */
export async function storeVersion(tx: Prisma.TransactionClient, ledger: LedgerService, metadata: LicenceMetadata, p: Readonly<NewVersion>): Promise<{ id: string; identifier: string }> {
  const sha256 = createHash('sha256').update(p.pdf).digest('hex');
  const ofdSha256 = p.ofd ? createHash('sha256').update(p.ofd).digest('hex') : undefined;
  const row = await tx.licence.create({
    data: {
      identifier: metadata.identifier,
      typeCode: metadata.typeCode,
      number: metadata.number,
      serial: p.serial,
      version: p.version,
      holderName: metadata.holder,
      holderCode: metadata.holderCode,
      holderCodeType: metadata.holderCodeType,
      departmentId: p.departmentId,
      issuedAt: p.issuedAt,
      validFrom: cstMidnight(metadata.validFrom),
      validUntil: metadata.validUntil ? cstMidnight(metadata.validUntil) : null,
      faceData: metadata.face as Prisma.InputJsonValue,
      pageToken: p.pageToken,
      ...(p.supersedesId ? { supersedesId: p.supersedesId } : {}),
      document: {
        create: { pdf: new Uint8Array(p.pdf), sha256, size: p.pdf.length, ...(p.ofd ? { ofd: new Uint8Array(p.ofd), ofdSha256, ofdSize: p.ofd.length } : {}) },
      },
    },
    select: { id: true, identifier: true },
  });
  await ledger.enqueue(tx, {
    type: p.version === 1 ? 'licence.issued' : 'licence.changed',
    evidenceId: documentEvidenceIdOf(metadata.identifier, p.version),
    identifier: metadata.identifier,
    documentSha256: sha256,
    ...(ofdSha256 ? { ofdSha256 } : {}),
    typeCode: metadata.typeCode,
    issuerCode: metadata.issuerCode,
    holderHash: ledger.holderHash(metadata.holderCodeType, metadata.holderCode),
    version: p.version,
    at: p.issuedAt.toISOString(),
  });
  return row;
}
