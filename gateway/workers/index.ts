/** The CPU pool: worker threads for rendering, signing and verifying. Other folders import only this file. */
import os from 'node:os';
import { WorkerPool } from './pool.ts';

export { WorkerPool, type WorkerPoolOptions } from './pool.ts';
export { WorkerTaskError } from './error-codec.ts';
export type { TaskKind, TaskTable, VerifyInput } from './tasks.ts';

/** One thread fewer than the machine runs at once, so the event loop keeps a core; at least one. */
export const defaultPoolSize = (): number => Math.max(1, os.availableParallelism() - 1);

let size = defaultPoolSize();
let shared: WorkerPool | undefined;

/**
 * The process's pool, made at first use (a CLI command that signs nothing starts no
 * thread). One per process: the services that use it are made in several places (app,
 * tests, CLI) and each would otherwise start its own threads.
 */
export function cpuPool(): WorkerPool {
  shared ??= new WorkerPool({ size });
  return shared;
}

/** Sets the size of the pool made next (ZHENGYIN_CPU_WORKERS; 0: in this thread); a running pool of another size is replaced. */
export function configureCpuPool(options: Readonly<{ size: number }>): void {
  size = options.size;
  if (shared && shared.size !== size) {
    const old = shared;
    shared = undefined;
    // Jobs already running on the old pool finish there; it is closed once they have.
    void drainThenClose(old);
  }
}

/** Stops the pool's threads (at shutdown); the next use makes a new one. */
export async function closeCpuPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

async function drainThenClose(pool: WorkerPool): Promise<void> {
  while (pool.stats().queued + pool.stats().running > 0) await new Promise((r) => setTimeout(r, 50));
  await pool.close();
}
