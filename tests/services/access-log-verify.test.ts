import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ExitCode } from '../../gateway/cli/command.ts';
import { main } from '../../gateway/cli/main.ts';
import { entryHashOf } from '../../gateway/services/access-log/index.ts';
import { useTestApp } from '../support/app.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
const ENTRIES = 8;

/**
 * `zhengyin audit verify` against a log that a database superuser edits behind the
 * service's back: each kind of tampering is named at the first entry it breaks.
 */
describe('zhengyin audit verify', { timeout: 120_000 }, () => {
  const t = useTestApp({ ZHENGYIN_ACCESS_LOG_ANCHOR_EVERY: '4', ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S: '0' });
  const saved = { ...process.env };
  let admin: pg.Client;
  let original: Record<string, unknown>[];

  beforeAll(async () => {
    const log = t.app.services.accessLog;
    for (let i = 1; i <= ENTRIES; i++) {
      await log.appendAlone({
        subjectHash: t.app.services.ledger.holderHash('111', '11010519491231002X'),
        actor: { kind: 'department', departmentId: 'bdcdj' },
        applicationId: `APP-${i}`,
        resource: `licence:L-${i}`,
        useCause: '不动产转移登记',
        requestSha256: h(`q${i}`),
        responseSha256: h(`r${i}`),
      });
    }
    for (const id of ['access-log-head-4', 'access-log-head-8']) {
      let anchored = false;
      for (let i = 0; i < 1200 && !(anchored = Boolean((await t.app.services.ledger.anchorOf(id))?.anchor)); i++) await new Promise((r) => setTimeout(r, 50));
      if (!anchored) throw new Error(`${id} was not anchored in 60 s: ${JSON.stringify(await t.db.prisma.outbox.findUnique({ where: { evidenceId: id } }))}`);
    }
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${(await t.db.pool.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name}`;
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    // As a superuser who turned off the log's triggers: what an insider with the database's keys can do.
    await admin.query('SET session_replication_role = replica');
    original = (await admin.query('SELECT * FROM access_log_entry ORDER BY sequence')).rows;
    process.env.DATABASE_URL = t.config.databaseUrl;
    process.env.ZHENGYIN_DATA_DIR = t.config.dataDir;
    process.env.ZHENGYIN_LOG_FORMAT = 'json';
  });
  afterAll(async () => {
    process.env = saved;
    await admin?.end();
  });

  async function restore(): Promise<void> {
    await admin.query('DELETE FROM access_log_entry');
    for (const row of original) {
      const columns = Object.keys(row);
      await admin.query(
        `INSERT INTO access_log_entry (${columns.map((c) => `"${c}"`).join(',')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(',')})`,
        columns.map((c) => row[c]),
      );
    }
  }

  async function verify(): Promise<{ code: number; out: string; json: { ok: boolean; firstBreak?: { sequence: number; kind: string; detail: string } } }> {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const code = await main(['audit', 'verify'], sink);
    let json = '';
    const jsonSink = new Writable({
      write(chunk, _enc, done) {
        json += chunk;
        done();
      },
    });
    await main(['audit', 'verify', '--json'], jsonSink);
    return { code, out, json: JSON.parse(json) };
  }

  it('passes the intact log, matching both anchored heads', async () => {
    // Two heads the outbox sent in one batch share a transaction: the ledger keeps the later.
    const transactions = new Set(
      await Promise.all(['access-log-head-4', 'access-log-head-8'].map(async (id) => (await t.app.services.ledger.anchorOf(id))!.anchor!.transactionId)),
    );
    const { code, out, json } = await verify();
    expect(code, out).toBe(ExitCode.ok);
    expect(out).toContain(`access log intact: ${ENTRIES} entries, head ${ENTRIES}`);
    expect(json).toMatchObject({ ok: true, anchorsChecked: transactions.size, lastAnchoredSequence: 8 });
  });

  it.each([
    ['a changed use cause', `UPDATE access_log_entry SET use_cause = '随便看看' WHERE sequence = 3`, 3, 'ENTRY_HASH'],
    ['a changed receiving department', `UPDATE access_log_entry SET actor_department_id = 'gjj' WHERE sequence = 6`, 6, 'ENTRY_HASH'],
    ['a changed response hash', `UPDATE access_log_entry SET response_sha256 = '${h('other')}' WHERE sequence = 1`, 1, 'ENTRY_HASH'],
    ['a deleted entry', 'DELETE FROM access_log_entry WHERE sequence = 5', 5, 'SEQUENCE_GAP'],
    [
      'two entries swapped',
      'UPDATE access_log_entry SET sequence = 1000 WHERE sequence = 2; UPDATE access_log_entry SET sequence = 2 WHERE sequence = 3; UPDATE access_log_entry SET sequence = 3 WHERE sequence = 1000',
      2,
      'ENTRY_HASH',
    ],
    ['the anchored tail deleted', 'DELETE FROM access_log_entry WHERE sequence >= 7', 7, 'MISSING'],
  ])('names the first broken entry after %s, and exits 1', async (_name, sql, sequence, kind) => {
    await admin.query(sql);
    try {
      const { code, out, json } = await verify();
      expect(code).toBe(ExitCode.failure);
      expect(out).toContain(`access log BROKEN at entry ${sequence} [${kind}]`);
      expect(json).toMatchObject({ ok: false, firstBreak: { sequence, kind } });
    } finally {
      await restore();
    }
  });

  it('catches a head rewritten consistently (hash recomputed) by its anchor on the ledger', async () => {
    const row = original.find((r) => Number(r.sequence) === ENTRIES)!;
    const stored = await t.db.prisma.accessLogEntry.findUniqueOrThrow({ where: { sequence: BigInt(ENTRIES) } });
    const forged = {
      sequence: ENTRIES,
      at: stored.at,
      subjectHash: row.subject_hash as string,
      actor: { kind: 'department' as const, departmentId: 'bdcdj' },
      applicationId: `APP-${ENTRIES}`,
      resource: `licence:L-${ENTRIES}`,
      useCause: '无关事由',
      requestSha256: row.request_sha256 as string,
      responseSha256: row.response_sha256 as string,
      previousHash: row.previous_hash as string,
    };
    await admin.query(`UPDATE access_log_entry SET use_cause = $1, entry_hash = $2 WHERE sequence = $3`, [forged.useCause, entryHashOf(forged), ENTRIES]);
    try {
      const { code, out, json } = await verify();
      expect(code).toBe(ExitCode.failure);
      expect(out).toContain(`access log BROKEN at entry ${ENTRIES} [ANCHOR_MISMATCH]`);
      expect(json.firstBreak?.detail).toContain(row.entry_hash as string);
    } finally {
      await restore();
    }
    expect((await verify()).code).toBe(ExitCode.ok);
  });
});
