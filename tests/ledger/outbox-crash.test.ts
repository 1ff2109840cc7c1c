import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outbox, type EvidenceRecord } from '../../ledger/index.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';
import { licenceIssued, registration } from './fixtures.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'outbox-child.ts');

/**
 * Crashes in a real second process, SIGKILLed (no cleanup, no finally): the database and
 * the ledger stay real. Whatever the moment of death, the evidence reaches the chain once.
 */
describe('the outbox across a SIGKILL', () => {
  const t = useEmbeddedLedger();

  /** Runs the child until it prints `line`, then SIGKILLs it; resolves to what it printed. */
  async function killAfter(mode: string, record: EvidenceRecord, line: RegExp): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], {
      env: { ...process.env, DATABASE_URL: t.url, ZY_LEDGER_DIR: t.dir, ZY_RECORD: JSON.stringify(record) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const printed = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = line.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing ${line}: ${err}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    return printed;
  }

  const writes = async (evidenceId: string) =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM ledger_history WHERE key = $1', [Buffer.from(`\u0000evidence\u0000${evidenceId}\u0000`)])).rows[0].n as number;
  const drainUntilAnchored = async (evidenceId: string) => {
    const w = outbox.worker({ pool: t.db.pool, ledger: t.ledger });
    for (let i = 0; i < 200; i++) {
      await w.drainOnce();
      const entry = await outbox.entry(t.db.pool, evidenceId);
      if (entry?.anchor) return entry;
      await sleep(25);
    }
    throw new Error(`${evidenceId} was never anchored`);
  };

  it('anchors, after the restart, a record whose business transaction committed just before the kill', async () => {
    const record = licenceIssued();
    await killAfter('commit-then-hang', record, /COMMITTED/);

    expect(await t.db.prisma.systemSetting.findUnique({ where: { key: `business:${record.evidenceId}` } })).not.toBeNull();
    expect(await outbox.entry(t.db.pool, record.evidenceId)).toMatchObject({ anchor: undefined, attempts: 0 });
    expect(await t.ledger.get(record.evidenceId)).toBeUndefined();

    const entry = await drainUntilAnchored(record.evidenceId);

    expect(entry.anchor?.transactionId).toBe((await t.ledger.get(record.evidenceId))?.txId);
    expect(await writes(record.evidenceId)).toBe(1);
  });

  it('does not anchor twice a record the ledger committed just before the kill', async () => {
    const record = registration();
    const printed = await killAfter('anchor-then-hang', record, /ANCHORED \[.*\]\n/);
    const [childTx] = JSON.parse(printed.replace('ANCHORED ', '')) as string[];

    expect((await t.ledger.get(record.evidenceId))?.txId).toBe(childTx);
    expect(await outbox.entry(t.db.pool, record.evidenceId)).toMatchObject({ anchor: undefined });

    const entry = await drainUntilAnchored(record.evidenceId);

    expect(entry.anchor?.transactionId).toBe(childTx);
    expect(entry.anchor?.blockNumber).toBe(await t.ledger.blockOf(childTx!));
    expect(await writes(record.evidenceId)).toBe(1);
    expect((await t.ledger.verifyChain()).problems).toEqual([]);
  });
});
