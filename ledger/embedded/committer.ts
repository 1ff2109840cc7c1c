import { sign } from 'node:crypto';
import type pg from 'pg';
import { leafHash, merkleRoot } from '../merkle.ts';
import {
  encodeEntry,
  encodeHeader,
  formatVersion,
  headerHash,
  ZERO_HASH,
  type BlockHeader,
  type ReadEntry,
  type TransactionEntry,
  type ValidationCode,
} from './format.ts';
import type { NodeKey } from './node-identity.ts';
import type { StateStore } from './state-store.ts';

/** An endorsed transaction waiting to be ordered: its entry (without outcome) and read/write sets. */
export interface EndorsedTransaction {
  readonly entry: Omit<TransactionEntry, 'validationCode'>;
  readonly reads: ReadonlyMap<string, string | null>;
  readonly ranges: readonly { readonly start: string; readonly end: string; readonly keys: readonly ReadEntry[] }[];
  readonly writes: ReadonlyMap<string, Buffer | null>;
}

export interface CommittedTransaction {
  readonly txId: string;
  readonly blockNumber: bigint;
  readonly txIndex: number;
  readonly validationCode: ValidationCode;
}

/** Serialises block commits across every process on the database (arbitrary constant). */
const COMMIT_LOCK = 72_707_370;

/**
 * Validates and commits one block, as Fabric's committing peer does, in one PostgreSQL
 * transaction under an advisory lock (so gateways sharing the database never interleave
 * blocks): each transaction's read versions and range results are checked against the
 * state as committed plus the earlier valid transactions of the same block (MVCC); valid
 * ones apply their writes; the block gets the next number, the previous block's header
 * hash, the Merkle root of its entries and the node's signature.
 */
export class Committer {
  readonly #pool: pg.Pool;
  readonly #namespace: string;
  readonly #store: StateStore;
  readonly #nodeKey: NodeKey;

  constructor(p: Readonly<{ pool: pg.Pool; namespace: string; store: StateStore; nodeKey: NodeKey }>) {
    this.#pool = p.pool;
    this.#namespace = p.namespace;
    this.#store = p.store;
    this.#nodeKey = p.nodeKey;
  }

  async commit(txs: readonly EndorsedTransaction[]): Promise<CommittedTransaction[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [COMMIT_LOCK]);
      const result = await this.#commitIn(client, txs);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async #commitIn(client: pg.PoolClient, txs: readonly EndorsedTransaction[]): Promise<CommittedTransaction[]> {
    const ns = this.#namespace;
    const last = await client.query<{ number: string; header_hash: string }>('SELECT number, header_hash FROM ledger_block ORDER BY number DESC LIMIT 1');
    const number = last.rows[0] ? BigInt(last.rows[0].number) + 1n : 0n;
    const previousHash = last.rows[0]?.header_hash ?? ZERO_HASH;

    const touched = new Set<string>();
    for (const tx of txs) {
      for (const k of tx.reads.keys()) touched.add(k);
      for (const k of tx.writes.keys()) touched.add(k);
    }
    const committed = await client.query<{ key: Buffer; block_number: string; tx_index: number }>(
      'SELECT key, block_number, tx_index FROM ledger_state WHERE namespace = $1 AND key = ANY($2::bytea[])',
      [ns, [...touched].map((k) => Buffer.from(k, 'utf8'))],
    );
    // Current version per key: committed state, then overlaid by this block's valid writes.
    const versions = new Map<string, string | null>();
    for (const r of committed.rows) versions.set(r.key.toString('utf8'), formatVersion(BigInt(r.block_number), r.tx_index));
    const blockWrites = new Map<string, { value: Buffer | null; version: string }>();

    const entries: Buffer[] = [];
    const outcomes: CommittedTransaction[] = [];
    const history: { key: Buffer; txIndex: number; txId: string; value: Buffer | null; timestamp: string }[] = [];
    const events: { txId: string; txIndex: number; name: string; payload: Buffer }[] = [];
    for (const [txIndex, tx] of txs.entries()) {
      let code: ValidationCode = 'VALID';
      for (const [key, read] of tx.reads) {
        if ((versions.get(key) ?? null) !== read) {
          code = 'MVCC_READ_CONFLICT';
          break;
        }
      }
      if (code === 'VALID') {
        for (const range of tx.ranges) {
          if (!(await this.#sameRange(client, range, blockWrites))) {
            code = 'PHANTOM_READ_CONFLICT';
            break;
          }
        }
      }
      if (code === 'VALID') {
        const version = formatVersion(number, txIndex);
        for (const [key, value] of tx.writes) {
          versions.set(key, value === null ? null : version);
          blockWrites.set(key, { value, version });
          history.push({ key: Buffer.from(key, 'utf8'), txIndex, txId: tx.entry.txId, value, timestamp: tx.entry.timestamp });
        }
        if (tx.entry.event) {
          events.push({ txId: tx.entry.txId, txIndex, name: tx.entry.event.name, payload: Buffer.from(tx.entry.event.payload, 'base64') });
        }
      }
      entries.push(encodeEntry({ ...tx.entry, validationCode: code }));
      outcomes.push({ txId: tx.entry.txId, blockNumber: number, txIndex, validationCode: code });
    }

    const header: BlockHeader = {
      version: 1,
      number: String(number),
      previousHash,
      dataHash: merkleRoot(entries.map(leafHash)).toString('hex'),
      transactionCount: txs.length,
      time: new Date().toISOString(),
      signerKeyId: this.#nodeKey.keyId,
    };
    const headerBytes = encodeHeader(header);
    await client.query(
      `INSERT INTO ledger_block (number, header, header_hash, previous_hash, data_hash, transaction_count, signer_key_id, signature, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() AT TIME ZONE 'UTC')`,
      [number, headerBytes, headerHash(header), previousHash, header.dataHash, header.transactionCount, header.signerKeyId, sign('sha256', headerBytes, this.#nodeKey.privateKey)],
    );
    await client.query(
      `INSERT INTO ledger_transaction (tx_id, block_number, tx_index, validation_code, creator_msp_id, entry)
       SELECT u.tx_id, $1, u.tx_index, u.code, u.msp, u.entry FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::bytea[]) AS u(tx_id, tx_index, code, msp, entry)`,
      [number, outcomes.map((o) => o.txId), outcomes.map((o) => o.txIndex), outcomes.map((o) => o.validationCode), txs.map((t) => t.entry.creator.mspId), entries],
    );
    const puts = [...blockWrites].filter(([, w]) => w.value !== null);
    const deletes = [...blockWrites].filter(([, w]) => w.value === null).map(([k]) => Buffer.from(k, 'utf8'));
    if (puts.length > 0) {
      await client.query(
        `INSERT INTO ledger_state (namespace, key, value, block_number, tx_index)
         SELECT $1, u.key, u.value, $2, u.tx_index FROM unnest($3::bytea[], $4::bytea[], $5::int[]) AS u(key, value, tx_index)
         ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, block_number = EXCLUDED.block_number, tx_index = EXCLUDED.tx_index`,
        [ns, number, puts.map(([k]) => Buffer.from(k, 'utf8')), puts.map(([, w]) => w.value), puts.map(([, w]) => Number(w.version.split(':')[1]))],
      );
    }
    if (deletes.length > 0) {
      await client.query('DELETE FROM ledger_state WHERE namespace = $1 AND key = ANY($2::bytea[])', [ns, deletes]);
    }
    if (history.length > 0) {
      await client.query(
        `INSERT INTO ledger_history (namespace, key, block_number, tx_index, tx_id, value, is_delete, "timestamp")
         SELECT $1, u.key, $2, u.tx_index, u.tx_id, u.value, u.value IS NULL, (u.ts::timestamptz AT TIME ZONE 'UTC')
           FROM unnest($3::bytea[], $4::int[], $5::text[], $6::bytea[], $7::text[]) AS u(key, tx_index, tx_id, value, ts)`,
        [ns, number, history.map((h) => h.key), history.map((h) => h.txIndex), history.map((h) => h.txId), history.map((h) => h.value), history.map((h) => h.timestamp)],
      );
    }
    if (events.length > 0) {
      await client.query(
        `INSERT INTO ledger_event (tx_id, block_number, tx_index, chaincode, event_name, payload)
         SELECT u.tx_id, $1, u.tx_index, $2, u.name, u.payload FROM unnest($3::text[], $4::int[], $5::text[], $6::bytea[]) AS u(tx_id, tx_index, name, payload)`,
        [number, ns, events.map((e) => e.txId), events.map((e) => e.txIndex), events.map((e) => e.name), events.map((e) => e.payload)],
      );
    }
    return outcomes;
  }

  /** Re-runs a range query against committed state plus this block's earlier writes. */
  async #sameRange(
    client: pg.PoolClient,
    range: { readonly start: string; readonly end: string; readonly keys: readonly ReadEntry[] },
    blockWrites: ReadonlyMap<string, { value: Buffer | null; version: string }>,
  ): Promise<boolean> {
    const now = new Map<string, string>();
    for (const r of await this.#store.range(range.start, range.end, undefined, client)) now.set(r.key, r.version);
    const inRange = (k: string): boolean => Buffer.compare(Buffer.from(k), Buffer.from(range.start)) >= 0 && (range.end === '' || Buffer.compare(Buffer.from(k), Buffer.from(range.end)) < 0);
    for (const [k, w] of blockWrites) {
      if (!inRange(k)) continue;
      if (w.value === null) now.delete(k);
      else now.set(k, w.version);
    }
    if (now.size !== range.keys.length) return false;
    return range.keys.every(([k, v]) => now.get(k) === v);
  }
}
