import { checkpointers as gateway, type ChaincodeEvent, type Checkpointer } from '@hyperledger/fabric-gateway';
import type pg from 'pg';

/** fabric-gateway's own: state in memory only. */
export const inMemory = gateway.inMemory;
/** fabric-gateway's own: state in a file. */
export const file = gateway.file;

/**
 * A checkpointer kept in the `ledger_checkpoint` table under `name`, with fabric-gateway's
 * semantics (the next block to read, or the last transaction processed within a block),
 * so an event listener resumes where it stopped on any gateway that shares the database.
 */
export async function database(pool: pg.Pool, name: string): Promise<Checkpointer> {
  const { rows } = await pool.query<{ block_number: string | null; transaction_id: string | null }>(
    'SELECT block_number, transaction_id FROM ledger_checkpoint WHERE name = $1',
    [name],
  );
  let blockNumber = rows[0]?.block_number != null ? BigInt(rows[0].block_number) : undefined;
  let transactionId = rows[0]?.transaction_id ?? undefined;
  const save = async (block: bigint, tx: string | undefined): Promise<void> => {
    await pool.query(
      `INSERT INTO ledger_checkpoint (name, block_number, transaction_id, updated_at) VALUES ($1, $2, $3, now() AT TIME ZONE 'UTC')
       ON CONFLICT (name) DO UPDATE SET block_number = EXCLUDED.block_number, transaction_id = EXCLUDED.transaction_id, updated_at = EXCLUDED.updated_at`,
      [name, block.toString(), tx ?? null],
    );
    blockNumber = block;
    transactionId = tx;
  };
  return {
    getBlockNumber: () => blockNumber,
    getTransactionId: () => transactionId,
    checkpointBlock: (block) => save(block + 1n, undefined),
    checkpointTransaction: (block, tx) => save(block, tx),
    checkpointChaincodeEvent: (event: ChaincodeEvent) => save(event.blockNumber, event.transactionId),
  };
}
