import { randomUUID } from 'node:crypto';

export interface SealedDocumentsOptions {
  /** How long a sealed PDF is kept; match the download links' lifetime. @default 300 s */
  readonly ttlSeconds?: number;
  /** Bytes kept at most, all documents together; the oldest go first. @default 256 MiB */
  readonly maxBytes?: number;
  /** @default () => Date.now() */
  readonly now?: () => number;
}

interface Held {
  readonly bytes: Uint8Array;
  readonly expiresAt: number;
}

/**
 * PDFs sealed on request (GraphQL `applySeal`), held in memory only until their signed
 * download link expires: the caller's document is theirs, not a record of ours, so it is
 * never written to the database or disk. A gateway restart loses them; the caller seals
 * again.
 */
export class SealedDocuments {
  readonly #held = new Map<string, Held>();
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: Readonly<SealedDocumentsOptions> = {}) {
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  /** Keeps a sealed PDF; returns the unguessable id its download link names. */
  put(bytes: Uint8Array): string {
    this.#sweep();
    // Map iteration is insertion order: the first entries are the oldest.
    for (const [id, held] of this.#held) {
      if (this.#bytes + bytes.length <= this.#maxBytes) break;
      this.#drop(id, held);
    }
    const id = randomUUID();
    this.#held.set(id, { bytes, expiresAt: this.#now() + this.#ttlMs });
    this.#bytes += bytes.length;
    return id;
  }

  /** The sealed PDF, or undefined once expired or pushed out. */
  get(id: string): Uint8Array | undefined {
    const held = this.#held.get(id);
    if (!held) return undefined;
    if (held.expiresAt <= this.#now()) {
      this.#drop(id, held);
      return undefined;
    }
    return held.bytes;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, held] of this.#held) if (held.expiresAt <= now) this.#drop(id, held);
  }

  #drop(id: string, held: Held): void {
    this.#held.delete(id);
    this.#bytes -= held.bytes.length;
  }
}
