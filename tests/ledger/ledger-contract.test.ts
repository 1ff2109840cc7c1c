import { describe } from 'vitest';
import { ledgerContract } from './ledger-contract.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';

describe('the evidence contract through the embedded ledger', () => {
  // Before the suite, so that the ledger closes after the suite's own hooks.
  const t = useEmbeddedLedger();
  ledgerContract(async () => ({ ledger: t.ledger, mspId: 'ZhengyinMSP' }));
});
