import { createPublicKey, type KeyObject } from 'node:crypto';
import { sha256Hex } from '../../common/index.ts';
import { canonicalJson } from '../canonical.ts';

/**
 * The embedded ledger's on-disk formats. A block header is hashed and signed as its
 * canonical JSON; a transaction entry (a Merkle leaf of its block) is stored as its
 * canonical JSON bytes, so whoever holds the bytes can recompute every hash.
 */

/** Fabric's TxValidationCode names for the outcomes the embedded committer produces. */
export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT';

export interface BlockHeader {
  readonly version: 1;
  /** Decimal block number; block 0 is the first. */
  readonly number: string;
  /** Header hash of the previous block, hex; 64 zeros for block 0. */
  readonly previousHash: string;
  /** Merkle root (RFC 6962) of the block's transaction entries, hex. */
  readonly dataHash: string;
  readonly transactionCount: number;
  /** When the block was cut, ISO 8601. */
  readonly time: string;
  /** SHA-256 of the signing node key's SubjectPublicKeyInfo (DER), hex. */
  readonly signerKeyId: string;
}

/** A `[key, version]` pair of a read set; version `"<block>:<tx>"`, null when the key did not exist. */
export type ReadEntry = readonly [key: string, version: string | null];
/** A `[key, value]` pair of a write set; value base64, null for a delete. */
export type WriteEntry = readonly [key: string, value: string | null];

/** One transaction as its block holds it: proposal, simulation results and validation outcome. */
export interface TransactionEntry {
  readonly version: 1;
  readonly txId: string;
  readonly channel: string;
  readonly chaincode: string;
  /** The proposal's timestamp, ISO 8601. */
  readonly timestamp: string;
  readonly creator: { readonly mspId: string; readonly certificateSha256: string };
  /** Function name and arguments, base64. */
  readonly args: readonly string[];
  readonly response: { readonly status: number; readonly message: string; readonly payload: string };
  readonly reads: readonly ReadEntry[];
  /** Range queries with the keys they saw, re-checked at commit (phantom reads). */
  readonly ranges: readonly { readonly start: string; readonly end: string; readonly keys: readonly ReadEntry[] }[];
  readonly writes: readonly WriteEntry[];
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly validationCode: ValidationCode;
}

export const ZERO_HASH = '0'.repeat(64);

export const encodeHeader = (header: BlockHeader): Buffer => Buffer.from(canonicalJson(header), 'utf8');
export const headerHash = (header: BlockHeader): string => sha256Hex(encodeHeader(header));
export const encodeEntry = (entry: TransactionEntry): Buffer => Buffer.from(canonicalJson(entry), 'utf8');

/** SHA-256 of a public key's SubjectPublicKeyInfo DER, hex: how a block names its signer. */
export function keyId(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return sha256Hex(key.export({ type: 'spki', format: 'der' }));
}

export const formatVersion = (block: bigint, tx: number): string => `${block}:${tx}`;
