import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond.ts';
import type { Handler } from './router.ts';

/** How much one route lets one client and all clients together do. */
export interface RouteLimits {
  /** Sustained requests per second per client address. */
  readonly ratePerSecond: number;
  /** Requests a client may send at once before the rate applies. @default 2 × ratePerSecond */
  readonly burst?: number;
  /** Requests of this route handled at the same time, all clients together. */
  readonly concurrency: number;
  /** Requests waiting for a slot; beyond this they are refused. @default 4 × concurrency */
  readonly queue?: number;
  /** Client addresses remembered; the least recently seen is forgotten first (bounded memory). @default 10000 */
  readonly maxClients?: number;
}

/**
 * Per-client token buckets and a per-route semaphore: the one mechanism in front of every
 * expensive public route (TSA, OCSP, status pages; the GraphQL gateway reuses it).
 *
 * A client's bucket holds up to `burst` tokens and refills at `ratePerSecond`; a request
 * without a token is refused with the seconds until the next one ({@link limited}). The
 * costly part of an admitted request (a signature, a database read) then runs in one of
 * `concurrency` slots, or waits in a bounded queue; a full queue refuses ({@link slot}).
 * The slot is taken after the body is read, so slow uploads hold no slot; the cap is what
 * keeps CPU-heavy answers from monopolising the event loop when many clients each stay
 * under their rate.
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxClients: number;
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #waiting: Array<() => void> = [];
  readonly #now: () => number;
  #inFlight = 0;

  constructor(limits: Readonly<RouteLimits>, now: () => number = () => performance.now()) {
    this.#rate = limits.ratePerSecond;
    this.#burst = limits.burst ?? Math.max(1, Math.ceil(2 * limits.ratePerSecond));
    this.#maxClients = limits.maxClients ?? 10_000;
    this.#concurrency = limits.concurrency;
    this.#queueLimit = limits.queue ?? 4 * limits.concurrency;
    this.#now = now;
  }

  /**
   * Takes a token from `client`'s bucket.
   * @throws {@link HttpError} 429 `RATE_LIMITED` with `Retry-After` when it has none.
   */
  take(client: string): void {
    const wait = this.#takeToken(client);
    if (wait > 0) throw tooMany('too many requests from this address; retry later', Math.ceil(wait));
  }

  /**
   * Seconds until `client` has a token, without taking one (0: it has one now).
   * For requests that are charged only afterwards, by how they turned out.
   */
  wait(client: string): number {
    const bucket = this.#buckets.get(client);
    if (!bucket) return 0;
    const tokens = Math.min(this.#burst, bucket.tokens + ((this.#now() - bucket.at) / 1000) * this.#rate);
    return tokens >= 1 ? 0 : (1 - tokens) / this.#rate;
  }

  /** Takes a token from `client`'s bucket if it has one; never throws (see {@link wait}). */
  charge(client: string): void {
    this.#takeToken(client);
  }

  /**
   * Runs `work` in one of the route's slots, waiting in the queue when all are taken.
   * @throws {@link HttpError} 429 `RATE_LIMITED` with `Retry-After: 1` when the queue is full too.
   */
  async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inFlight < this.#concurrency) this.#inFlight++;
    else if (this.#waiting.length < this.#queueLimit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else throw tooMany('the service is busy; retry later', 1);
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.#inFlight--;
    }
  }

  /** Seconds until `client` has a token (0: it had one and spent it). */
  #takeToken(client: string): number {
    const now = this.#now();
    let bucket = this.#buckets.get(client);
    if (bucket) {
      this.#buckets.delete(client); // re-inserted below: Map order is then least recently seen first
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
      bucket.at = now;
    } else {
      bucket = { tokens: this.#burst, at: now };
      if (this.#buckets.size >= this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.#rate;
  }
}

/**
 * The key a client is limited by: its address, with IPv4-mapped IPv6 read as IPv4 and an
 * IPv6 address by its /64 (one host usually holds a whole /64). Forwarded-for headers are
 * not trusted: anyone can write them.
 */
export function clientKey(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

function expandIpv6(address: string): string[] | undefined {
  const [head, tail] = address.split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (tail === undefined) return left.length === 8 ? left : undefined;
  return [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
}

/**
 * Wraps a handler in a limiter's per-client rate: over it, the answer is 429
 * `RATE_LIMITED` with `Retry-After` (RFC 9110 §10.2.3) and the handler does not run. The
 * handler runs its costly part through `limiter.slot(…)`.
 */
export function limited(limiter: RateLimiter, handler: Handler): Handler {
  return (req, res, params, url) => {
    limiter.take(clientKey(req));
    return handler(req, res, params, url);
  };
}

export const tooMany = (message: string, retryAfterSeconds: number) =>
  new HttpError(429, 'RATE_LIMITED', message, { 'retry-after': String(retryAfterSeconds) });
