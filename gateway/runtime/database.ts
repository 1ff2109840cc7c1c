import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/client.ts';
import type { RuntimeConfig } from './config.ts';
import { openEmbeddedPostgres, type ClusterRole } from './embedded-postgres.ts';
import type { Logger } from './logger.ts';
import { applyMigrations, type MigrationResult } from './migrate.ts';

export interface Database {
  readonly prisma: PrismaClient;
  /** For the few places that need SQL Prisma cannot express (advisory locks, LISTEN). */
  readonly pool: pg.Pool;
  readonly mode: 'embedded' | 'external';
  /** Where the data is, for humans: a cluster folder or the external host/database (no credentials). */
  readonly location: string;
  readonly migrations: MigrationResult;
  close(): Promise<void>;
}

/**
 * Opens the service database: the external PostgreSQL named by DATABASE_URL, or the
 * embedded cluster of the data folder. Applies pending migrations either way.
 */
export async function openDatabase(config: RuntimeConfig, p: Readonly<{ role: ClusterRole; log: Logger }>): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await openEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, role: p.role, log: p.log });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    return await connect(url, {
      mode: embedded ? 'embedded' : 'external',
      location: embedded ? embedded.clusterDir : describeUrl(url),
      onClose: () => embedded?.close() ?? Promise.resolve(),
    });
  } catch (e) {
    await embedded?.close();
    throw e;
  }
}

/** Connects Prisma and a pg pool to `url` and brings the schema up to date. */
export async function connect(
  url: string,
  p: Readonly<{ mode: Database['mode']; location: string; onClose?: () => Promise<void> }>,
): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const migrations = await withClient(pool, applyMigrations);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    pool,
    mode: p.mode,
    location: p.location,
    migrations,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await p.onClose?.();
    },
  };
}

async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/** host:port/database of a connection string, without user or password. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}
