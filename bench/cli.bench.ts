// `npm run bench cli`: how long `zhengyin` commands take as a user runs them (a new
// process each, wall clock, median of several), against `node -e 0` (the floor: starting
// Node at all) and, for verification, against poppler's pdfsig on the same licence. It
// starts its own service (a temporary data folder, free ports) for `issue` and for the
// second `start`. Goals from issue #10 are printed beside each row; nothing asserts them.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chooseCode } from '../bin/dist.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'zhengyin.mjs');

interface Row {
  readonly name: string;
  readonly ms: number;
  readonly goalMs?: number;
  /** Compared with pdfsig on the same file. */
  readonly vsPdfsig?: boolean;
}

export async function run(): Promise<void> {
  const code = chooseCode();
  console.log(`zhengyin runs ${code.run === 'dist' ? 'the compiled dist/' : 'the sources through tsx'} (${code.why})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-cli-'));
  // The embedded PostgreSQL runs as its own user when we are root: it must reach the folder.
  fs.chmodSync(dir, 0o755);
  const env = { ...process.env, ZHENGYIN_DATA_DIR: path.join(dir, 'data'), ZHENGYIN_PORT: String(await freePort()), ZHENGYIN_PG_PORT: String(await freePort()) };
  const zhengyin = (...args: string[]) => [process.execPath, bin, ...args] as const;
  const licence = path.join(dir, 'licence.pdf');
  const rows: Row[] = [];
  try {
    const floor = median(8, () => timed([process.execPath, '-e', '0'], env));
    rows.push({ name: 'node -e 0 (floor)', ms: floor });
    rows.push({ name: 'zhengyin help', ms: median(8, () => timed(zhengyin('help'), env)), goalMs: 300 });
    rows.push({ name: 'zhengyin verify --help', ms: median(8, () => timed(zhengyin('verify', '--help'), env)), goalMs: 300 });

    console.log('starting a service for issue and a second start (the first start creates everything) …');
    await stop(await start(env));
    const second = await start(env);
    rows.push({ name: 'second zhengyin start, to ready', ms: second.readyMs, goalMs: 2000 });
    try {
      rows.push({ name: 'zhengyin issue --demo (service running)', ms: median(3, () => timed(zhengyin('issue', '--demo', '--out', licence), env)), goalMs: 1000 });
    } finally {
      await stop(second);
    }
    // Exit 2 without --trust (untrusted) is a verdict, not a failure: any exit below 5 counts.
    rows.push({ name: 'zhengyin verify licence.pdf', ms: median(8, () => timed(zhengyin('verify', licence), env, 5)), goalMs: 500, vsPdfsig: true });

    const pdfsig = spawnSync('pdfsig', ['-v'], { encoding: 'utf8' });
    let pdfsigMs: number | undefined;
    if (pdfsig.error) console.log('SKIPPING the ratio against pdfsig: pdfsig is not installed (apt-get install poppler-utils)');
    else pdfsigMs = median(8, () => timed(['pdfsig', licence], env, 256));

    const width = Math.max(...rows.map((r) => r.name.length), 'pdfsig licence.pdf'.length);
    for (const r of rows) {
      const goal = r.goalMs === undefined ? '' : `  goal < ${r.goalMs} ms: ${r.ms < r.goalMs ? 'met' : 'NOT met'}`;
      const vsPdfsig = r.vsPdfsig && pdfsigMs ? `  ${(r.ms / pdfsigMs).toFixed(1)}× pdfsig` : '';
      console.log(`${r.name.padEnd(width)}  ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / floor).toFixed(1).padStart(5)}× floor${vsPdfsig}${goal}`);
    }
    if (pdfsigMs !== undefined) console.log(`${'pdfsig licence.pdf'.padEnd(width)}  ${pdfsigMs.toFixed(0).padStart(6)} ms  ${(pdfsigMs / floor).toFixed(1).padStart(5)}× floor`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to its end and returns its wall time in ms. @throws when it exits with `maxExit` or more. */
function timed(argv: readonly string[], env: NodeJS.ProcessEnv, maxExit = 1): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error || r.status === null || r.status >= maxExit) throw new Error(`${argv.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  return ms;
}

function median(runs: number, fn: () => number): number {
  const times = Array.from({ length: runs }, fn).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

interface Service {
  readonly child: ReturnType<typeof spawn>;
  readonly readyMs: number;
}

/** Starts `zhengyin start`; resolves when it prints that it is running, with the time that took. */
function start(env: NodeJS.ProcessEnv): Promise<Service> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('zhengyin is running')) {
        child.stdout!.off('data', onData);
        resolve({ child, readyMs: performance.now() - t0 });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`zhengyin start exited with ${code}:\n${output}`)));
  });
}

async function stop(service: Service): Promise<void> {
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGINT');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
