import { createPublicKey, verify } from 'node:crypto';
import type pg from 'pg';
import { leafHash, merkleRoot } from '../merkle.ts';
import type { ChainProblem, ChainVerdict } from '../proof.ts';
import { encodeHeader, formatVersion, headerHash, keyId, ZERO_HASH, type BlockHeader, type TransactionEntry } from './format.ts';

interface Expected {
  value: string | null;
  version: string;
}

/**
 * Re-checks the whole embedded chain against the node key: every block's header fields,
 * header hash, link to the previous block, signature and Merkle root over its entries;
 * every transaction row against its entry; then replays the VALID entries' write sets
 * and compares the world state, the history and the events with what the blocks say.
 * Any byte changed in a block, an entry, a state row or a history row is reported.
 * Holds the replayed state in memory: linear in the ledger's size.
 */
export async function verifyChain(p: Readonly<{ pool: pg.Pool; namespace: string; trustedSigner: string }>): Promise<ChainVerdict> {
  const problems: ChainProblem[] = [];
  const trustedKey = createPublicKey(p.trustedSigner);
  const trustedKeyId = keyId(trustedKey);
  const state = new Map<string, Expected>();
  const history = new Map<string, string | null>();
  const events = new Map<string, string>();
  let previous = ZERO_HASH;
  let expectedNumber = 0n;
  let transactions = 0;

  const { rows: blocks } = await p.pool.query<{
    number: string;
    header: Buffer;
    header_hash: string;
    previous_hash: string;
    data_hash: string;
    transaction_count: number;
    signer_key_id: string;
    signature: Buffer;
  }>('SELECT number, header, header_hash, previous_hash, data_hash, transaction_count, signer_key_id, signature FROM ledger_block ORDER BY number');

  for (const b of blocks) {
    const number = BigInt(b.number);
    const at = { blockNumber: b.number };
    if (number !== expectedNumber) problems.push({ kind: 'MISSING_BLOCK', ...at, detail: `expected block ${expectedNumber}` });
    expectedNumber = number + 1n;
    let header: BlockHeader;
    try {
      header = JSON.parse(b.header.toString('utf8')) as BlockHeader;
    } catch {
      problems.push({ kind: 'HEADER_MISMATCH', ...at, detail: 'header is not JSON' });
      continue;
    }
    if (!encodeHeader(header).equals(b.header)) problems.push({ kind: 'HEADER_MISMATCH', ...at, detail: 'header is not in canonical form' });
    const fields: [string, unknown, unknown][] = [
      ['number', header.number, b.number],
      ['previousHash', header.previousHash, b.previous_hash],
      ['dataHash', header.dataHash, b.data_hash],
      ['transactionCount', header.transactionCount, b.transaction_count],
      ['signerKeyId', header.signerKeyId, b.signer_key_id],
      ['headerHash', headerHash(header), b.header_hash],
    ];
    for (const [name, inHeader, inRow] of fields) {
      if (inHeader !== inRow) problems.push({ kind: 'HEADER_MISMATCH', ...at, detail: `${name} of the row differs from the signed header` });
    }
    if (header.previousHash !== previous) problems.push({ kind: 'PREVIOUS_HASH_MISMATCH', ...at, detail: 'does not link to the previous block’s header hash' });
    previous = headerHash(header);
    if (header.signerKeyId !== trustedKeyId) problems.push({ kind: 'UNTRUSTED_SIGNER', ...at, detail: `signed by key ${header.signerKeyId}` });
    else if (!verify('sha256', encodeHeader(header), trustedKey, b.signature)) problems.push({ kind: 'SIGNATURE_INVALID', ...at, detail: 'node signature does not verify' });

    const { rows: txs } = await p.pool.query<{ tx_id: string; tx_index: number; validation_code: string; creator_msp_id: string; entry: Buffer }>(
      'SELECT tx_id, tx_index, validation_code, creator_msp_id, entry FROM ledger_transaction WHERE block_number = $1 ORDER BY tx_index',
      [b.number],
    );
    transactions += txs.length;
    if (merkleRoot(txs.map((t) => leafHash(t.entry))).toString('hex') !== header.dataHash || txs.length !== header.transactionCount) {
      problems.push({ kind: 'DATA_HASH_MISMATCH', ...at, detail: 'the transactions do not hash to the block’s data hash' });
    }
    for (const [i, t] of txs.entries()) {
      let entry: TransactionEntry;
      try {
        entry = JSON.parse(t.entry.toString('utf8')) as TransactionEntry;
      } catch {
        problems.push({ kind: 'TRANSACTION_MISMATCH', ...at, transactionId: t.tx_id, detail: 'entry is not JSON' });
        continue;
      }
      if (t.tx_index !== i || entry.txId !== t.tx_id || entry.validationCode !== t.validation_code || entry.creator?.mspId !== t.creator_msp_id) {
        problems.push({ kind: 'TRANSACTION_MISMATCH', ...at, transactionId: t.tx_id, detail: 'row differs from its entry' });
      }
      if (entry.validationCode !== 'VALID' || entry.chaincode !== p.namespace) continue;
      const version = formatVersion(number, i);
      for (const [key, value] of entry.writes) {
        history.set(`${JSON.stringify(key)} ${version}`, value);
        if (value === null) state.delete(key);
        else state.set(key, { value, version });
      }
      if (entry.event) events.set(entry.txId, `${version} ${entry.event.name} ${entry.event.payload}`);
    }
  }

  const { rows: stateRows } = await p.pool.query<{ key: Buffer; value: Buffer; block_number: string; tx_index: number }>(
    'SELECT key, value, block_number, tx_index FROM ledger_state WHERE namespace = $1',
    [p.namespace],
  );
  const seen = new Set<string>();
  for (const r of stateRows) {
    const key = r.key.toString('utf8');
    seen.add(key);
    const expected = state.get(key);
    const version = formatVersion(BigInt(r.block_number), r.tx_index);
    if (!expected) problems.push({ kind: 'STATE_MISMATCH', key: JSON.stringify(key), detail: 'no block wrote this key' });
    else if (expected.value !== r.value.toString('base64') || expected.version !== version) {
      problems.push({ kind: 'STATE_MISMATCH', key: JSON.stringify(key), detail: `differs from the value block ${expected.version} wrote` });
    }
  }
  for (const key of state.keys()) {
    if (!seen.has(key)) problems.push({ kind: 'STATE_MISMATCH', key: JSON.stringify(key), detail: 'written by a block but missing from the state' });
  }

  const { rows: historyRows } = await p.pool.query<{ key: Buffer; block_number: string; tx_index: number; value: Buffer | null }>(
    'SELECT key, block_number, tx_index, value FROM ledger_history WHERE namespace = $1',
    [p.namespace],
  );
  for (const r of historyRows) {
    const id = `${JSON.stringify(r.key.toString('utf8'))} ${formatVersion(BigInt(r.block_number), r.tx_index)}`;
    const value = r.value === null ? null : r.value.toString('base64');
    if (!history.has(id) || history.get(id) !== value) problems.push({ kind: 'HISTORY_MISMATCH', key: id, detail: 'history row differs from the blocks' });
    history.delete(id);
  }
  for (const id of history.keys()) problems.push({ kind: 'HISTORY_MISMATCH', key: id, detail: 'written by a block but missing from the history' });

  const { rows: eventRows } = await p.pool.query<{ tx_id: string; block_number: string; tx_index: number; event_name: string; payload: Buffer }>(
    'SELECT tx_id, block_number, tx_index, event_name, payload FROM ledger_event WHERE chaincode = $1',
    [p.namespace],
  );
  for (const r of eventRows) {
    const actual = `${formatVersion(BigInt(r.block_number), r.tx_index)} ${r.event_name} ${r.payload.toString('base64')}`;
    if (events.get(r.tx_id) !== actual) problems.push({ kind: 'EVENT_MISMATCH', transactionId: r.tx_id, detail: 'event differs from its transaction entry' });
    events.delete(r.tx_id);
  }
  for (const txId of events.keys()) problems.push({ kind: 'EVENT_MISMATCH', transactionId: txId, detail: 'event of a valid transaction is missing' });

  return { valid: problems.length === 0, height: expectedNumber, transactions, problems };
}
