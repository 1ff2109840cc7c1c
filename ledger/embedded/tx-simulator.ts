import type { KeyModification, RangeResult, TxContext } from './chaincode-support.ts';
import type { ReadEntry } from './format.ts';
import type { StateStore } from './state-store.ts';

/**
 * Simulates one transaction against the committed state, as Fabric's endorsing peer does:
 * reads come from committed state (never from this transaction's own writes) and are
 * recorded with their versions; writes are buffered into a write set; range queries
 * record the keys they saw so the committer can detect phantoms. Nothing is applied here.
 */
export class TxSimulator implements TxContext {
  /** key → version read (`"<block>:<tx>"`), null when the key did not exist. */
  readonly reads = new Map<string, string | null>();
  /** key → value written, null for a delete; insertion order kept. */
  readonly writes = new Map<string, Buffer | null>();
  readonly ranges: { start: string; end: string; keys: ReadEntry[] }[] = [];
  readonly #store: StateStore;
  #paginated = false;

  constructor(store: StateStore) {
    this.#store = store;
  }

  async getState(key: string): Promise<Buffer | undefined> {
    checkKey(key);
    const found = await this.#store.get(key);
    if (!this.reads.has(key)) this.reads.set(key, found?.version ?? null);
    return found?.value;
  }

  putState(key: string, value: Buffer): void {
    checkKey(key);
    // An empty value is a delete in Fabric's write set (KVWrite.is_delete = len(value) == 0).
    this.writes.set(key, value.length === 0 ? null : value);
  }

  deleteState(key: string): void {
    checkKey(key);
    this.writes.set(key, null);
  }

  async getStateByRange(start: string, end: string, page?: { readonly size: number; readonly bookmark: string }): Promise<RangeResult> {
    if (!page) {
      const rows = await this.#store.range(start, end);
      this.ranges.push({ start, end, keys: rows.map((r) => [r.key, r.version] as const) });
      return { kvs: rows };
    }
    this.#paginated = true;
    const from = page.bookmark && page.bookmark > start ? page.bookmark : start;
    const rows = await this.#store.range(from, end, page.size + 1);
    const more = rows.length > page.size;
    return { kvs: rows.slice(0, page.size), bookmark: more ? rows[page.size]!.key : '' };
  }

  getHistoryForKey(key: string): Promise<readonly KeyModification[]> {
    checkKey(key);
    return this.#store.history(key);
  }

  /**
   * Fabric refuses paginated queries in a transaction that writes: their results are not
   * re-validated at commit.
   */
  checkSubmittable(): string | undefined {
    return this.#paginated && this.writes.size > 0 ? 'paginated queries are supported only in read-only transactions' : undefined;
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
}
