import {
  addDocumentTimestamp,
  addValidationData,
  applySeal,
  renderLicence,
  type DigestAlgorithm,
  type KeyAlgorithm,
  type LicenceMetadata,
  type LicenceType,
  type RevocationSource,
  type SigningIdentity,
  type TimestampAuthority,
  type ValidationMaterial,
} from '../../../signer/index.ts';

/** One seal that signs: its identity (key, certificate, chain) and its picture. */
export interface LicenceSigner {
  readonly identity: SigningIdentity;
  readonly picture: Uint8Array;
}

export interface RenderAndSignOptions {
  /** The issuer's seal first (the certification signature), then joint seals. */
  readonly signers: readonly LicenceSigner[];
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
 * then validation data (B-LT) and a document time-stamp (B-LTA). CPU-bound: the service
 * runs it on a worker thread through `signLicence` (sign-licence.ts); it is exported for
 * that worker and for tests that compare the two.
 */
export async function renderAndSignLicence(type: LicenceType, metadata: LicenceMetadata, p: Readonly<RenderAndSignOptions>): Promise<Uint8Array> {
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
      // The claimed signing time is the registry's issuance time (just before this call, so
      // before the time-stamp's genTime): the licence's bytes are then a function of its inputs.
      signingTime: p.issuedAt,
      ...(i === 0 ? { certify: true } : {}),
    });
  }
  pdf = await addValidationData(pdf, { revocation: p.revocation });
  return addDocumentTimestamp(pdf, { tsa: p.tsa });
}

/**
 * What crosses to the worker for one licence: plain data only. No private key does: each
 * signature, time-stamp and revocation lookup is asked back of the main thread
 * ({@link SignLicenceHost}), where the key store, the TSA and the database are.
 */
export interface SignLicenceInput {
  readonly type: LicenceType;
  readonly metadata: LicenceMetadata;
  readonly signers: readonly { readonly algorithm: KeyAlgorithm; readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[]; readonly picture: Uint8Array }[];
  readonly locations: readonly string[];
  readonly reservedSeals: number;
  readonly statusUrl: string;
  readonly issuedAt: Date;
}

/** The main thread's side of a licence signed on a worker. */
export interface SignLicenceHost {
  /** `signers[signer]`'s key signs `data` (its checks of revocation and validity included). */
  sign(signer: number, data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
  timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
  collect(certificates: readonly Uint8Array[], at?: Date): Promise<ValidationMaterial>;
}

/** The worker's half: {@link renderAndSignLicence} with keys, TSA and revocation source that call the host. */
export function signLicenceTask(input: SignLicenceInput, host: SignLicenceHost): Promise<Uint8Array> {
  return renderAndSignLicence(input.type, input.metadata, {
    signers: input.signers.map((s, i) => ({
      identity: { key: { algorithm: s.algorithm, sign: (data, digest) => host.sign(i, data, digest) }, certificate: s.certificate, chain: s.chain },
      picture: s.picture,
    })),
    locations: input.locations,
    reservedSeals: input.reservedSeals,
    statusUrl: input.statusUrl,
    issuedAt: input.issuedAt,
    tsa: { timestamp: (imprint, digest) => host.timestamp(imprint, digest) },
    revocation: { collect: (certificates, at) => host.collect(certificates, at) },
  });
}
