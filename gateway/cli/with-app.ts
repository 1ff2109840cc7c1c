import os from 'node:os';
import type { App } from '../app.ts';
import type { AuditAs } from '../operator/audited.ts';
import { stringOption, type CommandContext, type OptionSpec } from './command.ts';

export type { AuditAs } from '../operator/audited.ts';

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
    const app = await createApp({ config: ctx.config, db, log: ctx.log, readCache: false });
    // One command, one licence or file: signing in this thread beats starting a thread that loads the signer again.
    (await import('../workers/index.ts')).configureCpuPool({ size: 0 });
    try {
      if (!audit) return await fn(app);
      const { runAudited } = await import('../operator/audited.ts');
      return await runAudited({ audit: app.services.audit, actorName: actorName(ctx), log: ctx.log }, audit, () => fn(app));
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}
