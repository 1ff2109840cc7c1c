/**
 * The PAdES baseline level a signature reaches (ETSI EN 319 142-1 §6.3): B-B, then B-T
 * (a time proven by a signature or document time-stamp), B-LT (the /DSS alone holds
 * revocation data for every certificate of the path), B-LTA (a valid document time-stamp
 * after the /DSS was last written). Only signatures that passed reach a level.
 */
import type { RevocationStore } from '../pki/revocation-store.ts';
import type { SignatureCore } from '../validate-signature.ts';
import type { PadesLevel, SignatureKind } from './types.ts';

export interface PadesLevelInput {
  readonly kind: SignatureKind;
  readonly subFilter: string | null;
  readonly core: SignatureCore;
  readonly signedRevision: number;
  readonly dssStore: RevocationStore;
  /** Index of the newest revision that wrote the /DSS or its contents; -1 without a DSS. */
  readonly dssRevision: number;
  readonly at: Date;
  readonly documentTimestamps: readonly { readonly revision: number; readonly passed: boolean }[];
}

export function padesLevel(p: PadesLevelInput): PadesLevel | null {
  const { core } = p;
  if (p.kind !== 'SIGNATURE' || p.subFilter !== 'ETSI.CAdES.detached' || core.indication !== 'TOTAL_PASSED') return null;
  if (core.signerCheck?.ess.status !== 'match') return null;
  if (!core.provenTime) return 'B-B';
  const path = core.path?.path ?? [];
  const needed = core.provenTime;
  const lt = path.length > 1 && path.slice(0, -1).every((cert, i) => {
    const issuer = path[i + 1]!;
    return p.dssStore.status(cert, issuer, needed, p.at, []).status !== 'UNKNOWN';
  });
  if (!lt) return 'B-T';
  const lta = p.documentTimestamps.some((t) => t.passed && t.revision > p.signedRevision && t.revision >= p.dssRevision);
  return lta ? 'B-LTA' : 'B-LT';
}
