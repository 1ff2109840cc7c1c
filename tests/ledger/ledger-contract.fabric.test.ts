import { afterAll, describe } from 'vitest';
import { ledgers, type Ledger } from '../../ledger/index.ts';
import { ledgerContract } from './ledger-contract.ts';
import { fabricOptionsFromEnv } from '../../gateway/runtime/config.ts';

// Runs only through `npm run test:fabric`, against the network the FABRIC_* variables
// describe (e.g. `set -a; . run/network.env; set +a` after shared/fabric-net's up.sh with
// `--cc <repo>/chaincode=<name>`). Never a fake peer: without a network it skips, loudly.
const options = fabricOptionsFromEnv(process.env);
if (!options) {
  console.warn(
    [
      '',
      '################################################################################',
      '##  SKIPPED: no Fabric network configured (FABRIC_PEER_ENDPOINT is not set).   ##',
      '##  The evidence contract suite did NOT run against Hyperledger Fabric.        ##',
      '##  Start one with shared/fabric-net/up.sh --cc <repo>/chaincode=zhengyin,     ##',
      '##  load its run/network.env, and run `npm run test:fabric` again.             ##',
      '################################################################################',
      '',
    ].join('\n'),
  );
}

describe.skipIf(!options)(`the evidence contract on Hyperledger Fabric (${options?.peerEndpoint ?? 'not configured'})`, () => {
  let ledger: Ledger | undefined;
  afterAll(async () => {
    await ledger?.close();
  });

  ledgerContract(async () => {
    ledger = await ledgers.fabric(options!);
    return { ledger, mspId: options!.mspId };
  });
});
