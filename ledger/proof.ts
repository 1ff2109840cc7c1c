import { createPublicKey, verify } from 'node:crypto';
import type { StoredEvidence } from './evidence.ts';
import { encodeHeader, headerHash, keyId, type BlockHeader, type TransactionEntry } from './embedded/format.ts';
import { leafHash, rootFromPath } from './merkle.ts';

/**
 * Everything needed to check, without the ledger, that a transaction is in a block the
 * node signed: the transaction's entry bytes, its Merkle audit path (RFC 6962), the block
 * header and the node's signature over it. JSON-safe: hand it to anyone.
 */
export interface InclusionProof {
  readonly transactionId: string;
  /** Decimal block number. */
  readonly blockNumber: string;
  /** The transaction entry (the Merkle leaf), base64 of its canonical JSON. */
  readonly entry: string;
  /** Position of the entry in the block, from 0. */
  readonly index: number;
  /** Number of entries in the block. */
  readonly treeSize: number;
  /** Sibling hashes from the leaf to the root, hex. */
  readonly auditPath: readonly string[];
  readonly header: BlockHeader;
  /** Header hash, hex: what the next block's previousHash is. */
  readonly headerHash: string;
  /** ECDSA (SHA-256) signature over the canonical header, DER, base64. */
  readonly signature: string;
  /** The signing node's public key, PEM (SubjectPublicKeyInfo). */
  readonly signerPublicKey: string;
}

export type InclusionProblem =
  | 'MALFORMED'
  | 'TRANSACTION_MISMATCH'
  | 'NOT_IN_BLOCK'
  | 'SIGNER_MISMATCH'
  | 'UNTRUSTED_SIGNER'
  | 'SIGNATURE_INVALID';

/** The verdict on a proof: data, never an exception. */
export interface InclusionVerdict {
  readonly valid: boolean;
  /** Why not, when not valid. */
  readonly problem?: InclusionProblem;
  readonly detail?: string;
  readonly transactionId: string;
  readonly blockNumber: string;
  /** Validation code of the transaction (only 'VALID' transactions changed state). */
  readonly validationCode?: string;
  /** The evidence records the transaction wrote. */
  readonly records: readonly StoredEvidence[];
}

export interface VerifyProofOptions {
  /**
   * Node public keys (PEM) to trust. Without it the proof's own key is used, which shows
   * integrity but not who signed; pass the node's key to check that too.
   */
  readonly trustedSigners?: readonly string[];
}

/**
 * Checks an inclusion proof: the entry belongs to the named transaction; its leaf hash and
 * audit path lead to the header's data hash; the header is signed by the proof's key;
 * that key is the one the header names and, if given, a trusted one. Pure: no I/O.
 *
 * @example
 * const proof = await ledger.prove(receipt.transactionId);
 * verifyInclusionProof(proof, { trustedSigners: [nodePublicKeyPem] }).valid; // true
 */
export function verifyInclusionProof(proof: InclusionProof, options: VerifyProofOptions = {}): InclusionVerdict {
  const base = { transactionId: String(proof?.transactionId), blockNumber: String(proof?.blockNumber) };
  const fail = (problem: InclusionProblem, detail: string, records: readonly StoredEvidence[] = []): InclusionVerdict => ({
    ...base,
    valid: false,
    problem,
    detail,
    records,
  });
  let entryBytes: Buffer;
  let entry: TransactionEntry;
  let path: Buffer[];
  try {
    entryBytes = Buffer.from(proof.entry, 'base64');
    entry = JSON.parse(entryBytes.toString('utf8')) as TransactionEntry;
    path = proof.auditPath.map((h) => {
      if (!/^[0-9a-f]{64}$/.test(h)) throw new Error('audit path holds a non-hash');
      return Buffer.from(h, 'hex');
    });
  } catch (e) {
    return fail('MALFORMED', (e as Error).message);
  }
  const records = recordsInEntry(entry);
  if (entry.txId !== proof.transactionId) return fail('TRANSACTION_MISMATCH', `entry is of transaction ${entry.txId}`, records);
  if (proof.header?.number !== proof.blockNumber) return fail('TRANSACTION_MISMATCH', 'header is of another block', records);
  if (proof.header.transactionCount !== proof.treeSize) return fail('NOT_IN_BLOCK', 'tree size differs from the block’s transaction count', records);

  const root = rootFromPath(leafHash(entryBytes), proof.index, proof.treeSize, path);
  if (!root || root.toString('hex') !== proof.header.dataHash) {
    return fail('NOT_IN_BLOCK', 'leaf and audit path do not lead to the block’s data hash', records);
  }
  if (headerHash(proof.header) !== proof.headerHash) return fail('MALFORMED', 'header hash does not match the header', records);

  let signerKeyId: string;
  try {
    signerKeyId = keyId(proof.signerPublicKey);
  } catch (e) {
    return fail('MALFORMED', `signer public key: ${(e as Error).message}`, records);
  }
  if (signerKeyId !== proof.header.signerKeyId) return fail('SIGNER_MISMATCH', 'the header names another signer key', records);
  if (options.trustedSigners && !options.trustedSigners.some((k) => safeKeyId(k) === signerKeyId)) {
    return fail('UNTRUSTED_SIGNER', `signer key ${signerKeyId} is not trusted`, records);
  }
  let signatureOk: boolean;
  try {
    signatureOk = verify('sha256', encodeHeader(proof.header), createPublicKey(proof.signerPublicKey), Buffer.from(proof.signature, 'base64'));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return fail('SIGNATURE_INVALID', 'the node signature over the block header does not verify', records);
  return { ...base, valid: true, validationCode: entry.validationCode, records };
}

function safeKeyId(pem: string): string | undefined {
  try {
    return keyId(pem);
  } catch {
    return undefined;
  }
}

// The contract's evidence keys: composite key (evidence, [evidenceId]) = \0evidence\0<id>\0.
const EVIDENCE_KEY = /^\u0000evidence\u0000[^\u0000]+\u0000$/;

/** The evidence records a transaction entry wrote (none unless it was VALID). */
export function recordsInEntry(entry: TransactionEntry): StoredEvidence[] {
  if (entry.validationCode !== 'VALID' || !Array.isArray(entry.writes)) return [];
  return entry.writes.flatMap(([key, value]) => {
    if (value === null || !EVIDENCE_KEY.test(key)) return [];
    try {
      return [JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as StoredEvidence];
    } catch {
      return [];
    }
  });
}

export type ChainProblemKind =
  | 'MISSING_BLOCK'
  | 'HEADER_MISMATCH'
  | 'PREVIOUS_HASH_MISMATCH'
  | 'DATA_HASH_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'UNTRUSTED_SIGNER'
  | 'TRANSACTION_MISMATCH'
  | 'STATE_MISMATCH'
  | 'HISTORY_MISMATCH'
  | 'EVENT_MISMATCH';

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  readonly blockNumber?: string;
  readonly transactionId?: string;
  /** The world-state key concerned, as JSON text (composite keys hold U+0000). */
  readonly key?: string;
  readonly detail: string;
}

/** The verdict on the whole embedded chain. */
export interface ChainVerdict {
  readonly valid: boolean;
  readonly height: bigint;
  readonly transactions: number;
  readonly problems: readonly ChainProblem[];
}
