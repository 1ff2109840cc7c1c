import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../gateway/runtime/config.ts';

const run = promisify(execFile);
const bin = path.join(projectRoot, 'bin', 'zhengyin.mjs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `zhengyin …args` as its own process (as a user would), in the project folder, with
 * `env` over this process's environment; never throws for a non-zero exit. Through
 * bin/zhengyin.mjs: the compiled dist/ when it is current (npm ci and npm test build it),
 * else the sources through tsx (see bin/dist.mjs).
 */
export async function zhengyin(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: projectRoot, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Starts `zhengyin start` and resolves once it prints that it is running. */
export function startServer(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zhengyin start did not come up in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const poll = setInterval(() => {
      if (output.includes('zhengyin is running')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`zhengyin start exited with ${code}:\n${output}`));
    });
  });
}
