import { isZhengyinError } from '../../common/index.ts';
import type { Logger } from '../runtime/logger.ts';
import type { AuditTrail } from '../services/audit/index.ts';

/** What an operator's state-changing command writes to the audit trail. */
export interface AuditAs<T> {
  /** e.g. 'licence.issue'. */
  readonly action: string;
  /** Ids known before the command runs, e.g. the identifier it was given. */
  readonly targets?: readonly string[];
  /** Ids its result names, e.g. the identifier it just issued. */
  readonly targetsOf?: (result: T) => readonly string[];
}

/**
 * Runs an operator's command and writes its outcome (ok or the error's code), the person
 * and the ids to the audit trail, whether it succeeded or failed: the one place for the
 * CLI acting on its own and for the running service acting for a CLI command.
 */
export async function runAudited<T>(
  p: Readonly<{ audit: AuditTrail; actorName: string; log: Logger }>,
  as: AuditAs<T>,
  fn: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    await record(p, as.action, isZhengyinError(e) ? e.code : 'ERROR', as.targets ?? []);
    throw e;
  }
  await record(p, as.action, 'ok', [...(as.targets ?? []), ...(as.targetsOf?.(result) ?? [])]);
  return result;
}

// The change is already committed when this runs: a trail that cannot be written is
// logged, not turned into a failure of the command.
async function record(p: Readonly<{ audit: AuditTrail; actorName: string; log: Logger }>, action: string, outcome: string, targets: readonly string[]) {
  try {
    await p.audit.record({ actorKind: 'operator', actorName: p.actorName, action, targets, outcome });
  } catch (e) {
    p.log.error('could not write the audit trail', { action, targets, outcome, error: (e as Error).message });
  }
}
