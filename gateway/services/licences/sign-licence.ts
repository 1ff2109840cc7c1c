import type { LicenceMetadata, LicenceType } from '../../../signer/index.ts';
import { cpuPool } from '../../workers/index.ts';
import type { SealService } from '../seals/index.ts';
import type { RenderAndSignOptions } from './render-and-sign.ts';

/** What `SealService.signer` hands out: a seal that may sign now, its key and its picture. */
export type SealSigner = Awaited<ReturnType<SealService['signer']>>;

export interface SignLicenceOptions extends RenderAndSignOptions {
  /** The issuer's seal first (the certification signature), then joint seals. */
  readonly signers: readonly SealSigner[];
}

/**
 * Renders a licence and signs it (B-LTA: see `renderAndSignLicence`) on a worker thread of
 * the CPU pool, so that rendering and building signatures never stall the event loop.
 * The keys stay on this thread: the worker sends each digest to sign, each time-stamp
 * imprint and each revocation lookup back here. Runs outside any database transaction:
 * the keys check revocation and the revocation source reads CRLs and certificates through
 * the service's own pool. Errors keep their class and `code`.
 */
export function signLicence(type: LicenceType, metadata: LicenceMetadata, p: Readonly<SignLicenceOptions>): Promise<Uint8Array> {
  const input = {
    type,
    metadata,
    signers: p.signers.map(({ identity, picture }) => ({ algorithm: identity.key.algorithm, certificate: identity.certificate, chain: identity.chain, picture })),
    locations: p.locations,
    reservedSeals: p.reservedSeals,
    statusUrl: p.statusUrl,
    issuedAt: p.issuedAt,
  };
  return cpuPool().run('signLicence', input, {
    sign: (signer, data, digest) => p.signers[signer]!.identity.key.sign(data, digest),
    timestamp: (imprint, digest) => p.tsa.timestamp(imprint, digest),
    collect: (certificates, at) => p.revocation.collect(certificates, at),
  });
}
