import type { App } from '../app.ts';
import type { CommandContext } from './command.ts';

/**
 * Runs `fn` with the composed service for a CLI command that needs state. Uses the
 * database of a running `zhengyin start` when there is one, or starts the embedded
 * PostgreSQL for the command's duration; never a second server on the same data.
 *
 * The service's modules are imported here, when a command runs, not when its file is
 * imported: `zhengyin help` imports every command file and must load none of them.
 */
export async function withApp<T>(ctx: CommandContext, fn: (app: App) => Promise<T>): Promise<T> {
  const [{ openDatabase }, { createApp }] = await Promise.all([import('../runtime/database.ts'), import('../app.ts')]);
  const db = await openDatabase(ctx.config, { role: 'cli', log: ctx.log });
  try {
    const app = await createApp({ config: ctx.config, db, log: ctx.log });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}
