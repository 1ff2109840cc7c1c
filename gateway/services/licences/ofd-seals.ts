import type { Logger } from '../../runtime/logger.ts';
import type { Actor } from '../actor.ts';
import { NoSm2SealError } from '../errors.ts';
import type { SealService } from '../seals/index.ts';
import type { OfdSealSigner } from './seal-licence-ofd.ts';

/**
 * The SM2 seals that seal a licence's OFD: the issuer's active SM2 seal, then that of
 * each joint department that has one (one without is left off the OFD: its seal is on
 * the PDF). Issuance and 变更 both call this before anything is written.
 * @throws {@link NoSm2SealError} the issuer (the first department) has no active SM2 seal.
 */
export async function ofdSealSigners(seals: SealService, log: Logger, actor: Actor, departmentIds: readonly string[]): Promise<OfdSealSigner[]> {
  const signers: OfdSealSigner[] = [];
  for (const [i, departmentId] of departmentIds.entries()) {
    const seal = await seals.activeSealOf(departmentId, { sm2: true });
    if (!seal) {
      if (i === 0) throw new NoSm2SealError({ departmentId });
      log.warn('joint department has no SM2 seal: its seal is on the PDF only', { department: departmentId });
      continue;
    }
    signers.push(await seals.sm2SealSigner(actor, seal.id));
  }
  return signers;
}
