import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../gateway/runtime/migrate.ts';
import { appRole, dropTestDatabase } from '../support/database.ts';

/** An empty database (not cloned from the migrated template). */
async function emptyDatabase(name: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER ${appRole()}`);
  await admin.end();
  const url = new URL(inject('pgAppUrl')); // migrations run as the application role, not a superuser
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** An empty database for the tests of one describe block, dropped after them. */
function useEmptyDatabase(name: string): () => pg.Client {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = await emptyDatabase(name);
  });
  afterAll(async () => {
    await client?.end();
    await dropTestDatabase(name);
  });
  return () => client!;
}

describe('applyMigrations', () => {
  const db = useEmptyDatabase(`t_migrate_${process.pid}`);
  let client: pg.Client;
  beforeAll(() => {
    client = db();
  });

  it('applies every committed migration to an empty database and records it as Prisma does', async () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    const result = await applyMigrations(client);

    expect(result.applied).toEqual(migrations.map((m) => m.name));
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(migrations[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('is a no-op on a migrated database', async () => {
    const before = await client.query('SELECT id, finished_at FROM "_prisma_migrations" ORDER BY id');

    const result = await applyMigrations(client);

    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
    const after = await client.query('SELECT id, finished_at FROM "_prisma_migrations" ORDER BY id');
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));

    await expect(applyMigrations(client, edited)).rejects.toMatchObject({ code: 'MIGRATION_MODIFIED' });
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const broken = [
      ...readMigrations(),
      { name: '29991231000000_broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_column FROM half_done;', checksum: '0'.repeat(64) },
    ];

    await expect(applyMigrations(client, broken)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });

    const table = await client.query("SELECT to_regclass('half_done') AS t");
    expect(table.rows[0].t).toBeNull();
    const recorded = await client.query('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1', ['29991231000000_broken']);
    expect(recorded.rowCount).toBe(0);
  });
});

const PAGE_TOKENS = '20261206153000_serial_voids_page_tokens_audit';

describe(`migration ${PAGE_TOKENS} on a database that already holds licences`, () => {
  const db = useEmptyDatabase(`t_tokens_${process.pid}`);

  it('gives every existing licence its own unguessable page token, and makes the audit trail append-only', async () => {
    const client = db();
    const all = readMigrations();
    await applyMigrations(client, all.filter((m) => m.name < PAGE_TOKENS));
    await client.query(`INSERT INTO department (id, name, uscc) VALUES ('d', 'D', 'USCC')`);
    await client.query(`INSERT INTO licence_type (code, name, holder_kind, holder, schema, layout, validity) VALUES ('T', 'T', 'PERSON', '{}', '{}', '{}', '{}')`);
    for (const serial of [1, 2, 3]) {
      await client.query(
        `INSERT INTO licence (id, identifier, type_code, number, serial, version, holder_name, holder_code, holder_code_type, department_id, issued_at, valid_from, face_data)
         VALUES ($1, $2, 'T', $3, $4, 1, 'H', 'C', '111', 'd', now(), now(), '{}')`,
        [`L${serial}`, `1.2.156.3005.2.T.USCC.${serial}.001.X`, String(serial), serial],
      );
    }

    await applyMigrations(client, all);

    const { rows } = await client.query<{ page_token: string }>('SELECT page_token FROM licence');
    expect(rows).toHaveLength(3);
    for (const { page_token } of rows) expect(page_token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(rows.map((r) => r.page_token)).size).toBe(3);

    await client.query(`INSERT INTO audit_entry (actor_kind, actor_name, action, targets, outcome) VALUES ('operator', 'u', 'x', '[]', 'ok')`);
    await expect(client.query(`UPDATE audit_entry SET outcome = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(client.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
  });
});
