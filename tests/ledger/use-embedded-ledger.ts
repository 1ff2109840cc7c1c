import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ledgers, type ProvingLedger } from '../../ledger/index.ts';
import type { Database } from '../../gateway/runtime/database.ts';
import { useTestDatabase } from '../support/database.ts';

type EmbeddedOptions = Parameters<typeof ledgers.embedded>[0];

export interface EmbeddedLedgerFixture {
  /** The file's own migrated database. */
  readonly db: Database;
  readonly url: string;
  /** Data folder: the node key lives in `<dir>/ledger/`. */
  readonly dir: string;
  /** The embedded ledger opened before the file's tests. */
  readonly ledger: ProvingLedger;
  /** Another node or identity on the same database and key; closed after the file. */
  open(options?: Partial<EmbeddedOptions>): Promise<ProvingLedger>;
}

/**
 * A real embedded ledger for a test file: fresh database, temporary data folder, closed
 * and removed afterwards. Call before any suite whose hooks use the ledger, so that it is
 * closed after them (hooks unwind as a stack).
 */
export function useEmbeddedLedger(options: Partial<EmbeddedOptions> = {}): EmbeddedLedgerFixture {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ledger-'));
  const opened: ProvingLedger[] = [];
  let ledger: ProvingLedger | undefined;
  const open = async (more: Partial<EmbeddedOptions> = {}) => {
    const l = await ledgers.embedded({ pool: t.db.pool, dir, ...more });
    opened.push(l);
    return l;
  };
  beforeAll(async () => {
    ledger = await open(options);
  });
  afterAll(async () => {
    for (const l of opened.reverse()) await l.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db() {
      return t.db;
    },
    get url() {
      return t.url;
    },
    dir,
    get ledger() {
      if (!ledger) throw new Error('useEmbeddedLedger(): the ledger exists only inside tests and hooks');
      return ledger;
    },
    open,
  };
}
