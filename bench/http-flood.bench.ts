// /healthz latency while the OCSP endpoint is flooded, as a ratio to /healthz when idle
// (issue 9: 50 connections of 180-CertID requests held /healthz at 4.5-8 s). The service
// runs as `zhengyin start` runs it, on an embedded PostgreSQL; the flood comes from a
// worker thread (its own event loop) over 50 keep-alive connections, once with the default
// limits (one client address: mostly 429s) and once with the rate limit lifted, so that
// only the requestList count before parsing and the concurrency cap stand between the
// flood and the event loop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as asn1js from 'asn1js';
import { OCSPRequest, Request, TBSRequest } from 'pkijs';
import { startHttpService } from '../gateway/http/start-http-service.ts';
import { readConfig } from '../gateway/runtime/config.ts';
import { createLogger } from '../gateway/runtime/logger.ts';
import { certIdFor, parseCertificate } from '../signer/index.ts';
import { freePort } from '../tests/support/net.ts';
import { measure, printTable, type Measurement } from './measure.ts';

const CONNECTIONS = 50;

// Plain JS for the worker: each of CONNECTIONS loops posts its body until told to stop.
const FLOOD = `
const { workerData, parentPort } = require('node:worker_threads');
const { url, bodies, connections } = workerData;
let stop = false, sent = 0, refused = 0;
parentPort.on('message', () => { stop = true; });
const loop = async (i) => {
  while (!stop) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: bodies[i % bodies.length] }).catch(() => undefined);
    if (res) { sent++; if (res.status === 429) refused++; await res.arrayBuffer().catch(() => undefined); }
  }
};
Promise.all(Array.from({ length: connections }, (_, i) => loop(i))).then(() => parentPort.postMessage({ sent, refused }));
`;

async function underFlood(name: string, url: URL, bodies: Uint8Array[], probe: () => Promise<unknown>): Promise<Measurement> {
  const worker = new Worker(FLOOD, { eval: true, workerData: { url: new URL('pki/ocsp', url).toString(), bodies, connections: CONNECTIONS } });
  await new Promise((r) => setTimeout(r, 500)); // let the flood build up
  const m = await measure(name, probe, { minMs: 3000, warmup: 2 });
  worker.postMessage('stop');
  const { sent, refused } = await new Promise<{ sent: number; refused: number }>((r) => worker.once('message', r));
  await worker.terminate();
  return { ...m, name: `${name} (${sent} OCSP requests, ${refused} refused 429)` };
}

async function scenario(label: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-flood-'));
  fs.chmodSync(dataDir, 0o755);
  const config = readConfig({ ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_PORT: String(await freePort()), ZHENGYIN_PG_PORT: String(await freePort()), ZHENGYIN_DEMO: 'false', ...env });
  const log = createLogger({ level: 'error' });
  const service = await startHttpService({ config, log, out: fs.createWriteStream('/dev/null') });
  try {
    const health = new URL('healthz', service.url);
    const probe = async () => (await fetch(health)).arrayBuffer();
    const root = parseCertificate(await (await fetch(new URL('pki/root.crt', service.url))).arrayBuffer().then((b) => new Uint8Array(b)));
    // Distinct serials: each CertID costs the responder its own status lookup.
    const certId = (serial: number) => {
      const id = certIdFor(root, root);
      id.serialNumber = new asn1js.Integer({ value: serial });
      return id;
    };
    const request = (n: number) =>
      new Uint8Array(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: Array.from({ length: n }, (_, i) => new Request({ reqCert: certId(i + 1) })) }) }).toSchema(true).toBER());
    const overCount = request(180);
    const full = request(32);

    const idle = await measure('/healthz, idle', probe, { minMs: 2000, warmup: 5 });
    const rows = [
      idle,
      await underFlood(`/healthz, ${CONNECTIONS} connections of 180-CertID OCSP requests (${overCount.length} B)`, service.url, [overCount], probe),
      await underFlood(`/healthz, ${CONNECTIONS} connections of 32-CertID OCSP requests (${full.length} B)`, service.url, [full], probe),
    ];
    console.log(`\n${label}; /healthz answers per second and ms each, ratio to idle:`);
    printTable(rows, idle);
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await scenario('default limits (ZHENGYIN_PKI_RATE=20, ZHENGYIN_PKI_CONCURRENCY=2)', {});
  await scenario('rate limit lifted (ZHENGYIN_PKI_RATE=1000000), concurrency cap 2', { ZHENGYIN_PKI_RATE: '1000000' });
}
