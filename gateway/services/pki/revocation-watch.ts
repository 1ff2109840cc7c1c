import type pg from 'pg';
import { ChangeFeed } from '../../runtime/change-feed.ts';
import type { Logger } from '../../runtime/logger.ts';

/** The PostgreSQL channel on which revocations are announced, in the revoking transaction. */
export const REVOCATION_CHANNEL = 'zhengyin_certificate_revoked';

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
  readonly #revoked = new Set<string>();
  #feed!: ChangeFeed;
  #generation = 0;

  private constructor() {}

  static async start(options: Readonly<RevocationWatchOptions>): Promise<RevocationWatch> {
    const watch = new RevocationWatch();
    watch.#feed = await ChangeFeed.open({
      connection: options.pool.options,
      channel: REVOCATION_CHANNEL,
      purpose: 'in-memory revocation checks (the database is asked instead)',
      log: options.log,
      onConnect: async () => {
        const { rows } = await options.pool.query<{ id: string }>('SELECT id FROM certificate WHERE revoked_at IS NOT NULL');
        for (const { id } of rows) watch.#revoked.add(id);
        watch.#generation++;
      },
    });
    watch.#feed.subscribe((event) => {
      if (event.kind === 'changed') watch.noteRevoked(event.key);
    });
    return watch;
  }

  /** Whether the in-memory set is current (the listening connection is up). */
  get isLive(): boolean {
    return this.#feed.live;
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

  close(): Promise<void> {
    return this.#feed.close();
  }
}
