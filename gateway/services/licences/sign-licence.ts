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
import { MM } from '../../util.ts';

/** What `SealService.signer` hands out: a seal that may sign now, its key and its picture. */
export type SealSigner = Awaited<ReturnType<SealService['signer']>>;

export interface SignLicenceOptions {
  /** The issuer's seal first (the certification signature), then joint seals. */
  readonly signers: readonly SealSigner[];
  /** 签章地点 per signer: its department's name. */
  readonly locations: readonly string[];
  /** The status page URL the QR code carries. */
  readonly statusUrl: string;
  readonly issuedAt: Date;
  readonly tsa: TimestampAuthority;
  readonly revocation: RevocationSource;
}

/** Space between two seals of a joint licence, in points. */
const SEAL_GAP = 8;

/**
 * Renders a licence and signs it: the issuer's seal as a certification signature
 * (DocMDP P=2) with a signature time-stamp, each joint seal as an approval signature,
 * then validation data (B-LT) and a document time-stamp (B-LTA). Runs outside any
 * database transaction: the keys check revocation and the revocation source reads
 * CRLs and certificates through the service's own pool.
 */
export async function signLicence(type: LicenceType, metadata: LicenceMetadata, p: Readonly<SignLicenceOptions>): Promise<Uint8Array> {
  const rendered = await renderLicence(type, metadata, { statusUrl: p.statusUrl, createdAt: p.issuedAt });
  let pdf = rendered.pdf;
  const rect = rendered.sealRect;
  for (const [i, signer] of p.signers.entries()) {
    const width = i === 0 ? rect.width : signer.seal.widthMm * MM;
    pdf = await applySeal(pdf, {
      identity: signer.identity,
      image: signer.picture,
      page: rect.pageIndex,
      x: rect.x - i * (width + SEAL_GAP),
      y: rect.y,
      width,
      tsa: p.tsa,
      reason: i === 0 ? `颁发${type.name}` : '联合审批',
      location: p.locations[i]!,
      ...(i === 0 ? { certify: true } : {}),
    });
  }
  pdf = await addValidationData(pdf, { revocation: p.revocation });
  return addDocumentTimestamp(pdf, { tsa: p.tsa });
}
