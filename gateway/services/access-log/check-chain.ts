import { entryHashOf, GENESIS_HASH, type AccessLogEntry } from './entry.ts';

/** A head of the log as the ledger holds it (`accesslog.head`). */
export interface AnchoredHead {
  readonly sequence: number;
  readonly headHash: string;
  readonly transactionId: string;
}

/**
 * What is wrong with an entry, first problem only:
 * - `ENTRY_HASH`: its fields do not hash to its stored entry hash (a field changed after it was written);
 * - `PREVIOUS_HASH`: it does not link to the entry before (an entry before it was changed, replaced or moved);
 * - `SEQUENCE_GAP`: entries before it are missing (deleted), or it is out of place;
 * - `ANCHOR_MISMATCH`: its hash is not the head the ledger anchored for its sequence (the log was rewritten consistently);
 * - `MISSING`: the ledger anchored a head at this sequence, but the log ends before it (entries deleted at the end).
 */
export type ChainBreakKind = 'ENTRY_HASH' | 'PREVIOUS_HASH' | 'SEQUENCE_GAP' | 'ANCHOR_MISMATCH' | 'MISSING';

export interface ChainBreak {
  readonly sequence: number;
  readonly kind: ChainBreakKind;
  /** One sentence: what differs, with both values. */
  readonly detail: string;
}

export interface AccessLogVerdict {
  readonly ok: boolean;
  /** Entries read. */
  readonly entries: number;
  /** Sequence and hash of the last entry; 0 and the genesis hash for an empty log. */
  readonly head: { readonly sequence: number; readonly entryHash: string };
  /** Anchored heads on the ledger that matched the log. */
  readonly anchorsChecked: number;
  /** The highest anchored sequence; entries after it are not yet covered by the ledger. */
  readonly lastAnchoredSequence: number;
  /** The first broken entry, in log order; undefined when `ok`. */
  readonly firstBreak: ChainBreak | undefined;
}

/**
 * Recomputes the chain entry by entry (sequence 1, 2, 3, … each hashing to its stored hash
 * and linking to the one before) and holds it against the heads anchored on the ledger.
 * Stops at the first break: everything after it is unverifiable by construction.
 *
 * @param entries - The log in ascending sequence order, as stored.
 * @param anchors - Every anchored head, any order.
 */
export async function checkChain(entries: AsyncIterable<AccessLogEntry>, anchors: readonly AnchoredHead[]): Promise<AccessLogVerdict> {
  const bySequence = new Map<number, AnchoredHead>();
  let lastAnchoredSequence = 0;
  for (const a of anchors) {
    bySequence.set(a.sequence, a);
    lastAnchoredSequence = Math.max(lastAnchoredSequence, a.sequence);
  }
  let previous = { sequence: 0, entryHash: GENESIS_HASH };
  let count = 0;
  let anchorsChecked = 0;
  const verdict = (firstBreak?: ChainBreak): AccessLogVerdict => ({ ok: !firstBreak, entries: count, head: previous, anchorsChecked, lastAnchoredSequence, firstBreak });

  for await (const entry of entries) {
    count++;
    const expected = previous.sequence + 1;
    if (entry.sequence !== expected) {
      return verdict({
        sequence: expected,
        kind: 'SEQUENCE_GAP',
        detail: `entry ${expected} is missing: the entry after ${previous.sequence} is numbered ${entry.sequence}`,
      });
    }
    const recomputed = entryHashOf(entry);
    if (recomputed !== entry.entryHash) {
      return verdict({
        sequence: entry.sequence,
        kind: 'ENTRY_HASH',
        detail: `its fields hash to ${recomputed}, but its stored entry hash is ${entry.entryHash}: a field was changed after it was written`,
      });
    }
    if (entry.previousHash !== previous.entryHash) {
      return verdict({
        sequence: entry.sequence,
        kind: 'PREVIOUS_HASH',
        detail: `it links to ${entry.previousHash}, but the entry before (${previous.sequence}) hashes to ${previous.entryHash}`,
      });
    }
    const anchor = bySequence.get(entry.sequence);
    if (anchor) {
      if (anchor.headHash !== entry.entryHash) {
        return verdict({
          sequence: entry.sequence,
          kind: 'ANCHOR_MISMATCH',
          detail: `the ledger anchored ${anchor.headHash} for it (transaction ${anchor.transactionId}), the log has ${entry.entryHash}`,
        });
      }
      anchorsChecked++;
    }
    previous = { sequence: entry.sequence, entryHash: entry.entryHash };
  }
  if (lastAnchoredSequence > previous.sequence) {
    const anchor = bySequence.get(lastAnchoredSequence)!;
    return verdict({
      sequence: previous.sequence + 1,
      kind: 'MISSING',
      detail: `the log ends at ${previous.sequence}, but the ledger anchored a head at ${lastAnchoredSequence} (transaction ${anchor.transactionId})`,
    });
  }
  return verdict();
}
