// A closed-loop HTTP load generator on its own thread (its own event loop, so the server's
// is not slowed by the client's bookkeeping beyond sharing the machine's cores): N
// keep-alive connections, each sending its next request when the previous answer is read.
// Reports throughput and latency percentiles; a non-2xx answer or a GraphQL `errors` entry
// counts as a failure. node:http alone: no load-testing package to install.
import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  readonly url: string;
  readonly body: string | ((i: number) => string);
  readonly headers?: Record<string, string>;
  readonly connections: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

// Plain JS: a `body` function crosses as its source text.
const LOADER = `
const http = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const { url, headers, connections, durationMs, bodySource } = workerData;
const body = eval(bodySource);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let failures = 0, firstFailure, n = 0;
const started = performance.now();
const deadline = started + durationMs;
const one = () => new Promise((resolve) => {
  const payload = Buffer.from(body(n++));
  const t0 = performance.now();
  const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': payload.length } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      latencies.push(performance.now() - t0);
      const text = Buffer.concat(chunks).toString();
      if (res.statusCode >= 300 || text.includes('"errors"') || text.includes('"__typename":"FaceDataError"')) {
        failures++;
        firstFailure ??= res.statusCode + ' ' + text.slice(0, 300);
      }
      resolve();
    });
  });
  req.on('error', (e) => { failures++; firstFailure ??= String(e); resolve(); });
  req.end(payload);
});
const loop = async () => { while (performance.now() < deadline) await one(); };
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  agent.destroy();
  parentPort.postMessage({ requests: latencies.length, failures, firstFailure, perSecond: latencies.length * 1000 / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies.at(-1) ?? 0 });
});
`;

/** Runs the load on a worker thread and resolves when its time is up. */
export function load(p: Readonly<LoadOptions>): Promise<LoadResult> {
  const bodySource = typeof p.body === 'string' ? `() => ${JSON.stringify(p.body)}` : p.body.toString();
  const worker = new Worker(LOADER, {
    eval: true,
    workerData: { url: p.url, headers: { 'content-type': 'application/json', ...p.headers }, connections: p.connections, durationMs: p.durationMs, bodySource },
  });
  return new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', (r: LoadResult) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
