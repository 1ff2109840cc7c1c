import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface Credentials {
  user: string;
  password: string;
}

/** The role the service connects as: it owns the database and every object the migrations create, and nothing more. */
export const APP_ROLE = 'zhengyin_app';

/**
 * The application role's credentials, `<dataDir>/pg-app-credentials.json` (mode 0600),
 * created at the first start; a data folder from before this role existed gets one then.
 */
export function loadAppCredentials(dataDir: string): Credentials {
  const file = path.join(dataDir, 'pg-app-credentials.json');
  const generated = { user: APP_ROLE, password: randomBytes(24).toString('base64url') };
  try {
    fs.writeFileSync(file, JSON.stringify(generated) + '\n', { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials; // another zhengyin process made it first
  }
}

/**
 * Makes `app` a login role without superuser, CREATEDB, CREATEROLE, replication or RLS
 * bypass, the owner of `database` and of everything in its `public` schema. Run as the
 * bootstrap superuser at every start, so that a data folder whose tables an earlier
 * version created as the superuser is brought over: migrations then run as the owner of
 * the objects they alter (ALTER TABLE needs ownership, not superuser).
 *
 * Idempotent; safe when two zhengyin processes start at once (duplicate role creation is
 * ignored, ownership changes are serialised by PostgreSQL's locks).
 */
export async function ensureAppRole(p: Readonly<{ port: number; admin: Credentials; app: Credentials; database: string }>): Promise<void> {
  const { port, admin, app, database } = p;
  // One connection to the database itself: roles and database ownership are cluster-wide, so they can be set from here too.
  const db = new pg.Client({ host: '127.0.0.1', port, ...admin, database });
  await db.connect();
  try {
    const role = db.escapeIdentifier(app.user);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${db.escapeLiteral(app.password)}`;
    const { rowCount } = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [app.user]);
    if (!rowCount) {
      await db.query(`CREATE ROLE ${role} ${attributes}`).catch((e: { code?: string }) => {
        if (e.code !== '42710') throw e; // created concurrently
      });
    }
    await db.query(`ALTER ROLE ${role} ${attributes}`);
    const { rows } = await db.query<{ statement: string }>(
      `SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), $1::text) AS statement
         FROM pg_database WHERE datname = current_database() AND datdba <> (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL
       SELECT format('ALTER SCHEMA public OWNER TO %I', $1::text)
         FROM pg_namespace WHERE nspname = 'public' AND nspowner NOT IN (SELECT oid FROM pg_roles WHERE rolname IN ($1, 'pg_database_owner'))`,
      [app.user],
    );
    for (const { statement } of rows) await db.query(statement);
    // Tables first: their owned sequences (serial, identity) follow them and cannot be moved alone.
    for (const kinds of [['r', 'p', 'v', 'm', 'f'], ['S']]) {
      const { rows: relations } = await db.query<{ statement: string }>(
        `SELECT format('ALTER %s %I.%I OWNER TO %I',
                  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                  n.nspname, c.relname, $1::text) AS statement
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = ANY($2::"char"[])
            AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
        [app.user, kinds],
      );
      for (const { statement } of relations) await db.query(statement);
    }
    const { rows: others } = await db.query<{ statement: string }>(
      `SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $1::text) AS statement
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm') AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL
       SELECT format('ALTER ROUTINE %I.%I(%s) OWNER TO %I', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), $1::text)
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [app.user],
    );
    for (const { statement } of others) await db.query(statement);
  } finally {
    await db.end();
  }
}
