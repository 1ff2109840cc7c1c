import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgers, verifyInclusionProof, type ProvingLedger } from '../../ledger/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { licenceIssued } from './fixtures.ts';

describe('embedded ledger, thin path', () => {
  const t = useTestDatabase();
  let ledger: ProvingLedger;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ledger-'));
  beforeAll(async () => {
    ledger = await ledgers.embedded({ pool: t.db.pool, dir });
  });
  afterAll(async () => {
    await ledger?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('anchors a licence record and reads it back', async () => {
    const record = licenceIssued();
    const receipt = await ledger.anchor(record);
    expect(receipt.status).toBe('recorded');
    const stored = await ledger.get(record.evidenceId);
    expect(stored).toMatchObject({ ...record, txId: receipt.transactionId, domain: 'licence' });
    const proof = await ledger.prove(receipt.transactionId);
    const verdict = verifyInclusionProof(proof, { trustedSigners: [ledger.nodePublicKey] });
    expect(verdict.valid).toBe(true);
    expect((await ledger.verifyChain()).problems).toEqual([]);
  });
});
