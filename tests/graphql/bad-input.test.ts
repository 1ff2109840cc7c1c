/**
 * Bad input at the GraphQL boundary, one table: every case gets a typed error, writes
 * nothing (every table's rows and the licence, seal and token states, compared before and
 * after) and leaves the server answering the next request at once.
 *
 * Already covered elsewhere and not repeated here: the in-process depth and cost limits
 * and introspection switch (guard-rails.test.ts), every applicant-token refusal with its
 * log line (applicants.test.ts), department tokens refused on a read, and their log lines
 * (tokens.test.ts), sealing refusals by seal state (seals.test.ts).
 */
import http from 'node:http';
import { Kind, type GraphQLScalarType } from 'graphql';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MULTIPART_ROOM } from '../../gateway/app.ts';
import { schema } from '../../gateway/graphql/schema.ts';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { drained, snapshot } from '../support/db-snapshot.ts';
import { startOidcProvider } from '../support/oidc-provider.ts';
import { gql, gqlUpload } from './support.ts';

const provider = await startOidcProvider();
afterAll(() => provider.close());
const AUDIENCE = 'zhengyin-bad-input';
const PERSON = DEMO_APPLICANTS[0];
/** Small enough that a test builds a larger upload quickly. */
const VERIFY_MAX_BYTES = 256 * 1024;

const REAL_ESTATE = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
const ISSUE = `mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { identifier } } ... on FaceDataError { code problems { field } } } }`;
const REVOKE = `mutation($id: LicenceIdentifier!) { revokeLicence(identifier: $id, reason: "试探") { status } }`;
const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) { verdict } }`;
const APPLY = `mutation($file: Upload!, $sealId: String!) { applySeal(file: $file, sealId: $sealId) { size } }`;

/** What a case answered: the HTTP status and the first error's code. */
interface Answer {
  readonly status: number;
  readonly code: unknown;
  /** The operation's data, which must be absent (or a typed error as data). */
  readonly data?: unknown;
}

/** A raw POST to /graphql with the body and headers given. */
async function raw(base: URL, body: string | FormData, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(new URL('graphql', base), { method: 'POST', headers: { accept: 'application/graphql-response+json', ...headers }, body });
  const text = await res.text();
  const parsed = (() => {
    try {
      return JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[]; error?: { code?: unknown }; data?: unknown };
    } catch {
      return {};
    }
  })();
  return { status: res.status, code: parsed.errors?.[0]?.extensions?.code ?? parsed.error?.code, data: parsed.data };
}

/** A POST whose declared Content-Length alone is over the limit: answered before any body byte. */
function declaredOnly(url: URL, length: number, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(length) } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { error?: { code?: string } };
        resolve({ status: res.statusCode!, code: body.error?.code });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('GraphQL bad input: typed errors, nothing written, the next request answered at once', () => {
  const t = useTestApp({ ZHENGYIN_OIDC_ISSUER: provider.issuer, ZHENGYIN_OIDC_AUDIENCE: AUDIENCE, ZHENGYIN_VERIFY_MAX_BYTES: String(VERIFY_MAX_BYTES) });
  const fx = {} as { issuer: string; expired: string; revoked: string; forged: string; licence: string; sealId: string; pdf: Uint8Array };
  beforeAll(async () => {
    await t.app.seedDemo();
    const mint = (expiresAt?: Date) => t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer', ...(expiresAt ? { expiresAt } : {}) });
    fx.issuer = (await mint()).token;
    const expired = await mint(new Date(Date.now() + 60_000));
    await t.db.prisma.apiToken.update({ where: { id: expired.info.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    fx.expired = expired.token;
    const revoked = await mint();
    await t.app.tokens.revoke(OPERATOR, revoked.info.id);
    fx.revoked = revoked.token;
    fx.forged = fx.issuer.slice(0, -4) + (fx.issuer.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const licence = (await t.app.services.licences.listByDepartment(OPERATOR, 'bdcdj', { limit: 1 }))[0]!;
    fx.licence = licence.identifier;
    fx.pdf = await t.app.services.licences.document(OPERATOR, licence.identifier);
    fx.sealId = (await t.app.services.seals.activeSealOf('bdcdj'))!.id;
  });

  const issueInput = (face: Record<string, unknown> = {}) => ({ input: { type: REAL_ESTATE.typeCode, departmentId: 'bdcdj', face: { ...REAL_ESTATE.face, ...face } } });
  /** `value` with its last character replaced, so its check character no longer fits. */
  const wrongCheck = (value: string, instead: string, otherwise: string) => value.slice(0, -1) + (value.endsWith(instead) ? otherwise : instead);
  const asGql = async (p: ReturnType<typeof gql>): Promise<Answer> => {
    const r = await p;
    return { status: r.status, code: r.body.errors?.[0]?.extensions?.code, data: r.body.data };
  };
  const json = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const jsonHeaders = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
  const deep = (levels: number): string => (levels === 0 ? 'name' : `fields { type { ${deep(levels - 1)} } }`);

  const cases: [string, () => Promise<Answer>, number, string][] = [
    // Malformed GraphQL and HTTP.
    ['syntax error in a mutation', () => raw(t.url, json('mutation { revokeLicence(identifier: "1.2" reason: '), jsonHeaders(fx.issuer)), 400, 'GRAPHQL_PARSE_FAILED'],
    ['body not JSON', () => raw(t.url, '{"query": "mutation {', jsonHeaders(fx.issuer)), 400, 'BAD_REQUEST'],
    ['no query in the body', () => raw(t.url, JSON.stringify({ variables: {} }), jsonHeaders(fx.issuer)), 400, 'BAD_REQUEST'],
    ['unknown field', () => raw(t.url, json('mutation { dropAllLicences }'), jsonHeaders(fx.issuer)), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['variable of the wrong type', () => raw(t.url, json(ISSUE, { input: { type: 42 } }), jsonHeaders(fx.issuer)), 400, 'BAD_USER_INPUT'],
    ['two operations, none named', () => raw(t.url, json(`mutation a { revokeLicence(identifier: "x", reason: "y") { status } } mutation b { __typename }`), jsonHeaders(fx.issuer)), 400, 'OPERATION_RESOLUTION_FAILURE'],
    ['a batch (array) of operations', () => raw(t.url, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), jsonHeaders(fx.issuer)), 400, 'BAD_REQUEST'],
    // Limits (graphql-armor, gateway/graphql/plugins/use-query-limits.ts).
    // The schema is shallower than the depth limit (10); only introspection nests deeper, and graphql-js stops that first.
    ['depth bomb (introspection)', () => raw(t.url, json(`{ __schema { types { ${deep(8)} } } }`), jsonHeaders()), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['alias bomb on a mutation', () => raw(t.url, json(`mutation { ${Array.from({ length: 40 }, (_, i) => `r${i}: revokeLicence(identifier: "${fx.licence}", reason: "炸") { status }`).join(' ')} }`), jsonHeaders(fx.issuer)), 400, 'QUERY_TOO_LARGE'],
    // The cost counts each fragment spread again (introspection is not counted).
    ['cost bomb', () => raw(t.url, json(`{ licences(first: 1) { edges { node { ${'...L '.repeat(300)} } } } } fragment L on Licence { identifier typeName holder anchor { transactionId } download { url } }`), jsonHeaders(fx.issuer)), 400, 'QUERY_TOO_LARGE'],
    ['token bomb', () => raw(t.url, json(`mutation { ${'__typename '.repeat(3000)}}`), jsonHeaders(fx.issuer)), 400, 'QUERY_TOO_LARGE'],
    // Uploads (GraphQL multipart request spec).
    ['verifyPdf of a PDF over ZHENGYIN_VERIFY_MAX_BYTES', () => raw(t.url, multipart(VERIFY, pdfOf(VERIFY_MAX_BYTES + MULTIPART_ROOM), {}), { 'x-zhengyin-csrf': '1' }), 413, 'PAYLOAD_TOO_LARGE'],
    ['applySeal upload declared over the limit', () => declaredOnly(new URL('graphql', t.url), 200 * 1024 * 1024, { 'content-type': 'multipart/form-data; boundary=x', 'x-zhengyin-csrf': '1', authorization: `Bearer ${fx.issuer}` }), 413, 'PAYLOAD_TOO_LARGE'],
    ['applySeal of a file that is not a PDF', () => asGql(gqlUpload(t.url, APPLY, new TextEncoder().encode('GIF89a not a pdf'), { token: fx.issuer, variables: { sealId: fx.sealId } })), 200, 'INVALID_INPUT'],
    ['upload without the CSRF header', () => raw(t.url, multipart(APPLY, fx.pdf, { sealId: fx.sealId }), { authorization: `Bearer ${fx.issuer}` }), 403, 'CSRF_HEADER_REQUIRED'],
    ['multipart whose map names no file', () => raw(t.url, multipart(APPLY, fx.pdf, { sealId: fx.sealId }, { 0: ['variables.nothing'] }, '1'), { 'x-zhengyin-csrf': '1', authorization: `Bearer ${fx.issuer}` }), 400, 'BAD_USER_INPUT'],
    // Credentials, on a mutation.
    ['department token expired', () => asGql(gql(t.url, ISSUE, { token: fx.expired, variables: issueInput() })), 401, 'TOKEN_EXPIRED'],
    ['department token revoked', () => asGql(gql(t.url, ISSUE, { token: fx.revoked, variables: issueInput() })), 401, 'TOKEN_REVOKED'],
    ['department token forged', () => asGql(gql(t.url, ISSUE, { token: fx.forged, variables: issueInput() })), 401, 'TOKEN_INVALID'],
    ['applicant JWT signed by another key', async () => asGql(gql(t.url, REVOKE, { token: await applicant({ key: (await generateKeyPair('RS256')).privateKey }), variables: { id: fx.licence } })), 401, 'TOKEN_INVALID'],
    ['applicant JWT for another audience', async () => asGql(gql(t.url, REVOKE, { token: await applicant({ aud: 'someone-else' }), variables: { id: fx.licence } })), 401, 'TOKEN_INVALID'],
    ['applicant JWT expired', async () => asGql(gql(t.url, REVOKE, { token: await applicant({ exp: Math.floor(Date.now() / 1000) - 120 }), variables: { id: fx.licence } })), 401, 'TOKEN_EXPIRED'],
    // Check characters of the scalars and of face data.
    ['licence identifier with a wrong check character', () => asGql(gql(t.url, REVOKE, { token: fx.issuer, variables: { id: wrongCheck(fx.licence, 'A', 'B') } })), 400, 'INVALID_CODE'],
    ['licence identifier literal with a wrong check character', () => asGql(gql(t.url, `mutation { revokeLicence(identifier: "${wrongCheck(fx.licence, 'A', 'B')}", reason: "试探") { status } }`, { token: fx.issuer })), 400, 'INVALID_CODE'],
    ['SHA-256 that is not 64 hex digits', () => asGql(gql(t.url, `query($s: Sha256!) { checkDocumentHash(sha256: $s) { anchored } }`, { token: fx.issuer, variables: { s: 'g'.repeat(64) } })), 400, 'BAD_USER_INPUT'],
  ];

  const applicant = (parts: Parameters<typeof provider.token>[1]) => provider.token(AUDIENCE, { ...parts, claims: { id_number: PERSON.code } });

  it.each(cases.map(([name, send, status, code]) => [`${name}: ${status} ${code}`, send, status, code] as const))('%s', async (_name, send, status, code) => {
    await drained(t.db.pool);
    const before = await snapshot(t.db.pool);
    const answer = await send();
    expect([answer.status, answer.code]).toEqual([status, code]);
    const data = answer.data as Record<string, unknown> | null | undefined;
    expect(Object.values(data ?? {}).filter((v) => v !== null)).toEqual([]);
    await drained(t.db.pool);
    expect(await snapshot(t.db.pool)).toEqual(before);
    const started = performance.now();
    const next = await gql(t.url, '{ __typename }');
    expect([next.status, next.body.data]).toEqual([200, { __typename: 'Query' }]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  // No operation takes an IdNumber or UnifiedSocialCreditCode argument yet, and GraphQL
  // refuses an unused variable before coercing it: the scalars are checked as the schema
  // holds them, with the error a variable of theirs would carry.
  it.each([
    ['IdNumber', wrongCheck(PERSON.code, '4', '5')],
    ['UnifiedSocialCreditCode', wrongCheck(DEMO_APPLICANTS[1].code, 'X', 'Y')],
  ])('the %s scalar refuses a wrong check character with INVALID_CODE', (name, bad) => {
    const scalar = schema.getType(name) as GraphQLScalarType;
    expect(() => scalar.parseValue(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_CODE' }) }));
    expect(() => scalar.parseLiteral({ kind: Kind.STRING, value: bad })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_CODE' }) }));
    const good = name === 'IdNumber' ? PERSON.code : DEMO_APPLICANTS[1].code;
    expect(scalar.parseValue(good)).toBe(good);
  });

  it('a 居民身份证号码 in face data with a wrong check digit is a typed error as data, and issues nothing', async () => {
    await drained(t.db.pool);
    const before = await snapshot(t.db.pool);
    const res = await gql(t.url, ISSUE, { token: fx.issuer, variables: issueInput({ holderIdNumber: wrongCheck(PERSON.code, '4', '5') }) });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.issueLicence).toMatchObject({ __typename: 'FaceDataError', code: 'INVALID_FACE_DATA', problems: [{ field: 'holderIdNumber' }] });
    await drained(t.db.pool);
    expect(await snapshot(t.db.pool)).toEqual(before);
  });
});

/** Bytes that start like a PDF and run to `size`. */
function pdfOf(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return bytes;
}

/** A GraphQL multipart request: operations, map, and `file` as part `0`. */
function multipart(query: string, file: Uint8Array, variables: Record<string, unknown>, map: Record<string, string[]> = { 0: ['variables.file'] }, part = '0'): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.set('map', JSON.stringify(map));
  form.set(part, new Blob([file], { type: 'application/pdf' }), 'document.pdf');
  return form;
}
