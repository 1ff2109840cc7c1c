// The read caches of the running service (tokens, anchored licences) against the real
// database: a change committed by another connection — another gateway, the CLI, psql —
// reaches them through the change feed; while the feed is down nothing is served from memory.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../gateway/runtime/process-util.ts';
import { ReadCache } from '../../gateway/runtime/read-cache.ts';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import type { Licence } from '../../gateway/services/licences/index.ts';
import { TokenRefusedError } from '../../gateway/services/tokens/index.ts';
import { useTestApp } from '../support/app.ts';

describe('read caches kept coherent by the change feed', () => {
  const t = useTestApp();
  const feed = () => t.app.changeFeed!;
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  /** Another process's write: a connection of its own, no service code. */
  async function elsewhere(sql: string, params: unknown[] = []): Promise<unknown[]> {
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async function anchoredLicence(): Promise<Licence> {
    const { licence } = await issueDemoLicence(t.app.services);
    let read = licence;
    expect(await waitFor(async () => Boolean((read = await t.app.services.licences.get(OPERATOR, licence.identifier)).anchor), 20_000)).toBe(true);
    return read;
  }

  it('serves an anchored licence from memory until another connection changes it, then the change', async () => {
    expect(feed().live).toBe(true);
    const licence = await anchoredLicence();
    const licences = t.app.services.licences;
    await licences.get(OPERATOR, licence.identifier);
    const before = licences.cacheStats();
    expect((await licences.get(OPERATOR, licence.identifier)).status).toBe('valid');
    expect(licences.cacheStats().hits).toBe(before.hits + 1);

    await elsewhere(`UPDATE licence SET status = 'revoked', status_reason = 'by another gateway' WHERE identifier = $1`, [licence.identifier]);
    expect(await feed().sync()).toBe(true);
    const after = await licences.get(OPERATOR, licence.identifier);
    expect(after.status).toBe('revoked');
    expect(after.statusReason).toBe('by another gateway');
  });

  it("drops every licence when a type's or department's name changes", async () => {
    const licence = await anchoredLicence();
    await elsewhere(`UPDATE licence_type SET name = name || '（新）' WHERE code = $1`, [licence.typeCode]);
    expect(await feed().sync()).toBe(true);
    expect((await t.app.services.licences.get(OPERATOR, licence.identifier)).typeName).toBe(`${licence.typeName}（新）`);
    await elsewhere(`UPDATE licence_type SET name = $2 WHERE code = $1`, [licence.typeCode, licence.typeName]);
  });

  it('shows this process\'s own change at once, without waiting for the feed', async () => {
    const licence = await anchoredLicence();
    await t.app.services.licences.get(OPERATOR, licence.identifier);
    await t.app.services.licences.changes.suspend(OPERATOR, licence.identifier, '调查中');
    expect((await t.app.services.licences.get(OPERATOR, licence.identifier)).status).toBe('suspended');
  });

  it('refuses a cached token once another connection revokes it', async () => {
    const { token, info } = await t.app.tokens.mint(OPERATOR, { departmentId: (await anchoredLicence()).departmentId, role: 'handler' });
    await t.app.tokens.authenticate(token);
    await t.app.tokens.authenticate(token);
    await elsewhere(`UPDATE api_token SET revoked_at = now() WHERE id = $1`, [info.id]);
    expect(await feed().sync()).toBe(true);
    await expect(t.app.tokens.authenticate(token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    await expect(t.app.tokens.authenticate(token)).rejects.toBeInstanceOf(TokenRefusedError);
  });

  it('reads through while the feed has lost its connection, and caches again once it is back', async () => {
    const licence = await anchoredLicence();
    const licences = t.app.services.licences;
    await licences.get(OPERATOR, licence.identifier);
    expect(await elsewhere('SELECT pg_terminate_backend($1) AS done', [feed().backendPid])).toEqual([{ done: true }]);
    expect(await waitFor(() => !feed().live, 5000, 10)).toBe(true);

    // Down: a change is seen at once although nobody could announce it.
    await elsewhere(`UPDATE licence SET status_reason = 'while the feed was down' WHERE identifier = $1`, [licence.identifier]);
    const misses = licences.cacheStats().misses;
    expect((await licences.get(OPERATOR, licence.identifier)).statusReason).toBe('while the feed was down');
    expect(licences.cacheStats().misses).toBe(misses); // not even counted: the cache is off
    expect(licences.cacheStats().size).toBe(0);

    expect(await waitFor(() => feed().live, 10_000, 50)).toBe(true);
    await licences.get(OPERATOR, licence.identifier);
    const hits = licences.cacheStats().hits;
    await licences.get(OPERATOR, licence.identifier);
    expect(licences.cacheStats().hits).toBe(hits + 1);
  });

  it('does not keep a value whose load overlapped a change', async () => {
    const cache = new ReadCache<number>({ prefix: 'test', feed: feed(), ttlMs: 60_000 });
    let loads = 0;
    const load = async (): Promise<number> => {
      loads++;
      if (loads === 1) cache.evict('k'); // a change heard while the first load was reading
      return loads;
    };
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(2);
    expect(await cache.get('k', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('forgets an entry after its time to live', async () => {
    const cache = new ReadCache<number>({ prefix: 'test', feed: feed(), ttlMs: 30 });
    let loads = 0;
    await cache.get('k', async () => ++loads);
    await cache.get('k', async () => ++loads);
    expect(loads).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await cache.get('k', async () => ++loads);
    expect(loads).toBe(2);
  });
});
