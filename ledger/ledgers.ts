import path from 'node:path';
import type pg from 'pg';
import { EmbeddedLedger } from './embedded/embedded-ledger.ts';
import type { IdentityRequest, KeySealer } from './embedded/node-identity.ts';
import type { FabricOptions } from './fabric/fabric-options.ts';
import type { Ledger, ProvingLedger } from './ledger.ts';
import type { WriterPolicy } from './policy.ts';

export type { FabricOptions } from './fabric/fabric-options.ts';
export type { IdentityRequest, KeySealer } from './embedded/node-identity.ts';

export interface EmbeddedOptions {
  /** Pool on the (migrated) service database; the ledger's tables live there. */
  readonly pool: pg.Pool;
  /** The data folder; the node key is `<dir>/ledger/node-key.pem` unless `nodeKeyFile` says otherwise. */
  readonly dir: string;
  readonly nodeKeyFile?: string;
  /** Seals the node key file at rest; the gateway passes its key-encryption key. */
  readonly nodeKeySealer?: KeySealer;
  /** MSP id and certificate attributes of the submitting identity. @default { mspId: 'ZhengyinMSP' } */
  readonly identity?: IdentityRequest;
  /** Policy to set when the chain has none, or false. @default one organisation (identity.mspId) writes everything */
  readonly initialPolicy?: WriterPolicy | false;
  /** @default 100 */
  readonly maxTransactionsPerBlock?: number;
  /** @default 20 */
  readonly batchTimeoutMs?: number;
  /** For humans: where the database is. */
  readonly location?: string;
}

/**
 * The embedded ledger: `chaincode/`'s contract in-process over the service database,
 * blocks chained, Merkle-hashed and signed by the node key.
 */
export function embedded(options: EmbeddedOptions): Promise<ProvingLedger> {
  return EmbeddedLedger.open({
    pool: options.pool,
    nodeKeyFile: options.nodeKeyFile ?? path.join(options.dir, 'ledger', 'node-key.pem'),
    ...(options.nodeKeySealer ? { nodeKeySealer: options.nodeKeySealer } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.initialPolicy !== undefined ? { initialPolicy: options.initialPolicy } : {}),
    ...(options.maxTransactionsPerBlock ? { maxTransactionsPerBlock: options.maxTransactionsPerBlock } : {}),
    ...(options.batchTimeoutMs !== undefined ? { batchTimeoutMs: options.batchTimeoutMs } : {}),
    location: options.location ?? 'embedded',
  });
}

/** The evidence chaincode on a Fabric network, through the peer's Gateway service. */
export async function fabric(options: FabricOptions): Promise<Ledger> {
  const { FabricLedger } = await import('./fabric/fabric-ledger.ts');
  return FabricLedger.connect(options);
}
