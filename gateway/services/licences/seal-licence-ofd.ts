import { prepareOfdSeal, renderLicenceOfd, type LicenceMetadata, type LicenceType, type OfdBox } from '../../../signer/index.ts';
import { cpuPool } from '../../workers/index.ts';

/** One SM2 seal that seals the OFD: its SES_Seal and the signer certificate it binds, DER. Never its key. */
export interface OfdSealInput {
  readonly sesSeal: Uint8Array;
  readonly certificate: Uint8Array;
}

/** What crosses to the worker for one OFD licence: plain data only. */
export interface SealLicenceOfdInput {
  readonly type: LicenceType;
  readonly metadata: LicenceMetadata;
  /** The issuer's SM2 seal first, then joint departments' SM2 seals. */
  readonly seals: readonly OfdSealInput[];
  readonly statusUrl: string;
  readonly issuedAt: Date;
}

/** The main thread's side: `seals[seal]`'s key signs DER(TBS_Sign) (SM2 over SM3, standard user ID). */
export interface SealLicenceOfdHost {
  sign(seal: number, tbs: Uint8Array): Promise<Uint8Array>;
}

/**
 * The worker's half: renders the licence as OFD (the same face, QR code and GB/T 36903
 * metadata as its PDF) and seals it with each seal in turn, a V4 SES_Signature each, every
 * later one leaving the earlier valid (联合用印). Each TBS_Sign goes back to the host to be signed.
 */
export async function sealLicenceOfdTask(input: SealLicenceOfdInput, host: SealLicenceOfdHost): Promise<Uint8Array> {
  const rendered = await renderLicenceOfd(input.type, input.metadata, {
    statusUrl: input.statusUrl,
    createdAt: input.issuedAt,
    jointSeals: input.seals.length - 1,
  });
  const boxes: OfdBox[] = [rendered.sealBox, ...rendered.jointSealBoxes];
  let ofd = rendered.ofd;
  for (const [i, seal] of input.seals.entries()) {
    const { page, ...position } = boxes[i]!;
    const prepared = prepareOfdSeal(ofd, { seal: seal.sesSeal, signerCertificate: seal.certificate, signedAt: input.issuedAt, page, position });
    ofd = prepared.finish(await host.sign(i, prepared.tbs));
  }
  return ofd;
}

/** An SM2 seal that may sign now, as `SealService.sm2SealSigner` hands it out. */
export interface OfdSealSigner {
  readonly sesSeal: Uint8Array;
  readonly certificate: Uint8Array;
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/**
 * Renders and seals a licence's OFD on a worker thread of the CPU pool (see
 * {@link sealLicenceOfdTask}); the SM2 keys stay on this thread and sign each TBS_Sign the
 * worker sends back. Errors keep their class and `code`.
 */
export function sealLicenceOfd(type: LicenceType, metadata: LicenceMetadata, p: { readonly seals: readonly OfdSealSigner[]; readonly statusUrl: string; readonly issuedAt: Date }): Promise<Uint8Array> {
  return cpuPool().run(
    'sealLicenceOfd',
    { type, metadata, seals: p.seals.map((s) => ({ sesSeal: s.sesSeal, certificate: s.certificate })), statusUrl: p.statusUrl, issuedAt: p.issuedAt },
    { sign: (seal, tbs) => p.seals[seal]!.sign(tbs) },
  );
}
