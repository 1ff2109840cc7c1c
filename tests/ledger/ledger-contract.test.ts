import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { ledgers, type Ledger } from '../../ledger/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { ledgerContract } from './ledger-contract.ts';

describe('the evidence contract through the embedded ledger', () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ledger-'));
  let ledger: Ledger | undefined;
  // Registered before the suite's own hooks so that it runs after them (hooks unwind as a stack).
  afterAll(async () => {
    await ledger?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  ledgerContract(async () => {
    ledger = await ledgers.embedded({ pool: t.db.pool, dir });
    return { ledger, mspId: 'ZhengyinMSP' };
  });
});
