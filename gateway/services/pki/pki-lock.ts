import type { Database } from '../../runtime/database.ts';

// One PostgreSQL advisory lock key for every PKI change that must not run twice at once
// across processes (bootstrap, a department's first CA, responder renewal, CRL numbers).
const PKI_LOCK = 0x7a79_504b_49n; // "zyPKI"

/** Runs `fn` holding the PKI advisory lock (session-level, on its own pool connection). */
export async function withPkiLock<T>(db: Pick<Database, 'pool'>, fn: () => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [PKI_LOCK.toString()]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [PKI_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
