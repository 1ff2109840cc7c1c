import {
  addDocumentTimestamp,
  addValidationData,
  applySeal,
  renderLicence,
  type LicenceMetadata,
  type LicenceType,
  type RevocationSource,
  type TimestampAuthority,
} from '../../../signer/index.ts';
import type { SealService } from '../seals/index.ts';

/** What `SealService.signer` hands out: a seal that may sign now, its key and its picture. */
export type SealSigner = Awaited<ReturnType<SealService['signer']>>;

export interface SignLicenceOptions {
  /** The issuer's seal first (the certification signature), then joint seals. */
  readonly signers: readonly SealSigner[];
  /** 签章地点 per signer: its department's name. */
  readonly locations: readonly string[];
  /** Empty seal fields kept for joint seals applied after issuance. */
  readonly reservedSeals: number;
  /** The status page URL the QR code carries. */
  readonly statusUrl: string;
  readonly issuedAt: Date;
  readonly tsa: TimestampAuthority;
  readonly revocation: RevocationSource;
}

/**
 * Renders a licence and signs it: the issuer's seal as a certification signature
 * (DocMDP P=2) with a signature time-stamp, each joint seal as an approval signature
 * into its own field (all of them empty in the certified revision),
 * then validation data (B-LT) and a document time-stamp (B-LTA). Runs outside any
 * database transaction: the keys check revocation and the revocation source reads
 * CRLs and certificates through the service's own pool.
 */
export async function signLicence(type: LicenceType, metadata: LicenceMetadata, p: Readonly<SignLicenceOptions>): Promise<Uint8Array> {
  // With joint seals, the rendered PDF holds every seal's empty field: the issuer
  // certifies them all, and each joint seal fills its own (see renderLicence).
  const rendered = await renderLicence(type, metadata, {
    statusUrl: p.statusUrl,
    createdAt: p.issuedAt,
    jointSeals: p.signers.length - 1 + p.reservedSeals,
  });
  let pdf = rendered.pdf;
  const rect = rendered.sealRect;
  for (const [i, signer] of p.signers.entries()) {
    const field = rendered.sealFields[i];
    pdf = await applySeal(pdf, {
      identity: signer.identity,
      image: signer.picture,
      ...(field !== undefined ? { field } : { page: rect.pageIndex, x: rect.x, y: rect.y, width: rect.width }),
      tsa: p.tsa,
      reason: i === 0 ? `颁发${type.name}` : '联合审批',
      location: p.locations[i]!,
      ...(i === 0 ? { certify: true } : {}),
    });
  }
  pdf = await addValidationData(pdf, { revocation: p.revocation });
  return addDocumentTimestamp(pdf, { tsa: p.tsa });
}
