import type pg from 'pg';
import { outbox, type Ledger } from '../../ledger/index.ts';

/** One readiness check's outcome; `error` is a name or code, never a message (probes are public). */
export interface CheckResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  readonly [detail: string]: unknown;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: { readonly database: CheckResult; readonly ledger: CheckResult; readonly outbox: CheckResult };
}

export interface ReadinessOptions {
  readonly pool: pg.Pool;
  readonly ledger: Ledger;
  /** The outbox fails when its oldest pending row is older than this. */
  readonly maxBacklogMs: number;
  /** Each check's own time limit. @default 2000 */
  readonly timeoutMs?: number;
}

/**
 * Whether this instance should receive traffic: the database answers, the ledger answers,
 * and evidence reaches the ledger in time (the outbox's oldest pending row is younger than
 * `maxBacklogMs`). The three checks run at once, each bounded by `timeoutMs`, so a hung
 * dependency makes the probe fail rather than hang.
 */
export async function checkReadiness(options: Readonly<ReadinessOptions>): Promise<Readiness> {
  const { pool, ledger, maxBacklogMs, timeoutMs = 2000 } = options;
  const [database, ledgerCheck, backlog] = await Promise.all([
    timed(timeoutMs, async () => {
      await pool.query('SELECT 1');
      return {};
    }),
    timed(timeoutMs, async () => {
      const info = await ledger.info();
      return { mode: ledger.mode, height: Number(info.height) };
    }),
    timed(timeoutMs, async () => {
      const s = await outbox.stats(pool);
      return { ok: s.oldestPendingAgeMs <= maxBacklogMs, pending: s.pending, oldestPendingAgeSeconds: Math.round(s.oldestPendingAgeMs / 1000), maxAgeSeconds: maxBacklogMs / 1000 };
    }),
  ]);
  return { ready: database.ok && ledgerCheck.ok && backlog.ok, checks: { database, ledger: ledgerCheck, outbox: backlog } };
}

async function timed(timeoutMs: number, check: () => Promise<Record<string, unknown>>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), timeoutMs);
      }),
    ]);
    return { ok: true, ...details, ms: Math.round(performance.now() - started) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { ok: false, ms: Math.round(performance.now() - started), error: typeof code === 'string' ? code : ((e as Error)?.name ?? 'Error') };
  } finally {
    clearTimeout(timer);
  }
}
