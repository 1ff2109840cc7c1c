import type { ChangeFeed } from './change-feed.ts';

export interface ReadCacheOptions {
  /** Keys this cache holds are `<prefix>:<key>` on the feed; `<prefix>:*` empties it. */
  readonly prefix: string;
  /** Without a feed (one-shot CLI commands, tests of a bare service) nothing is cached. */
  readonly feed: ChangeFeed | undefined;
  /** Longest an entry is served; a bound for the unforeseen, not what keeps entries fresh. */
  readonly ttlMs: number;
  /** @default 10000 */
  readonly maxEntries?: number;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

/**
 * A read-through cache kept coherent by the database's change feed: an entry is dropped
 * when a change to its key is committed, by any process. Serves only while the feed is
 * live. A load that was in flight when any change was heard is answered but not kept, so a
 * value read before a commit cannot outlive the notification of that commit.
 */
export class ReadCache<V> {
  readonly #options: Readonly<ReadCacheOptions>;
  readonly #entries = new Map<string, { value: V; until: number }>();
  #generation = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: Readonly<ReadCacheOptions>) {
    this.#options = options;
    options.feed?.subscribe((event) => {
      if (event.kind === 'reset') return this.clear();
      const [prefix, key] = splitKey(event.key);
      if (prefix !== options.prefix) return;
      if (key === '*') this.clear();
      else this.evict(key);
    });
  }

  get enabled(): boolean {
    return this.#options.ttlMs > 0 && this.#options.feed?.live === true;
  }

  /**
   * The cached value of `key`, else `load()`'s; kept when `keep(value)` says so (a value
   * that will change without a database write announcing it must not be kept).
   */
  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (!this.enabled) return load();
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (entry && entry.until > now) {
      this.#hits++;
      return entry.value;
    }
    this.#misses++;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation && this.enabled && keep(value)) this.#put(key, value, now);
    return value;
  }

  /** Replaces a cached value after a write this process made and already committed (e.g. a last-use stamp). */
  update(key: string, change: (value: V) => V): void {
    const entry = this.#entries.get(key);
    if (entry) entry.value = change(entry.value);
  }

  evict(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }

  #put(key: string, value: V, now: number): void {
    const max = this.#options.maxEntries ?? 10_000;
    this.#entries.delete(key);
    if (this.#entries.size >= max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { value, until: now + this.#options.ttlMs });
  }
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}
