/**
 * Parsed certificates and CRLs, and the results of checking signatures on them, are pure
 * functions of their DER: a service verifying many documents under the same trust
 * material keeps them in bounded least-recently-used caches, keyed by their content.
 */
import { equalBytes } from './pdf/objects.ts';

export class LruCache<V, K = string> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }

  clear(): void {
    this.#map.clear();
  }
}

const BUCKET = 4;

/**
 * A bounded LRU cache keyed by content: a cheap fingerprint (length and sampled bytes)
 * picks a bucket, and byte-for-byte equality with the stored bytes decides. A hit costs
 * a comparison instead of a SHA-256 over the input, and is always the same bytes, so what
 * a lookup returns never depends on what else was cached. Holds at most `max` buckets of
 * {@link BUCKET} entries.
 */
export class ContentCache<V> {
  readonly #buckets: LruCache<{ readonly bytes: Uint8Array; readonly value: V }[], number>;

  constructor(max: number) {
    this.#buckets = new LruCache(max);
  }

  get(bytes: Uint8Array): V | undefined {
    const bucket = this.#buckets.get(fingerprint(bytes));
    if (!bucket) return undefined;
    for (const e of bucket) if (equalBytes(e.bytes, bytes)) return e.value;
    return undefined;
  }

  /** `bytes` must never change afterwards: pass a copy that the value owns. */
  set(bytes: Uint8Array, value: V): void {
    const key = fingerprint(bytes);
    const bucket = (this.#buckets.get(key) ?? []).filter((e) => !equalBytes(e.bytes, bytes));
    bucket.push({ bytes, value });
    if (bucket.length > BUCKET) bucket.shift();
    this.#buckets.set(key, bucket);
  }

  clear(): void {
    this.#buckets.clear();
  }
}

/** Length, about 32 bytes spread over the data and its last 16 bytes, FNV-1a-mixed. */
function fingerprint(b: Uint8Array): number {
  const n = b.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const step = Math.max(1, n >>> 5);
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ b[i]!, 0x01000193);
  for (let i = Math.max(0, n - 16); i < n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

const all: { clear(): void }[] = [];

export function sharedCache<V>(max: number): LruCache<V> {
  const c = new LruCache<V>(max);
  all.push(c);
  return c;
}

export function sharedContentCache<V>(max: number): ContentCache<V> {
  const c = new ContentCache<V>(max);
  all.push(c);
  return c;
}

/** Empties every shared cache (benchmarks measuring a cold start; tests of memory bounds). */
export function clearVerifierCaches(): void {
  for (const c of all) c.clear();
}
