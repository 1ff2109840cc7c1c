import os from 'node:os';
import { isZhengyinError } from '../../common/index.ts';
import type { App } from '../app.ts';
import { stringOption, type CommandContext, type OptionSpec } from './command.ts';

/** What a command that changes state writes to the audit trail. */
export interface AuditAs<T> {
  /** e.g. 'licence.issue'. */
  readonly action: string;
  /** Ids known before the command runs, e.g. the identifier it was given. */
  readonly targets?: readonly string[];
  /** Ids its result names, e.g. the identifier it just issued. */
  readonly targetsOf?: (result: T) => readonly string[];
}

/** `--actor NAME`: who runs a command that changes state; default the OS user. */
export const actorOption: OptionSpec = { actor: { type: 'string' } };

/** The person behind a CLI command: `--actor NAME`, or the OS user running it. */
export function actorName(ctx: CommandContext): string {
  const named = stringOption(ctx, 'actor')?.trim();
  if (named) return named;
  try {
    return os.userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * Runs `fn` with the composed service for a CLI command that needs state. Uses the
 * database of a running `zhengyin start` when there is one, or starts the embedded
 * PostgreSQL for the command's duration; never a second server on the same data.
 * With `audit`, the outcome (ok or the error's code), the actor and the ids go to the
 * audit trail, whether `fn` succeeded or failed.
 *
 * The service's modules are imported here, when a command runs, not when its file is
 * imported: `zhengyin help` imports every command file and must load none of them.
 */
export async function withApp<T>(ctx: CommandContext, fn: (app: App) => Promise<T>, audit?: AuditAs<T>): Promise<T> {
  const [{ openDatabase }, { createApp }] = await Promise.all([import('../runtime/database.ts'), import('../app.ts')]);
  const db = await openDatabase(ctx.config, { role: 'cli', log: ctx.log });
  try {
    const app = await createApp({ config: ctx.config, db, log: ctx.log });
    // One command, one licence or file: signing in this thread beats starting a thread that loads the signer again.
    (await import('../workers/index.ts')).configureCpuPool({ size: 0 });
    try {
      if (!audit) return await fn(app);
      let result: T;
      try {
        result = await fn(app);
      } catch (e) {
        await record(ctx, app, audit, isZhengyinError(e) ? e.code : 'ERROR', audit.targets ?? []);
        throw e;
      }
      await record(ctx, app, audit, 'ok', [...(audit.targets ?? []), ...(audit.targetsOf?.(result) ?? [])]);
      return result;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

// The change is already committed when this runs: a trail that cannot be written is
// logged, not turned into a failure of the command.
async function record(ctx: CommandContext, app: App, audit: AuditAs<never>, outcome: string, targets: readonly string[]): Promise<void> {
  try {
    await app.services.audit.record({ actorKind: 'operator', actorName: actorName(ctx), action: audit.action, targets, outcome });
  } catch (e) {
    ctx.log.error('could not write the audit trail', { action: audit.action, targets, outcome, error: (e as Error).message });
  }
}
