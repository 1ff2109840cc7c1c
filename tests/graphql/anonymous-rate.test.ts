/**
 * Anonymous GraphQL callers are limited per client address (issue 11, "Verifiers:
 * anonymous, rate-limited per client address"); department and applicant tokens are not,
 * and a made-up token is no way around the limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { useTestApp } from '../support/app.ts';
import { gql } from './support.ts';

const RATE = 2; // bursts of 2 × RATE
const PING = '{ __typename }';

describe('GraphQL: anonymous rate limit per address', () => {
  const t = useTestApp({ ZHENGYIN_GRAPHQL_ANON_RATE: String(RATE) });
  let token: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    token = (await t.app.tokens.mint(OPERATOR, { departmentId: 'scjg', role: 'issuer' })).token;
  });

  it('answers an anonymous address its burst, then 429 RATE_LIMITED with Retry-After, while a department token from the same address goes on', async () => {
    await gql(t.url, PING, { token }); // loads the gateway, uncounted: refills while it loads would blur the burst
    const statuses: number[] = [];
    for (let i = 0; i < 10 * RATE && statuses.at(-1) !== 429; i++) statuses.push((await gql(t.url, PING)).status);
    const over = await fetch(new URL('graphql', t.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PING }) });

    expect(statuses.slice(0, 2 * RATE)).toEqual(Array(2 * RATE).fill(200));
    expect(statuses.at(-1)).toBe(429);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 4 * RATE; i++) {
      const r = await gql(t.url, PING, { token });
      expect(r.status).toBe(200);
    }
  });

  it('charges each refused token to its address: made-up tokens are refused with 429 once the burst is spent', async () => {
    const forged = () => gql(t.url, PING, { token: `zy_${'a'.repeat(13)}_${'A'.repeat(43)}` });
    const statuses: number[] = [];
    for (let i = 0; i < 10 * RATE && statuses.at(-1) !== 429; i++) statuses.push((await forged()).status);

    expect(statuses.slice(0, 2 * RATE)).toEqual(Array(2 * RATE).fill(401));
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
  });

  it('lets OPTIONS preflights through uncounted', async () => {
    let last = 200;
    for (let i = 0; i < 10 * RATE && last !== 429; i++) last = (await gql(t.url, PING)).status;
    expect(last).toBe(429);
    const res = await fetch(new URL('graphql', t.url), { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' } });
    expect(res.status).not.toBe(429);
  });
});
