import type pg from 'pg';
import { formatVersion } from './format.ts';
import type { KeyModification } from './chaincode-support.ts';

/** A committed value with its version, `"<block>:<tx>"` of the transaction that wrote it. */
export interface VersionedValue {
  readonly key: string;
  readonly value: Buffer;
  readonly version: string;
}

/** Fabric's limit on results of one range query (core.yaml ledger.state.totalQueryLimit). */
export const TOTAL_QUERY_LIMIT = 100_000;

const keyBytes = (key: string): Buffer => Buffer.from(key, 'utf8');

type StateRow = { key: Buffer; value: Buffer; block_number: string; tx_index: number };
const toVersioned = (r: StateRow): VersionedValue => ({
  key: r.key.toString('utf8'),
  value: r.value,
  version: formatVersion(BigInt(r.block_number), r.tx_index),
});

/**
 * Reads of the committed world state and history of one chaincode namespace, as a
 * transaction simulator needs them. Writes happen only in the committer.
 */
export class StateStore {
  readonly #pool: pg.Pool;
  readonly #namespace: string;

  constructor(pool: pg.Pool, namespace: string) {
    this.#pool = pool;
    this.#namespace = namespace;
  }

  async get(key: string): Promise<VersionedValue | undefined> {
    const { rows } = await this.#pool.query<StateRow>(
      'SELECT key, value, block_number, tx_index FROM ledger_state WHERE namespace = $1 AND key = $2',
      [this.#namespace, keyBytes(key)],
    );
    return rows[0] && toVersioned(rows[0]);
  }

  /** Keys in [start, end) in byte order; an empty `end` means no upper bound. */
  async range(start: string, end: string, limit = TOTAL_QUERY_LIMIT, client: pg.ClientBase | pg.Pool = this.#pool): Promise<VersionedValue[]> {
    const { rows } = await client.query<StateRow>(
      `SELECT key, value, block_number, tx_index FROM ledger_state
        WHERE namespace = $1 AND key >= $2 AND ($3::bytea IS NULL OR key < $3)
        ORDER BY key LIMIT $4`,
      [this.#namespace, keyBytes(start), end === '' ? null : keyBytes(end), limit],
    );
    return rows.map(toVersioned);
  }

  /** Every committed write of a key, newest first (as Fabric 2.x returns history). */
  async history(key: string): Promise<KeyModification[]> {
    const { rows } = await this.#pool.query<{ tx_id: string; value: Buffer | null; is_delete: boolean; ms: string }>(
      `SELECT tx_id, value, is_delete, floor(extract(epoch FROM "timestamp") * 1000)::bigint AS ms FROM ledger_history
        WHERE namespace = $1 AND key = $2 ORDER BY block_number DESC, tx_index DESC`,
      [this.#namespace, keyBytes(key)],
    );
    return rows.map((r) => ({ txId: r.tx_id, value: r.value ?? undefined, isDelete: r.is_delete, timestamp: new Date(Number(r.ms)) }));
  }
}
