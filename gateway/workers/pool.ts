import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeError, encodeError } from './error-codec.ts';
import type { FromWorker, TaskKind, TaskTable, ToWorker } from './tasks.ts';

export interface WorkerPoolOptions {
  /**
   * Worker threads at most; each starts at its first task. 0: no thread, every task runs
   * in this thread (a one-shot CLI command, where starting a thread that loads the signer
   * again costs more than it frees).
   */
  readonly size: number;
  /** Tasks one worker runs at once: a task waiting for the main thread leaves the worker's CPU to the next. @default 2 */
  readonly tasksPerWorker?: number;
}

interface Job {
  readonly id: number;
  readonly kind: TaskKind;
  readonly input: unknown;
  readonly host: Record<string, (...args: never[]) => Promise<unknown>>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly running: Map<number, Job>;
}

/**
 * A small pool of worker threads for the CPU-bound work (rendering and signing licences,
 * verifying uploaded PDFs), so that none of it stalls the event loop that serves every
 * other caller. Jobs queue in order; a worker that dies fails only its own jobs and is
 * replaced by the next job. Errors come back as instances of the class thrown, with their
 * stable `code` (error-codec.ts).
 *
 * The workers run the same code as this thread: the compiled JavaScript when this module
 * is (dist/), the TypeScript sources through tsx when this module is TypeScript.
 */
export class WorkerPool {
  readonly size: number;
  readonly #perWorker: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: Readonly<WorkerPoolOptions>) {
    this.size = Math.max(0, Math.floor(options.size));
    this.#perWorker = Math.max(1, options.tasksPerWorker ?? 2);
  }

  /** Runs `kind` on a worker; `host` answers the worker's calls back (see {@link TaskTable}). */
  run<K extends TaskKind>(kind: K, input: TaskTable[K]['input'], host: TaskTable[K]['host']): Promise<TaskTable[K]['output']> {
    if (this.#closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.size === 0) return import('./implementations.ts').then(({ IMPLEMENTATIONS }) => (IMPLEMENTATIONS[kind] as unknown as (i: unknown, h: unknown) => Promise<TaskTable[K]['output']>)(input, host));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, kind, input, host: host as unknown as Job['host'], resolve: resolve as (v: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /** Starts every worker now, so the first requests do not wait for a thread to load the code. */
  async warm(): Promise<void> {
    const started: Promise<unknown>[] = [];
    while (this.#slots.length < this.size) {
      const { worker } = this.#spawn();
      started.push(new Promise((resolve, reject) => worker.once('online', resolve).once('error', reject)));
    }
    await Promise.all(started);
  }

  /** Jobs waiting for a worker, and jobs running. */
  stats(): { queued: number; running: number; workers: number } {
    return { queued: this.#queue.length, running: this.#slots.reduce((n, s) => n + s.running.size, 0), workers: this.#slots.length };
  }

  /** Fails queued jobs and stops the workers (running jobs fail with them). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the worker pool is closed'));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.reduce<Slot | undefined>((best, s) => (s.running.size < (best?.running.size ?? this.#perWorker) ? s : best), undefined);
      // Another thread before a second task on a busy one.
      if ((!slot || slot.running.size > 0) && this.#slots.length < this.size) slot = this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.running.set(job.id, job);
      slot.worker.ref();
      slot.worker.postMessage({ t: 'run', id: job.id, kind: job.kind, input: job.input } satisfies ToWorker);
    }
  }

  #spawn(): Slot {
    const worker = fromSources ? new Worker(TSX_BOOT, { eval: true, name: 'zhengyin-cpu' }) : new Worker(WORKER_ENTRY, { name: 'zhengyin-cpu' });
    const slot: Slot = { worker, running: new Map() };
    this.#slots.push(slot);
    worker.unref();
    worker.on('message', (m: FromWorker) => this.#onMessage(slot, m));
    const fail = (e: Error) => {
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      for (const job of slot.running.values()) job.reject(e);
      slot.running.clear();
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker thread of the pool exited (code ${code})`)));
    return slot;
  }

  #onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.running.get(m.id);
    if (!job) return;
    if (m.t === 'call') {
      const method = job.host[m.method];
      const answer = method ? method(...(m.args as never[])) : Promise.reject(new Error(`no host method ${m.method} for ${job.kind}`));
      answer.then(
        (value) => slot.worker.postMessage({ t: 'reply', call: m.call, ok: true, value } satisfies ToWorker),
        (e: unknown) => slot.worker.postMessage({ t: 'reply', call: m.call, ok: false, error: encodeError(e) } satisfies ToWorker),
      );
      return;
    }
    slot.running.delete(m.id);
    if (slot.running.size === 0) slot.worker.unref();
    if (m.ok) job.resolve(m.value);
    else job.reject(decodeError(m.error));
    this.#dispatch();
  }
}

// Same code as this module: under tsx (TypeScript sources) the worker registers tsx in its
// own thread first, whichever way this process loaded it (the tsx CLI, bin/zhengyin.mjs's
// register(), vitest); Node 20 applies no `--import` of execArgv to a worker.
const fromSources = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = new URL(`./worker-main.${fromSources ? 'ts' : 'js'}`, import.meta.url);
// tsx/esm/api's ESM build (require.resolve names its CommonJS twin, beside it).
const TSX_API = fromSources ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')) : undefined;
const TSX_BOOT = fromSources
  ? `import(${JSON.stringify(TSX_API!.href)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_ENTRY.href)}); })`
  : '';
