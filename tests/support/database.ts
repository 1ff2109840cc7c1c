import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, type Database } from '../../gateway/runtime/database.ts';

export interface TestDatabase {
  /** Available inside tests and hooks, after beforeAll. */
  readonly db: Database;
  readonly url: string;
  readonly name: string;
}

/** The application role the service connects as (not a superuser). */
export const appRole = (): string => decodeURIComponent(new URL(inject('pgAppUrl')).username);

/**
 * A fresh, migrated, real PostgreSQL database for this test file, cloned from the run's
 * template and dropped afterwards. Call at the top of a describe block or file.
 */
export function useTestDatabase(): TestDatabase {
  const state: { db?: Database; url?: string; name?: string } = {};
  beforeAll(async () => {
    const created = await createTestDatabase();
    Object.assign(state, created);
  });
  afterAll(async () => {
    await state.db?.close();
    if (state.name) await dropTestDatabase(state.name);
  });
  return {
    get db() {
      if (!state.db) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return state.db;
    },
    get url() {
      return state.url!;
    },
    get name() {
      return state.name!;
    },
  };
}

/** Creates a migrated database; the caller closes and drops it. */
export async function createTestDatabase(): Promise<{ db: Database; url: string; name: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')} OWNER ${appRole()}`);
  } finally {
    await admin.end();
  }
  const url = new URL(inject('pgAppUrl'));
  url.pathname = `/${name}`;
  const db = await connect(url.toString(), { mode: 'external', location: name });
  return { db, url: url.toString(), name };
}

export async function dropTestDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
