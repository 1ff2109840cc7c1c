import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientKey, RateLimiter } from '../../gateway/http/rate-limit.ts';
import { createThrottledLog } from '../../gateway/runtime/log-throttle.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('RateLimiter', () => {
  it('lets a client spend its burst, refuses the next with Retry-After, and refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 2, concurrency: 1 }, () => now);

    limiter.take('198.51.100.7');
    limiter.take('198.51.100.7');
    const refused = refusal(() => limiter.take('198.51.100.7'));
    limiter.take('198.51.100.8'); // another client has its own bucket
    now += 1000;

    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', headers: { 'retry-after': '1' } });
    expect(refusal(() => limiter.take('198.51.100.7'))).toBeUndefined();
  });

  it('remembers at most maxClients addresses, forgetting the least recently seen', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, concurrency: 1, maxClients: 2 }, () => 0);

    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // forgets 'a'

    expect(refusal(() => limiter.take('a'))).toBeUndefined(); // a fresh bucket
    expect(refusal(() => limiter.take('c'))).toMatchObject({ status: 429 });
  });

  it('runs at most `concurrency` at once, queues up to `queue`, and refuses beyond', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 100, concurrency: 1, queue: 1 });
    let release!: () => void;
    const order: string[] = [];
    const first = limiter.slot(() => new Promise<void>((r) => (release = r)).then(() => order.push('first')));
    const second = limiter.slot(async () => order.push('second'));
    const third = limiter.slot(async () => order.push('third'));

    await expect(third).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    await limiter.slot(async () => order.push('after')); // every slot was given back
    expect(order).toEqual(['first', 'second', 'after']);
  });

  it.each([
    ['IPv4', '203.0.113.9', '203.0.113.9'],
    ['IPv4-mapped IPv6', '::ffff:203.0.113.9', '203.0.113.9'],
    ['IPv6, by its /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['compressed IPv6', '2001:db8::1', '2001:db8:0:0::/64'],
  ])('keys %s clients as %s', (_name, address, key) => {
    expect(clientKey({ socket: { remoteAddress: address } } as IncomingMessage)).toBe(key);
  });
});

describe('createThrottledLog', () => {
  it('writes the first event of a kind, then one summary of the rest', () => {
    const lines: string[] = [];
    const log = createThrottledLog(createLogger({ write: (l) => lines.push(l) }));

    for (let i = 0; i < 1000; i++) log.note('CLIENT_ABORTED', 'a client closed its connection');
    log.note('INVALID_PATH', 'refused a malformed request');
    log.flush();

    expect(lines).toEqual([
      'WARN: a client closed its connection kind=CLIENT_ABORTED',
      'WARN: refused a malformed request kind=INVALID_PATH',
      'WARN: a client closed its connection (999 more in the last 60 s) kind=CLIENT_ABORTED suppressed=999',
    ]);
  });

  it('keeps a multi-line message on one line', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l) }).error('failed', { error: 'first\nsecond' });

    expect(lines).toEqual(['ERROR: failed error=first ⏎ second']);
  });
});
