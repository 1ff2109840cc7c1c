// Material reuse (issue 12): the material plan of a 10-matter bundle, and an authorised
// shared-licence fetch through GraphQL at 50 connections, each as a ratio to the bare
// database lookup of the same rows in the same run. The service runs in-process on an
// embedded PostgreSQL with the demo data and a bench catalogue: the shipped one plus four
// more matters and a bundle of all ten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../gateway/app.ts';
import { listen, requestListener } from '../gateway/http/server.ts';
import { readConfig } from '../gateway/runtime/config.ts';
import { openDatabase } from '../gateway/runtime/database.ts';
import { createLogger } from '../gateway/runtime/logger.ts';
import { OPERATOR, shippedCatalogueDir, type Actor } from '../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE } from '../signer/index.ts';
import { freePort } from '../tests/support/net.ts';
import { measure, printTable, type Measurement } from './measure.ts';

const CONNECTIONS = 50;
const BUYER = { codeType: '111', code: '350206199001010025', name: '王建国' } as const;
const APPLICANT: Actor = { kind: 'applicant', holderCodeType: '111', holderCode: BUYER.code };

/** The shipped catalogue plus copies of four matters under new codes, and a bundle of all ten. */
function benchCatalogue(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-catalogue-'));
  fs.cpSync(shippedCatalogueDir, dir, { recursive: true });
  const matters = fs.readdirSync(path.join(dir, 'matters')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'matters', f), 'utf8')));
  const extra = matters.slice(0, 4).map((m, i) => ({ ...m, code: `${m.code.slice(0, -4)}9${String(i).padStart(3, '0')}`, name: `${m.name}（基准${i}）`, issues: undefined }));
  for (const m of extra) fs.writeFileSync(path.join(dir, 'matters', `${m.code}.json`), JSON.stringify(m, null, 2));
  const codes = [...matters, ...extra].map((m) => m.code);
  fs.writeFileSync(
    path.join(dir, 'bundles', 'bench-ten.json'),
    JSON.stringify({ $schema: '../schema/bundle.schema.json', code: '350200-YJS-BENCH', name: '基准一件事（十个事项）', leadDepartment: 'xzsp', matters: codes }, null, 2),
  );
  return dir;
}

/** Throughput of `fn` run by `connections` loops at once for `ms`. */
async function concurrently(name: string, fn: () => Promise<unknown>, connections: number, ms = 4000): Promise<Measurement> {
  await Promise.all(Array.from({ length: connections }, fn)); // warm up every connection
  let done = 0;
  const start = performance.now();
  const until = start + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        await fn();
        done++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  return { name, opsPerSecond: (done * 1000) / elapsed, meanMs: (elapsed * connections) / done, iterations: done };
}

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-reuse-'));
  fs.chmodSync(dataDir, 0o755);
  const catalogueDir = benchCatalogue();
  const config = readConfig({ ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_PORT: String(await freePort()), ZHENGYIN_PG_PORT: String(await freePort()), ZHENGYIN_DEMO: 'false' });
  const log = createLogger({ level: 'error' });
  const db = await openDatabase(config, { role: 'server', log });
  const app = await createApp({ config, db, log });
  const server = await listen(requestListener(app.router, log), '127.0.0.1', config.port);
  try {
    await app.seedDemo();
    await app.services.catalogue.load(OPERATOR, catalogueDir);
    const { applications, authorisations } = app.services;

    // ── The material plan of a 10-matter bundle.
    const bundle = await applications.open(OPERATOR, { applicant: BUYER, bundle: '350200-YJS-BENCH' });
    const matters = bundle.matters.map((m) => [m.matter, m.matterVersion] as const);
    const bare = async () => {
      // The rows the planner reads, one query per table, all at once.
      await Promise.all([
        db.pool.query(`SELECT content FROM catalogue_item WHERE kind = 'matter' AND (key, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`, [matters.map((m) => m[0]), matters.map((m) => m[1])]),
        db.pool.query(`SELECT DISTINCT ON (kind, key) kind, key, content FROM catalogue_item WHERE kind IN ('proof', 'material') ORDER BY kind, key, version DESC`),
        db.pool.query(`SELECT department_id, matter, resource_kind, resource FROM department_grant WHERE department_id = ANY($1) AND revoked_at IS NULL`, [[...new Set(bundle.matters.map((m) => m.departmentId))]]),
        db.pool.query(`SELECT kind FROM material_request WHERE application_id = $1`, [bundle.id]),
        db.pool.query(`SELECT identifier, type_code, version, department_id, valid_until FROM licence WHERE holder_code_type = $1 AND holder_code = $2 AND status = 'valid'`, [BUYER.codeType, BUYER.code]),
        db.pool.query(`SELECT id, kind, sha256, given_at, expires_at FROM material WHERE holder_code_type = $1 AND holder_code = $2 ORDER BY given_at DESC`, [BUYER.codeType, BUYER.code]),
      ]);
    };
    const lookup = await measure('bare lookup of the same rows (6 queries at once)', bare, { minMs: 2000 });
    const planned = await measure(`material plan, 10-matter bundle (${(await applications.plan(OPERATOR, bundle.id)).length} lines)`, () => applications.plan(OPERATOR, bundle.id), { minMs: 3000 });
    console.log('\nmaterial plan per second and ms each, ratio to the bare lookup:');
    printTable([lookup, planned], lookup);

    // ── An authorised fetch through GraphQL at 50 connections.
    const loan = await applications.open(OPERATOR, { applicant: BUYER, matter: '350200-GJJ-0002' });
    await authorisations.authorise(APPLICANT, loan.id);
    const identifier = (await db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code } })).identifier;
    const token = (await app.tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'handler' })).token;
    const body = JSON.stringify({
      query: 'mutation($input: FetchSharedLicenceInput!) { fetchSharedLicence(input: $input) { identifier receipt { sequence } } }',
      variables: { input: { applicationId: loan.id, matter: '350200-GJJ-0002', identifier, useCause: '公积金贷款核验缴存情况' } },
    });
    const graphql = new URL('graphql', server.url);
    const fetchOnce = async () => {
      const res = await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const json = (await res.json()) as { errors?: unknown };
      if (json.errors) throw new Error(JSON.stringify(json.errors));
    };
    const bareFetch = async () => {
      // The rows an authorised fetch rests on: application, authorisation, licence, grant.
      await Promise.all([
        db.pool.query(`SELECT * FROM application a JOIN application_matter m ON m.application_id = a.id WHERE a.id = $1`, [loan.id]),
        db.pool.query(`SELECT expires_at, withdrawn_at FROM application_authorisation WHERE application_id = $1 ORDER BY granted_at DESC LIMIT 1`, [loan.id]),
        db.pool.query(`SELECT identifier, face_data, holder_name FROM licence WHERE identifier = $1`, [identifier]),
        db.pool.query(`SELECT id FROM department_grant WHERE department_id = 'gjj' AND matter = '350200-GJJ-0002' AND resource = $1 AND revoked_at IS NULL`, [PROVIDENT_FUND_CERTIFICATE.code]),
      ]);
    };
    const baseline = await concurrently(`bare lookup of the same rows, ${CONNECTIONS} at once`, bareFetch, CONNECTIONS);
    const fetched = await concurrently(`fetchSharedLicence over HTTP, ${CONNECTIONS} connections (plan, authorisation, grant, access log)`, fetchOnce, CONNECTIONS);
    console.log('\nauthorised fetches per second, ratio to the bare lookup:');
    printTable([baseline, fetched], baseline);
  } finally {
    await server.close();
    await app.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(catalogueDir, { recursive: true, force: true });
  }
}
