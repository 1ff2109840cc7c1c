import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { GraphQLError } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { DownloadLinks } from '../../gateway/auth/download-links.ts';
import { maskErrorWith } from '../../gateway/graphql/errors.ts';
import { SealedDocuments } from '../../gateway/auth/sealed-documents.ts';
import { createGraphQLGateway, type GraphQLGatewayOptions } from '../../gateway/graphql/yoga.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from './support.ts';

const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) { verdict sha256 licence { identifier status } signatures { fieldName indication } } }`;

/** A GraphQL multipart request (graphql-multipart-request-spec) carrying one file. */
function multipart(file: Uint8Array, name = 'file.pdf'): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: VERIFY, variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([file], { type: 'application/pdf' }), name);
  return form;
}

describe('GraphQL guard rails', () => {
  const t = useTestApp();
  const graphqlUrl = () => new URL('graphql', t.url);
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  /** The gateway in-process with other limits or environment, over the same services. */
  const gateway = (options: Partial<GraphQLGatewayOptions>) =>
    createGraphQLGateway({
      services: { ...t.app.services, tokens: t.app.tokens },
      downloads: new DownloadLinks({ key: randomBytes(32), publicUrl: t.url }),
      sealed: new SealedDocuments({ prisma: t.db.prisma, key: randomBytes(32) }),
      log: createLogger({ level: 'silent' }),
      ...options,
    });
  const post = async (g: ReturnType<typeof gateway>, query: string) => {
    const res = await g.fetch('http://zy/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown } };
  };

  it('answers malformed GraphQL with a 400 and a typed error, and serves the next request at once', async () => {
    const bad = await gql(t.url, '{ licenceStatus(pageToken: ');
    expect(bad.status).toBe(400);
    expect(bad.body.errors![0]!.message).toMatch(/^Syntax Error/);
    expect(firstCode(bad)).toBe('GRAPHQL_PARSE_FAILED');

    const next = await gql(t.url, '{ __typename }');
    expect([next.status, next.body.data]).toEqual([200, { __typename: 'Query' }]);
  });

  it('refuses an alias bomb and a token bomb before any resolver runs', async () => {
    const aliases = await gql(t.url, `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: licenceStatus(pageToken: "x") { status }`).join(' ')} }`);
    expect(aliases.status).toBe(400);
    expect(firstCode(aliases)).toBe('QUERY_TOO_LARGE');
    expect(aliases.body.errors!.some((e) => e.extensions?.code === 'INVALID_CODE')).toBe(false);

    const tokens = await gql(t.url, `{ ${'__typename '.repeat(3000)}}`);
    expect(tokens.status).toBe(400);
    expect(firstCode(tokens)).toBe('QUERY_TOO_LARGE');
  });

  it('refuses documents deeper or costlier than the configured limits', async () => {
    const strict = gateway({ limits: { depth: 3, cost: 20 } });
    const deep = await post(strict, '{ licences(first: 1) { edges { node { anchor { transactionId } } } } }');
    expect(deep.body.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_LARGE');
    expect(deep.body.errors!.map((e) => e.message).join(' ')).toMatch(/depth/i);

    const costly = await post(gateway({ limits: { cost: 20 } }), '{ a: licenceStatus(pageToken: "x") { identifier typeName holderMasked issuer issuedAt validFrom validUntil status documentSha256 } b: licenceStatus(pageToken: "y") { identifier typeName holderMasked issuer issuedAt validFrom validUntil status documentSha256 } }');
    expect(costly.body.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_LARGE');
    expect(costly.body.errors!.map((e) => e.message).join(' ')).toMatch(/cost/i);
  });

  it('turns introspection and GraphiQL off in production', async () => {
    const prod = gateway({ environment: 'production' });
    const introspection = await post(prod, '{ __schema { types { name } } }');
    expect(introspection.body.errors![0]!.message).toMatch(/introspection/i);
    const page = await prod.fetch('http://zy/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);

    const dev = gateway({ environment: 'development' });
    expect((await post(dev, '{ __schema { queryType { name } } }')).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(await (await dev.fetch('http://zy/graphql', { headers: { accept: 'text/html' } })).text()).toMatch(/graphiql/i);
  });

  it('verifies an uploaded licence PDF over multipart, with its registry status, when the CSRF header is sent', async () => {
    const [identifier] = (await t.app.seedDemo()).licences;
    const pdf = await t.app.services.licences.document({ kind: 'operator' }, identifier!);

    const refused = await fetch(graphqlUrl(), { method: 'POST', body: multipart(pdf) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('CSRF_HEADER_REQUIRED');

    const res = await fetch(graphqlUrl(), { method: 'POST', body: multipart(pdf), headers: { 'x-zhengyin-csrf': '1' } });
    const body = (await res.json()) as { data: { verifyPdf: { verdict: string; licence: { identifier: string; status: string }; signatures: { indication: string }[] } } };
    expect(body.data.verifyPdf.verdict).toBe('VALID');
    expect(body.data.verifyPdf.licence).toEqual({ identifier, status: 'VALID' });
    expect(body.data.verifyPdf.signatures.every((s) => s.indication === 'TOTAL_PASSED')).toBe(true);

    const junk = await fetch(graphqlUrl(), { method: 'POST', body: multipart(new TextEncoder().encode('not a pdf'), 'x.pdf'), headers: { 'x-zhengyin-csrf': '1' } });
    // The verification service's refusal, as POST /verify answers it: no %PDF- header is no PDF at all.
    const refusedJunk = (await junk.json()) as { data: { verifyPdf: unknown } | null; errors: { extensions: { code: string } }[] };
    expect(refusedJunk.data?.verifyPdf ?? null).toBeNull();
    expect(refusedJunk.errors[0]!.extensions.code).toBe('INVALID_NOT_PDF');
  });

  it('refuses an oversize upload from its Content-Length, before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(graphqlUrl(), {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(200 * 1024 * 1024), 'x-zhengyin-csrf': '1' },
      });
      req.on('response', (res) => {
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
    expect((await gql(t.url, '{ __typename }')).status).toBe(200);
  });

  it('masks unexpected errors: the client sees neither the message nor the cause, the log does', () => {
    const lines: string[] = [];
    const mask = maskErrorWith(createLogger({ json: true, write: (l) => lines.push(l) }));
    const fault = new GraphQLError('wrapped', { originalError: new Error('connect ECONNREFUSED 127.0.0.1:5432 SELECT * FROM licence') });

    const masked = mask(fault, 'Unexpected error.', false) as GraphQLError;

    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(masked.toJSON())).not.toMatch(/ECONNREFUSED|SELECT/);
    expect(lines.join('\n')).toMatch(/ECONNREFUSED/);
  });
});
