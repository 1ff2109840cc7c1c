import pg from 'pg';
import type { Logger } from './logger.ts';

/** The channel the database's triggers notify (migration 20261206201000_change_feed). */
export const CHANGE_CHANNEL = 'zhengyin_changes';

/** What a subscriber hears: one changed key (`licence:<identifier>`, `token:<id>`, `licence:*`), or that the feed lost track. */
export type ChangeEvent = { readonly kind: 'changed'; readonly key: string } | { readonly kind: 'reset' };

export interface ChangeFeedOptions {
  /** The same database the service writes to: a connection string or a pool's settings. */
  readonly connection: string | pg.ClientConfig;
  /** @default {@link CHANGE_CHANNEL} */
  readonly channel?: string;
  /** What the feed keeps current, for its log lines. @default 'read caches' */
  readonly purpose?: string;
  /**
   * Runs on each (re)connection after LISTEN and before the feed is live: whatever a
   * subscriber must reload because it may have missed announcements meanwhile. A failure
   * counts as a lost connection.
   */
  readonly onConnect?: () => Promise<void>;
  readonly log: Logger;
  /** First reconnection delay after the listening connection drops; doubles up to 30 s. @default 250 */
  readonly retryMs?: number;
}

/**
 * Hears, over one dedicated LISTEN connection, every committed change the database's
 * triggers announce, whoever wrote it: this process, another gateway, the CLI, psql.
 * PostgreSQL delivers them after commit and in commit order. While the connection is down
 * the feed is not `live` and says `reset` once, so caches that rely on it empty themselves
 * and read through until it is back.
 */
export class ChangeFeed {
  readonly #options: Readonly<ChangeFeedOptions>;
  readonly #subscribers = new Set<(event: ChangeEvent) => void>();
  #client: pg.Client | undefined;
  #live = false;
  #closed = false;
  #retryMs: number;
  #retryTimer: NodeJS.Timeout | undefined;
  #syncs = new Map<string, (heard: boolean) => void>();
  #syncCounter = 0;

  readonly #channel: string;

  private constructor(options: Readonly<ChangeFeedOptions>) {
    this.#options = options;
    this.#channel = options.channel ?? CHANGE_CHANNEL;
    this.#retryMs = options.retryMs ?? 250;
  }

  /** Connects and listens; a feed that cannot connect yet keeps trying and is not live meanwhile. */
  static async open(options: Readonly<ChangeFeedOptions>): Promise<ChangeFeed> {
    const feed = new ChangeFeed(options);
    await feed.#connect();
    return feed;
  }

  /** Whether every change committed from now on will be heard. */
  get live(): boolean {
    return this.#live;
  }

  /** The listening connection's server process id, while connected (for pg_stat_activity). */
  get backendPid(): number | undefined {
    return (this.#client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#subscribers.add(listener);
    return () => this.#subscribers.delete(listener);
  }

  /**
   * Resolves once every change committed before the call has been heard (a NOTIFY of our
   * own, delivered after all earlier commits); false when the feed is not live.
   */
  async sync(timeoutMs = 5000): Promise<boolean> {
    const client = this.#client;
    if (!this.#live || !client) return false;
    const token = `sync:${process.pid}:${++this.#syncCounter}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#syncs.delete(token);
        resolve(false);
      }, timeoutMs);
      this.#syncs.set(token, (wasHeard) => {
        clearTimeout(timer);
        resolve(wasHeard);
      });
    });
    await client.query('SELECT pg_notify($1, $2)', [this.#channel, token]);
    return heard;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#setDown();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const { connection } = this.#options;
    const client = new pg.Client(typeof connection === 'string' ? { connectionString: connection } : connection);
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client));
    client.on('notification', (n) => {
      if (n.channel !== this.#channel || n.payload === undefined) return;
      const sync = this.#syncs.get(n.payload);
      if (sync) {
        this.#syncs.delete(n.payload);
        sync(true);
        return;
      }
      if (!n.payload.startsWith('sync:')) this.#emit({ kind: 'changed', key: n.payload });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
      // Listening first, then reloading: a change committed in between is in one or the other.
      await this.#options.onConnect?.();
    } catch (e) {
      await client.end().catch(() => undefined);
      this.#lost(client, e);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#live = true;
    this.#retryMs = this.#options.retryMs ?? 250;
  }

  #lost(client: pg.Client, error?: unknown): void {
    if (this.#client && this.#client !== client) return;
    this.#client = undefined;
    this.#setDown();
    if (this.#closed || this.#retryTimer) return;
    this.#options.log.warn(`change feed ${this.#channel} lost its database connection; ${this.#purpose} are off until it is back`, {
      error: error instanceof Error ? error.message : undefined,
      retryInMs: this.#retryMs,
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect().then(() => {
        if (this.#live) this.#options.log.info(`change feed ${this.#channel} is listening again; ${this.#purpose} are back on`);
      });
    }, this.#retryMs);
    this.#retryTimer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
  }

  get #purpose(): string {
    return this.#options.purpose ?? 'read caches';
  }

  #setDown(): void {
    const wasLive = this.#live;
    this.#live = false;
    for (const resolve of this.#syncs.values()) resolve(false);
    this.#syncs.clear();
    if (wasLive) this.#emit({ kind: 'reset' });
  }

  #emit(event: ChangeEvent): void {
    for (const listener of this.#subscribers) listener(event);
  }
}
