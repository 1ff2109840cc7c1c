// Evidence records per second: the embedded ledger always; a Fabric network too when the
// FABRIC_* variables describe one. On each ledger, one record per transaction (sequential)
// is the baseline for concurrent single-record transactions and for RecordBatch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../gateway/runtime/logger.ts';
import { openEmbeddedPostgres } from '../gateway/runtime/embedded-postgres.ts';
import { applyMigrations } from '../gateway/runtime/migrate.ts';
import { fabricOptionsFromEnv } from '../gateway/runtime/config.ts';
import { ledgers, singleOrganisationPolicy, type Ledger } from '../ledger/index.ts';
import { freePort } from '../tests/support/net.ts';
import { licenceIssued } from '../tests/ledger/fixtures.ts';
import { measure, printTable, type Measurement } from './measure.ts';

const BATCH = 100;
const CONCURRENCY = 20;

/** A measurement of `fn`, which anchors `records` records per call, in records per second. */
async function recordsPerSecond(name: string, records: number, fn: () => Promise<unknown>, minMs: number): Promise<Measurement> {
  const m = await measure(name, fn, { minMs, warmup: 2, minIterations: 3 });
  return { ...m, name, opsPerSecond: m.opsPerSecond * records, meanMs: m.meanMs / records, iterations: m.iterations * records };
}

async function suite(label: string, ledger: Ledger, minMs: number): Promise<void> {
  const one = await recordsPerSecond(`${label}: 1 record/tx, sequential`, 1, () => ledger.anchor(licenceIssued()), minMs);
  const concurrent = await recordsPerSecond(
    `${label}: 1 record/tx, ${CONCURRENCY} concurrent`,
    CONCURRENCY,
    () => Promise.all(Array.from({ length: CONCURRENCY }, () => ledger.anchor(licenceIssued()))),
    minMs,
  );
  const batched = await recordsPerSecond(
    `${label}: ${BATCH} records/tx (RecordBatch)`,
    BATCH,
    () => ledger.anchorBatch(Array.from({ length: BATCH }, () => licenceIssued())),
    minMs,
  );
  console.log(`\n${label} (${ledger.location}); records/s, ms per record, ratio to one record per transaction:`);
  printTable([one, concurrent, batched], one);
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-ledger-'));
  fs.chmodSync(dir, 0o755);
  const cluster = await openEmbeddedPostgres({ dataDir: dir, port: await freePort(), role: 'test', database: 'bench', log: createLogger({ level: 'warn' }) });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 10 });
  try {
    const client = await pool.connect();
    await applyMigrations(client).finally(() => client.release());
    const embedded = await ledgers.embedded({ pool, dir, location: 'embedded PostgreSQL (bench)' });
    try {
      await suite('embedded', embedded, 3000);
    } finally {
      await embedded.close();
    }
  } finally {
    await pool.end();
    await cluster.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const fabricOptions = fabricOptionsFromEnv(process.env);
  if (!fabricOptions) {
    console.log('\nfabric: SKIPPED (no FABRIC_PEER_ENDPOINT; load a network.env to measure one record per transaction against batched on Fabric)');
    return;
  }
  const fabric = await ledgers.fabric(fabricOptions);
  try {
    const policy = await fabric.getPolicy();
    if (!policy?.writers.licence?.some((p) => p.mspId === fabricOptions.mspId && !p.attribute)) {
      await fabric.setPolicy(singleOrganisationPolicy(fabricOptions.mspId));
    }
    await suite('fabric', fabric, 5000);
  } finally {
    await fabric.close();
  }
}
