import { createApp } from '../app.ts';
import { closeCpuPool, cpuPool } from '../workers/index.ts';
import type { RuntimeConfig } from '../runtime/config.ts';
import { openDatabase } from '../runtime/database.ts';
import type { Logger } from '../runtime/logger.ts';
import { installProcessGuards } from '../runtime/process-guard.ts';
import { newOperatorKey, writeServiceFile } from '../runtime/service-file.ts';
import { operatorRoutes } from './routes/operator.ts';
import { listen, requestListener } from './server.ts';

export interface StartHttpServiceOptions {
  readonly config: RuntimeConfig;
  readonly log: Logger;
  /** Where the start banner goes. @default process.stdout */
  readonly out?: NodeJS.WritableStream;
}

export interface RunningHttpService {
  readonly url: URL;
  /** Stops the HTTP server, then the services, then the database (the embedded PostgreSQL too, when this process owns it). */
  stop(): Promise<void>;
}

/**
 * Starts the HTTP service as `zhengyin start` runs it: opens the database (embedded or
 * DATABASE_URL) and applies migrations, composes the app (PKI, ledger and its outbox
 * worker, services, routes), seeds the demo data when configured, listens, and prints
 * where everything is. Installs the process's last-resort handlers (see
 * installProcessGuards): a stray rejection is logged and survived, an uncaught exception
 * stops the service and exits 70.
 */
export async function startHttpService(options: Readonly<StartHttpServiceOptions>): Promise<RunningHttpService> {
  const { config, log, out = process.stdout } = options;
  const started = Date.now();
  const db = await openDatabase(config, { role: 'server', log });
  try {
    if (db.migrations.applied.length > 0) log.info(`applied migrations: ${db.migrations.applied.join(', ')}`);
    const app = await createApp({ config, db, log });
    const demo = config.demo
      ? await (async () => ({ ...(await app.seedDemo()), tokens: await app.demoTokens() }))().catch(async (e) => {
          await app.close();
          throw e;
        })
      : undefined;
    // CLI commands on this machine hand their work to this process (see service-file.ts).
    const operatorKey = newOperatorKey();
    operatorRoutes(app.router, { app, operatorKey, log, maxBodyBytes: OPERATOR_BODY_LIMIT, demoSeeded: demo !== undefined });
    const server = await listen(requestListener(app.router, log), config.host, config.port, { shutdownGraceMs: config.operations.shutdownGraceMs }).catch(async (e) => {
      await app.close();
      throw e;
    });
    const serviceFile = writeServiceFile(config.dataDir, server.url, operatorKey);
    const lines = [
      `zhengyin is running (ready in ${Date.now() - started} ms)`,
      `  service      ${server.url}`,
      ...(server.url.toString() === config.publicUrl.toString() ? [] : [`  public URL   ${config.publicUrl}`]),
      ...app.describe(config.publicUrl).map((l) => `  ${l}`),
      ...(demo ? [`  demo         ${demo.licences.length} licences, e.g. ${demo.statusUrls[0]}`] : []),
      ...(demo?.tokens ? demoTokenLines(demo.tokens) : []),
      `  database     ${db.mode === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'} (${db.location})`,
      `  data folder  ${config.dataDir}`,
      'Press Ctrl-C to stop.',
      '',
    ];
    out.write(lines.join('\n'));
    // The CPU pool's threads load the signer and verifier now, not in the first caller's time.
    cpuPool().warm().catch((e: unknown) => log.warn('the CPU pool did not start', { error: (e as Error).message }));
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        removeGuards();
        serviceFile.remove();
        await server.close();
        await app.close();
        await closeCpuPool();
        await db.close();
      })());
    const removeGuards = installProcessGuards({ log, stop });
    return { url: server.url, stop };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** A face-data JSON file is at most 1 MiB (the CLI's own cap); the request adds a few fields. */
const OPERATOR_BODY_LIMIT = 2 * 1024 * 1024;

/** The start banner's ready-to-paste demo tokens (the embedded demo only). */
function demoTokenLines(tokens: { department: string; applicant: string }): string[] {
  return [
    '  demo tokens  paste as "Authorization: Bearer <token>" (valid for a day; new ones at each start)',
    `    department scjg (issuer): ${tokens.department}`,
    `    applicant 林美华 (居民身份证): ${tokens.applicant}`,
  ];
}
