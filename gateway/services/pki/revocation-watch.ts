import pg from 'pg';
import type { Logger } from '../../runtime/logger.ts';

/** The PostgreSQL channel on which revocations are announced, in the revoking transaction. */
export const REVOCATION_CHANNEL = 'zhengyin_certificate_revoked';

const RETRY_MS = 1000;

export interface RevocationWatchOptions {
  /** The service's pool: the watch LISTENs on a connection of its own with the same settings. */
  readonly pool: pg.Pool;
  readonly log: Logger;
}

/**
 * Which certificates are revoked, known in memory so that every signature can check its
 * chain without a database round trip (RFC 5280 §6.3: a revoked certificate cannot sign).
 *
 * It LISTENs on {@link REVOCATION_CHANNEL} (revoke() NOTIFYs in its own transaction, so
 * every process on the database hears it at commit) and loads the full set of revoked
 * ids after each (re)connection, so nothing announced while it was away is missed. While
 * the listening connection is down, `isLive` is false and callers ask the database.
 */
export class RevocationWatch {
  readonly #connection: pg.ClientConfig;
  readonly #pool: pg.Pool;
  readonly #log: Logger;
  readonly #revoked = new Set<string>();
  #client: pg.Client | undefined;
  #live = false;
  #generation = 0;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(options: RevocationWatchOptions) {
    this.#pool = options.pool;
    this.#connection = options.pool.options;
    this.#log = options.log;
  }

  static async start(options: Readonly<RevocationWatchOptions>): Promise<RevocationWatch> {
    const watch = new RevocationWatch(options);
    await watch.#connect();
    return watch;
  }

  /** Whether the in-memory set is current (the listening connection is up). */
  get isLive(): boolean {
    return this.#live;
  }

  /** Changes whenever a revocation is heard of or the set is reloaded: a cache key for things derived from it (CRLs). */
  get generation(): number {
    return this.#generation;
  }

  /** Whether any of `ids` is known to be revoked. Meaningful only while `isLive`. */
  anyRevoked(ids: readonly string[]): boolean {
    return ids.some((id) => this.#revoked.has(id));
  }

  /** Records a revocation this process made (its own NOTIFY arrives too; this is sooner). */
  noteRevoked(id: string): void {
    this.#revoked.add(id);
    this.#generation++;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    clearTimeout(this.#retry);
    await this.#client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#connection);
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client));
    client.on('notification', (n) => {
      if (n.channel === REVOCATION_CHANNEL && n.payload) this.noteRevoked(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      // Listening first, then loading: a revocation committed in between is in one or the other.
      const { rows } = await this.#pool.query<{ id: string }>('SELECT id FROM certificate WHERE revoked_at IS NOT NULL');
      for (const { id } of rows) this.#revoked.add(id);
      this.#generation++;
      this.#client = client;
      this.#live = !this.#closed;
    } catch (e) {
      await client.end().catch(() => undefined);
      this.#lost(client, e);
    }
  }

  #lost(client: pg.Client, error?: unknown): void {
    if (this.#client && this.#client !== client) return;
    this.#live = false;
    this.#client = undefined;
    if (this.#closed || this.#retry) return;
    this.#log.warn('revocation watch lost its database connection; checking revocation in the database until it is back', {
      error: (error as Error | undefined)?.message,
    });
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#closed) void this.#connect();
    }, RETRY_MS);
    this.#retry.unref();
  }
}
