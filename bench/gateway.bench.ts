// `npm run bench gateway` (issue 11, "Speed"): at 50 connections on the same machine and
// run, (a) an authorised, logged licence lookup (`licence(identifier)` with a department
// token) against graphql-yoga's bare `{ hello }` on the same node:http setup; (b) issuing
// through GraphQL, licences a second, each signed (B-LTA) and stored with its outbox row,
// one type by one department; (c) the lookup's p99 while issuing runs at full speed.
// The service runs as `zhengyin start` runs it (embedded PostgreSQL, embedded ledger, the
// CPU pool), logging at info level as in production (to /dev/null). The load comes from
// worker threads (bench/load.ts). Ratios and percentiles only: the machine is shared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { createApp } from '../gateway/app.ts';
import { listen, requestListener } from '../gateway/http/server.ts';
import { Router } from '../gateway/http/router.ts';
import { readConfig } from '../gateway/runtime/config.ts';
import { openDatabase } from '../gateway/runtime/database.ts';
import { createLogger } from '../gateway/runtime/logger.ts';
import { OPERATOR } from '../gateway/services/actor.ts';
import { DEMO_TOKEN_DEPARTMENT } from '../gateway/services/demo-data.ts';
import { cpuPool, closeCpuPool } from '../gateway/workers/index.ts';
import { BUSINESS_LICENCE, SEED_EXAMPLES } from '../signer/index.ts';
import { freePort } from '../tests/support/net.ts';
import { load, type LoadResult } from './load.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.ZHENGYIN_BENCH_SECONDS ?? 10);

const line = (name: string, r: LoadResult, unit = 'req/s') =>
  `${name.padEnd(58)} ${r.perSecond.toFixed(1).padStart(8)} ${unit}  p50 ${r.p50Ms.toFixed(1).padStart(7)} ms  p99 ${r.p99Ms.toFixed(1).padStart(7)} ms  ` +
  `(${r.requests} requests${r.failures ? `, ${r.failures} FAILED: ${r.firstFailure}` : ''})`;

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-gateway-'));
  fs.chmodSync(dataDir, 0o755);
  const config = readConfig({ ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_PORT: String(await freePort()), ZHENGYIN_PG_PORT: String(await freePort()), ZHENGYIN_DEMO: 'true', ...process.env });
  const devNull = fs.openSync('/dev/null', 'w');
  const log = createLogger({ level: 'info', json: true, write: (l) => fs.writeSync(devNull, `${l}\n`) });
  const db = await openDatabase(config, { role: 'server', log });
  const app = await createApp({ config, db, log });
  await app.seedDemo();
  const server = await listen(requestListener(app.router, log), '127.0.0.1', config.port);

  // The bare baseline: a second yoga with one field, on the same listen() + router + request listener.
  const bare = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }), logging: false, landingPage: false });
  const bareRouter = new Router().post('/graphql', (req, res) => bare.handle(req, res) as Promise<void>);
  const bareServer = await listen(requestListener(bareRouter, createLogger({ level: 'silent' })), '127.0.0.1', await freePort());

  try {
    const department = DEMO_TOKEN_DEPARTMENT;
    const { token } = await app.tokens.mint(OPERATOR, { departmentId: department, role: 'issuer' });
    const auth = { authorization: `Bearer ${token}` };
    const example = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!;
    const issued = await app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: department, face: example.face });
    await cpuPool().warm();
    const graphql = new URL('graphql', server.url).toString();
    const lookup = { url: graphql, headers: auth, connections: CONNECTIONS, body: JSON.stringify({ query: `{ licence(identifier: "${issued.licence.identifier}") { identifier status documentSha256 } }` }) };
    const issue = {
      url: graphql,
      headers: auth,
      connections: CONNECTIONS,
      body: JSON.stringify({
        query: 'mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { identifier } } } }',
        variables: { input: { type: BUSINESS_LICENCE.code, face: example.face } },
      }),
    };
    const hello = { url: new URL('graphql', bareServer.url).toString(), connections: CONNECTIONS, body: JSON.stringify({ query: '{ hello }' }) };
    const warm = 2000;
    await load({ ...hello, durationMs: warm });
    await load({ ...lookup, durationMs: warm });

    const bareHello = await load({ ...hello, durationMs: SECONDS * 1000 });
    const lookups = await load({ ...lookup, durationMs: SECONDS * 1000 });

    const count = async () => ({
      licences: await db.prisma.licence.count({ where: { typeCode: BUSINESS_LICENCE.code } }),
      outbox: Number((await db.pool.query(`SELECT count(*) AS n FROM outbox WHERE evidence_id LIKE 'licence:%:issued'`)).rows[0].n),
    });
    const before = await count();
    const issuing = await load({ ...issue, durationMs: SECONDS * 1000 });
    const after = await count();

    const [issuingUnderLookups, lookupsWhileIssuing] = await Promise.all([load({ ...issue, durationMs: SECONDS * 1000 }), load({ ...lookup, durationMs: SECONDS * 1000 })]);

    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, ${os.availableParallelism()} CPUs, CPU pool of ${cpuPool().size} worker thread(s); one 营业执照 type by one department, B-LTA`);
    console.log(line('bare yoga { hello } (baseline)', bareHello));
    console.log(line('licence(identifier) with a department token, logged', lookups));
    console.log(line('issueLicence through GraphQL', issuing, 'lic/s'));
    console.log(line('licence(identifier) while issueLicence runs at full speed', lookupsWhileIssuing));
    console.log(line('  … the issueLicence load meanwhile', issuingUnderLookups, 'lic/s'));
    console.log('');
    console.log(`lookup vs bare hello: ${(lookups.perSecond / bareHello.perSecond).toFixed(2)}× the throughput (aim ≥ 0.5×), p99 ${lookups.p99Ms.toFixed(1)} ms (aim < 50 ms)`);
    console.log(`issuing: ${issuing.perSecond.toFixed(1)} licences/s (aim ≥ 100/s); stored ${after.licences - before.licences} licences and ${after.outbox - before.outbox} outbox rows for ${issuing.requests - issuing.failures} answers`);
    console.log(`lookup p99 while issuing: ${lookupsWhileIssuing.p99Ms.toFixed(1)} ms (idle: ${lookups.p99Ms.toFixed(1)} ms)`);
  } finally {
    await bareServer.close();
    await server.close();
    await app.close();
    await closeCpuPool();
    await db.close();
    fs.closeSync(devNull);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
