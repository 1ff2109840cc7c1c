import type pg from 'pg';
import { outbox } from '../../ledger/index.ts';

/**
 * What a refused call must leave as it was: the row count of every table (licences, seals,
 * tokens, outbox, audit trail, ledger, catalogue, …) and the state columns a refused
 * change would flip. Listed from the catalogue, so a table added later is counted too.
 */
export type DbSnapshot = Record<string, number | string>;

/** State a refused revoke/suspend would change without adding a row. */
const STATE = {
  'licence.state': `SELECT md5(coalesce(string_agg(identifier || ':' || status || ':' || coalesce(status_reason, ''), ',' ORDER BY identifier), '')) AS v FROM licence`,
  'seal.state': `SELECT md5(coalesce(string_agg(id || ':' || state || ':' || coalesce(state_reason, ''), ',' ORDER BY id), '')) AS v FROM seal`,
  'api_token.revoked': `SELECT md5(coalesce(string_agg(id || ':' || coalesce(revoked_at::text, ''), ',' ORDER BY id), '')) AS v FROM api_token`,
} as const;

export async function snapshot(pool: pg.Pool): Promise<DbSnapshot> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const counts = tables.length
    ? (await pool.query<{ name: string; n: number }>(tables.map((t, i) => `SELECT $${i + 1}::text AS name, count(*)::int AS n FROM "${t.name}"`).join(' UNION ALL '), tables.map((t) => t.name))).rows
    : [];
  const out: DbSnapshot = Object.fromEntries(counts.map((r) => [r.name, r.n]));
  for (const [name, sql] of Object.entries(STATE)) out[name] = (await pool.query<{ v: string }>(sql)).rows[0]!.v;
  return out;
}

/**
 * Waits until the outbox worker has anchored everything queued, so the ledger tables stop
 * changing on their own before a snapshot is taken.
 */
export async function drained(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await outbox.stats(pool)).pending > 0) {
    if (Date.now() > until) throw new Error(`the outbox did not drain within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
