import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../common/index.ts';
import { SealedDocuments } from '../../gateway/auth/sealed-documents.ts';
import { DownloadLinks } from '../../gateway/auth/download-links.ts';
import { createGraphQLGateway } from '../../gateway/graphql/yoga.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { useTestApp } from '../support/app.ts';

const PORTAL = 'https://portal.example.gov.cn';
const APP = 'https://app.example.gov.cn';
const EVIL = 'https://evil.example.com';

const preflight = (origin: string): RequestInit => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
});
const post = (origin: string): RequestInit => ({
  method: 'POST',
  headers: { origin, 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ __typename }' }),
});

/** The CORS headers of a response, by name. */
const cors = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-')));

describe('CORS on /graphql by ZHENGYIN_CORS_ORIGINS', () => {
  const t = useTestApp({ ZHENGYIN_CORS_ORIGINS: `${PORTAL}, ${APP}` });
  const url = () => new URL('graphql', t.url);
  const inProcess = (corsOrigins?: readonly string[] | '*') =>
    createGraphQLGateway({
      services: { ...t.app.services, tokens: t.app.tokens },
      downloads: new DownloadLinks({ key: randomBytes(32), publicUrl: t.url }),
      sealed: new SealedDocuments({ prisma: t.db.prisma, key: randomBytes(32) }),
      log: createLogger({ level: 'silent' }),
      ...(corsOrigins ? { corsOrigins } : {}),
    });

  it.each([PORTAL, APP])('lets a configured origin (%s) through the preflight and read the answer, its own origin echoed', async (origin) => {
    const pre = await fetch(url(), preflight(origin));
    expect(pre.status).toBe(204);
    expect(cors(pre)).toMatchObject({ 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, POST, OPTIONS' });
    expect(cors(pre)['access-control-allow-headers']).toMatch(/authorization/);
    expect(cors(pre)['access-control-allow-credentials']).toBeUndefined();
    expect(pre.headers.get('vary')).toMatch(/Origin/);

    const res = await fetch(url(), post(origin));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('gives any other origin no CORS header, on the preflight and on the response alike', async () => {
    const pre = await fetch(url(), preflight(EVIL));
    expect(cors(pre)).toEqual({});
    const res = await fetch(url(), post(EVIL));
    expect(cors(res)).toEqual({});
    // A request without Origin (curl, a server) is not a browser's cross-origin call: served, no CORS headers.
    const plain = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect([plain.status, cors(plain)]).toEqual([200, {}]);
  });

  it('by default allows no origin at all (same origin only): not even one that echoing would have let in', async () => {
    const g = inProcess();
    for (const origin of [PORTAL, EVIL, 'null']) {
      expect(cors(await g.fetch('http://zy/graphql', preflight(origin)))).toEqual({});
      expect(cors(await g.fetch('http://zy/graphql', post(origin)))).toEqual({});
    }
  });

  it('with * allows every origin, still without credentials', async () => {
    const res = await inProcess('*').fetch('http://zy/graphql', preflight(EVIL));
    expect(cors(res)).toMatchObject({ 'access-control-allow-origin': EVIL });
    expect(cors(res)['access-control-allow-credentials']).toBeUndefined();
  });

  it('reads the setting as origins, and refuses a value that is not one', () => {
    expect(readConfig({}).corsOrigins).toEqual([]);
    expect(readConfig({ ZHENGYIN_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(readConfig({ ZHENGYIN_CORS_ORIGINS: `${PORTAL}/,http://localhost:3000` }).corsOrigins).toEqual([PORTAL, 'http://localhost:3000']);
    for (const bad of [`${PORTAL}/app`, 'portal.example.gov.cn', 'ftp://x.example']) {
      expect(() => readConfig({ ZHENGYIN_CORS_ORIGINS: bad }), bad).toThrow(ConfigurationError);
    }
  });
});
