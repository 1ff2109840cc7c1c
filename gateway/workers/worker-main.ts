// A worker thread of the CPU pool (pool.ts): runs one kind of task per message, many at a
// time (each spends part of its life waiting for the main thread's answers), and asks the
// main thread for what only it holds: keys, the TSA, the database.
import { parentPort } from 'node:worker_threads';
import { decodeError, encodeError } from './error-codec.ts';
import { IMPLEMENTATIONS, type Implementation } from './implementations.ts';
import type { FromWorker, TaskKind, ToWorker } from './tasks.ts';

const port = parentPort!;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCall = 1;

const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** The host as the task sees it: every method a call back to the main thread. */
const hostFor = (id: number): Record<string, (...args: unknown[]) => Promise<unknown>> =>
  new Proxy({}, {
    get: (_target, method) => (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const call = nextCall++;
        pending.set(call, { resolve, reject });
        post({ t: 'call', id, call, method: String(method), args });
      }),
  });

port.on('message', (m: ToWorker) => {
  if (m.t === 'reply') {
    const waiting = pending.get(m.call);
    pending.delete(m.call);
    if (m.ok) waiting?.resolve(m.value);
    else waiting?.reject(decodeError(m.error));
    return;
  }
  const run = IMPLEMENTATIONS[m.kind] as Implementation<TaskKind>;
  // Called inside a promise: a task that throws before it returns one rejects like any
  // other, keeping its class, instead of escaping the handler and ending this thread.
  Promise.resolve().then(() => run(m.input as never, hostFor(m.id) as never)).then(
    (value) => post({ t: 'done', id: m.id, ok: true, value }, value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer ? [value.buffer] : []),
    (e: unknown) => post({ t: 'done', id: m.id, ok: false, error: encodeError(e) }),
  );
});
