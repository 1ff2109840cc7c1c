import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { RuntimeError } from './errors.ts';
import { projectRoot } from './config.ts';

export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

export interface Migration {
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of migration.sql, hex: what Prisma stores in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** Reads `prisma/migrations/<name>/migration.sql` in name order, as Prisma does. */
export function readMigrations(dir = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

// The table exactly as Prisma's schema engine creates it, so that `prisma migrate deploy`
// can take over wherever the native engine is available.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** An arbitrary constant: serialises concurrent starts (several gateways on one database). */
const MIGRATION_LOCK = 72_707_369;

/**
 * Applies the committed Prisma migrations that this database has not seen, each in its own
 * transaction, and records them in `_prisma_migrations` as `prisma migrate deploy` would.
 * Needs no Prisma engine. A no-op on an up-to-date database.
 *
 * @throws {@link RuntimeError} `MIGRATION_MODIFIED` when an applied migration's file has
 *   changed since; `MIGRATION_FAILED` when a migration fails (PostgreSQL's DDL is
 *   transactional, so the database keeps its previous state and nothing is recorded).
 */
export async function applyMigrations(client: pg.ClientBase, migrations: readonly Migration[] = readMigrations()): Promise<MigrationResult> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of migrations) {
      const records = rows.filter((r) => r.migration_name === migration.name && r.rolled_back_at === null);
      const done = records.find((r) => r.finished_at !== null);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new RuntimeError({
            code: 'MIGRATION_MODIFIED',
            message: `migration ${migration.name} was changed after it was applied to this database; add a new migration instead`,
            details: { migration: migration.name },
          });
        }
        alreadyApplied.push(migration.name);
        continue;
      }
      if (records.length > 0) {
        throw new RuntimeError({
          code: 'MIGRATION_FAILED',
          message: `migration ${migration.name} failed earlier and is recorded as failed; resolve it (prisma migrate resolve) before starting`,
          details: { migration: migration.name },
        });
      }
      await applyOne(client, migration);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

async function applyOne(client: pg.ClientBase, migration: Migration): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (cause) {
    await client.query('ROLLBACK');
    throw new RuntimeError({
      code: 'MIGRATION_FAILED',
      message: `migration ${migration.name} failed and was rolled back: ${(cause as Error).message}`,
      details: { migration: migration.name },
      cause,
    });
  }
}
