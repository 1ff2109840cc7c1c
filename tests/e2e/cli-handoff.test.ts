import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpService, type RunningHttpService } from '../../gateway/http/start-http-service.ts';
import { OPERATOR_ISSUE_PATH } from '../../gateway/operator/protocol.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { readServiceFile, serviceFilePath } from '../../gateway/runtime/service-file.ts';
import { BUSINESS_LICENCE, SEED_EXAMPLES } from '../../signer/index.ts';
import { zhengyin } from '../support/cli.ts';
import { createTestDatabase, dropTestDatabase } from '../support/database.ts';
import type { Database } from '../../gateway/runtime/database.ts';

/** The service's own count of licences it signed, from its /metrics. */
async function issuedByService(url: URL): Promise<number> {
  const text = await (await fetch(new URL('metrics', url))).text();
  return Number(/^zhengyin_licences_issued_total (\d+)/m.exec(text)?.[1] ?? 0);
}

// `zhengyin issue` beside a running `zhengyin start` on the same data folder hands the work
// to it (issue #10: under a second against a running service), and does it itself otherwise.
describe('zhengyin issue hands its work to the running service', { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-handoff-'));
  const dataDir = path.join(dir, 'data');
  let database: { db: Database; url: string; name: string };
  let service: RunningHttpService;
  const env = () => ({ DATABASE_URL: database.url, ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_LOG_FORMAT: 'json' });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = readConfig({ ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_PORT: '0', DATABASE_URL: database.url, ZHENGYIN_DEMO: 'on' });
    service = await startHttpService({ config, log: createLogger({ level: 'silent' }), out: new Writable({ write: (_c, _e, done) => done() }) });
  });
  afterAll(async () => {
    await service?.stop();
    await database?.db.close();
    await dropTestDatabase(database.name);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a service file only its owner can read, naming its URL', () => {
    const file = readServiceFile(dataDir);
    expect(file).toMatchObject({ pid: process.pid, url: service.url.toString() });
    expect(fs.statSync(serviceFilePath(dataDir)).mode & 0o077).toBe(0);
  });

  it('issues through the service: the service signs it, the CLI writes it, the audit trail names the person', async () => {
    const before = await issuedByService(service.url);
    const out = path.join(dir, 'handed.pdf');

    const issued = await zhengyin(['issue', '--demo', '--out', out, '--actor', '王窗口'], env());

    expect(issued.code, issued.stderr).toBe(0);
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;
    expect(await issuedByService(service.url)).toBe(before + 1);
    const pdf = fs.readFileSync(out);
    const stored = await database.db.prisma.licence.findUniqueOrThrow({ where: { identifier }, include: { document: true } });
    expect(stored.document?.sha256).toBe(crypto.createHash('sha256').update(pdf).digest('hex'));
    const root = path.join(dir, 'root.pem');
    fs.writeFileSync(root, await (await fetch(new URL('pki/root.pem', service.url))).text());
    const verified = await zhengyin(['verify', out, '--trust', root], env());
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const audit = await database.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'licence.issue' }, orderBy: { id: 'desc' } });
    expect([audit.actorKind, audit.actorName, audit.targets, audit.outcome]).toEqual(['operator', '王窗口', [identifier], 'ok']);
  });

  it('passes the service’s typed refusal through with the CLI’s exit code, storing nothing', async () => {
    const face = path.join(dir, 'face.json');
    fs.writeFileSync(face, JSON.stringify({ 名称: '某公司' }));
    const before = await database.db.prisma.licence.count();

    const refused = await zhengyin(['issue', '--type', 'NO-SUCH-TYPE', '--department', 'scjg', '--data', face, '--out', path.join(dir, 'no.pdf')], env());

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^error \[[A-Z_]+\]: /);
    expect(fs.existsSync(path.join(dir, 'no.pdf'))).toBe(false);
    expect(await database.db.prisma.licence.count()).toBe(before);
  });

  it('answers 404 to a wrong key or none, and a typed 400 to a malformed request with the right key', async () => {
    const url = new URL(OPERATOR_ISSUE_PATH.slice(1), service.url);
    const { operatorKey } = readServiceFile(dataDir)!;
    const post = (key: string | undefined, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
    const before = await database.db.prisma.licence.count();

    expect((await post(undefined, '{"demo":true,"actorName":"x"}')).status).toBe(404);
    expect((await post(operatorKey.slice(0, -1) + (operatorKey.endsWith('A') ? 'B' : 'A'), '{"demo":true,"actorName":"x"}')).status).toBe(404);
    const malformed = await post(operatorKey, '{"demo":true}');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    expect((await post(operatorKey, 'not json')).status).toBe(400);
    expect(await database.db.prisma.licence.count()).toBe(before);
  });

  it('issues --format both through the service; the CLI splits its answer into the PDF and the OFD', async () => {
    const face = path.join(dir, 'business.json');
    fs.writeFileSync(face, JSON.stringify(SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!.face));
    const before = await issuedByService(service.url);

    const issued = await zhengyin(['issue', '--type', BUSINESS_LICENCE.code, '--department', 'scjg', '--data', face, '--format', 'both', '--out', path.join(dir, 'both.pdf')], env());

    expect(issued.code, issued.stderr).toBe(0);
    expect(await issuedByService(service.url)).toBe(before + 1);
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;
    const row = await database.db.prisma.licenceDocument.findFirstOrThrow({ where: { licence: { identifier } }, select: { sha256: true, ofdSha256: true } });
    const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
    expect(row).toEqual({ sha256: sha256('both.pdf'), ofdSha256: sha256('both.ofd') });
  });

  it('issues from its own process when the service file names a process that has gone', async () => {
    const file = serviceFilePath(dataDir);
    const real = fs.readFileSync(file);
    try {
      // A pid that cannot be running: the kernel's pid_max is far below it.
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(real.toString()), pid: 2 ** 30 }));
      const before = await issuedByService(service.url);

      const issued = await zhengyin(['issue', '--demo', '--out', path.join(dir, 'local.pdf')], env());

      expect(issued.code, issued.stderr).toBe(0);
      expect(await issuedByService(service.url)).toBe(before);
    } finally {
      fs.writeFileSync(file, real, { mode: 0o600 });
    }
  });
});
