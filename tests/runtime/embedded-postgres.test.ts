import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../../gateway/runtime/embedded-postgres.ts';
import { silentLogger } from '../../gateway/runtime/logger.ts';
import { isAlive } from '../../gateway/runtime/process-util.ts';
import { freePort } from '../support/net.ts';

const holder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hold-cluster.ts');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-pg-'));
  fs.chmodSync(dir, 0o755);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'data');
}

async function open(dataDir: string, port: number, role: 'server' | 'cli' = 'server'): Promise<EmbeddedPostgres> {
  const handle = await openEmbeddedPostgres({ dataDir, port, role, log: silentLogger });
  cleanups.push(() => handle.close());
  return handle;
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(clusterDir: string): number {
  return Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function holdInChild(dataDir: string, port: number, role: string): Promise<{ child: ChildProcess; how: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, dataDir, String(port), role], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => void child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\w+)/.exec(chunk.toString());
      if (m) resolve({ child, how: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe('embedded PostgreSQL', () => {
  it('starts a cluster, creates the database, and a second opener reuses it without stopping it', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();

    const first = await open(dataDir, port, 'server');
    const second = await open(dataDir, port, 'cli');

    expect(first.how).toBe('started');
    expect(second.how).toBe('reused');
    expect(await query(second.url, 'SELECT current_database() AS db')).toEqual([{ db: 'zhengyin' }]);
    const pid = postmasterPid(first.clusterDir);
    await second.close();
    expect(isAlive(pid)).toBe(true);
    await first.close();
    expect(isAlive(pid)).toBe(false);
  });

  it('keeps the data across a restart, and the second start skips initdb', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const first = await open(dataDir, port);
    await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$证印$$)');
    await first.close();

    const second = await open(dataDir, port);

    expect(second.how).toBe('started');
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: '证印' }]);
  });

  it('connects the service as an application role that is not a superuser and owns the database (issue 9)', async () => {
    const handle = await open(tempDataDir(), await freePort());

    const [role] = (await query(
      handle.url,
      `SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
              pg_get_userbyid(d.datdba) AS owner
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    )) as Array<Record<string, unknown>>;

    expect(role).toEqual({
      rolname: 'zhengyin_app',
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      owner: 'zhengyin_app',
    });
    await expect(query(handle.url, 'CREATE ROLE intruder SUPERUSER')).rejects.toMatchObject({ code: '42501' });
  });

  it('moves a data folder whose tables the superuser owns (an earlier version) to the application role at start', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const first = await open(dataDir, port);
    // As an earlier version left it: no application role, everything owned by the bootstrap superuser.
    await query(
      first.adminUrl,
      `ALTER DATABASE zhengyin OWNER TO zhengyin; ALTER SCHEMA public OWNER TO zhengyin;
       CREATE TABLE legacy (id serial PRIMARY KEY, v text); CREATE TYPE legacy_state AS ENUM ('a', 'b');
       DROP ROLE zhengyin_app;`,
    );
    fs.rmSync(path.join(dataDir, 'pg-app-credentials.json'));
    await first.close();

    const upgraded = await open(dataDir, port);

    expect(await query(upgraded.url, `SELECT current_user AS who, rolsuper FROM pg_roles WHERE rolname = current_user`)).toEqual([{ who: 'zhengyin_app', rolsuper: false }]);
    expect(
      await query(
        upgraded.adminUrl,
        `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
          WHERE c.relname IN ('legacy', 'legacy_id_seq') ORDER BY 1`,
      ),
    ).toEqual([
      { relname: 'legacy', owner: 'zhengyin_app' },
      { relname: 'legacy_id_seq', owner: 'zhengyin_app' },
    ]);
    // What a later migration does: alter the old objects as their owner.
    await query(upgraded.url, `ALTER TABLE legacy ADD COLUMN state legacy_state; ALTER TYPE legacy_state ADD VALUE 'c'; INSERT INTO legacy (v) VALUES ('ok')`);
    expect(await query(upgraded.url, 'SELECT id, v FROM legacy')).toEqual([{ id: 1, v: 'ok' }]);
  });

  it('explains a port held by another program instead of failing with undefined', async () => {
    const dataDir = tempDataDir();
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    cleanups.push(() => void blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;

    const attempt = openEmbeddedPostgres({ dataDir, port, role: 'server', log: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'PG_PORT_IN_USE', details: { port } });
    await expect(attempt).rejects.toThrow(/ZHENGYIN_PG_PORT/);
  });

  it('adopts the cluster of a SIGKILLed server at the next start and stops it cleanly', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const { child, how } = await holdInChild(dataDir, port, 'server');
    expect(how).toBe('started');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const next = await open(dataDir, port);

    expect(next.how).toBe('adopted');
    const pid = postmasterPid(next.clusterDir);
    expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await next.close();
    expect(isAlive(pid)).toBe(false);
  });

  it('refuses a second server on the same data folder while the first is alive', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const { child } = await holdInChild(dataDir, port, 'server');

    await expect(openEmbeddedPostgres({ dataDir, port, role: 'server', log: silentLogger })).rejects.toMatchObject({
      code: 'PG_ALREADY_SERVED',
      details: { pid: child.pid },
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });

  it.runIf(process.getuid?.() === 0)('as root, moves the cluster where the postgres user can reach it, and says so', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-private-'));
    fs.chmodSync(parent, 0o700); // like a clone under /root
    cleanups.push(() => fs.rmSync(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    const warnings: string[] = [];

    const handle = await openEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      role: 'server',
      log: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    cleanups.push(() => fs.rmSync(handle.clusterDir, { recursive: true, force: true }));
    cleanups.push(() => handle.close());

    expect(handle.clusterDir.startsWith(path.join(parent, 'data'))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, 'pg-location'), 'utf8').trim()).toBe(handle.clusterDir);
    expect(warnings.join('\n')).toContain(parent);
    expect(await query(handle.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
