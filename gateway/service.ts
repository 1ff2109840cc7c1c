import { createApp } from './app.ts';
import { listen } from './http/server.ts';
import { requestListener } from './http/server.ts';
import type { RuntimeConfig } from './runtime/config.ts';
import { openDatabase } from './runtime/database.ts';
import type { Logger } from './runtime/logger.ts';

export interface RunningService {
  readonly url: URL;
  stop(): Promise<void>;
}

/**
 * Starts the whole service: database (embedded or DATABASE_URL), migrations, the composed
 * modules and the HTTP server. Prints where everything is.
 */
export async function startService(config: RuntimeConfig, log: Logger, out: NodeJS.WritableStream = process.stdout): Promise<RunningService> {
  const started = Date.now();
  const db = await openDatabase(config, { role: 'server', log });
  try {
    if (db.migrations.applied.length > 0) log.info(`applied migrations: ${db.migrations.applied.join(', ')}`);
    const app = await createApp({ config, db, log });
    const demo = config.demo ? await app.seedDemo().catch(async (e) => {
      await app.close();
      throw e;
    }) : undefined;
    const server = await listen(requestListener(app.router, log), config.host, config.port).catch(async (e) => {
      await app.close();
      throw e;
    });
    const lines = [
      `zhengyin is running (ready in ${Date.now() - started} ms)`,
      `  service      ${server.url}`,
      ...(server.url.toString() === config.publicUrl.toString() ? [] : [`  public URL   ${config.publicUrl}`]),
      ...app.describe(config.publicUrl).map((l) => `  ${l}`),
      ...(demo ? [`  demo         ${demo.licences.length} licences, e.g. ${app.services.licences.statusUrl(demo.licences[0]!)}`] : []),
      `  database     ${db.mode === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'} (${db.location})`,
      `  data folder  ${config.dataDir}`,
      'Press Ctrl-C to stop.',
      '',
    ];
    out.write(lines.join('\n'));
    return {
      url: server.url,
      async stop() {
        await server.close();
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
