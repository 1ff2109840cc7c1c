import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../gateway/runtime/migrate.ts';
import { dropTestDatabase } from '../support/database.ts';

const PAGE_TOKENS = '20261206150000_serial_voids_page_tokens_audit';

describe(`migration ${PAGE_TOKENS} on a database that already holds licences`, () => {
  const name = `t_tokens_${process.pid}`;
  let client: pg.Client;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${name}`;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await dropTestDatabase(name);
  });

  it('gives every existing licence its own unguessable page token, and makes the audit trail append-only', async () => {
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
