/**
 * Parsed certificates and CRLs, and the results of checking signatures on them, are pure
 * functions of their DER: a service verifying many documents under the same trust
 * material keeps them, keyed by SHA-256, in bounded least-recently-used caches.
 */
export class LruCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }

  clear(): void {
    this.#map.clear();
  }
}

const all: LruCache<unknown>[] = [];

export function sharedCache<V>(max: number): LruCache<V> {
  const c = new LruCache<V>(max);
  all.push(c as LruCache<unknown>);
  return c;
}

/** Empties every shared cache (benchmarks measuring a cold start; tests of memory bounds). */
export function clearVerifierCaches(): void {
  for (const c of all) c.clear();
}
