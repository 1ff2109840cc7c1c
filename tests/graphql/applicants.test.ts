import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentifier, parseIdentifier } from '../../signer/index.ts';
import { ApplicantTokens } from '../../gateway/auth/applicant-tokens.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { useTestApp } from '../support/app.ts';
import { startOidcProvider, type TokenParts } from '../support/oidc-provider.ts';
import { firstCode, gql } from './support.ts';

const provider = await startOidcProvider();
const AUDIENCE = 'zhengyin-test';
const PERSON = DEMO_APPLICANTS[0];
const COMPANY = DEMO_APPLICANTS[1];

/** A token as the provider would sign it for applicant A, with any part overridden. */
const token = (o: TokenParts = {}): Promise<string> => provider.token(AUDIENCE, { ...o, claims: { id_number: PERSON.code, ...o.claims } });

const MINE = `{ myLicences(first: 10) { edges { node { identifier holderCode download { url } } } } }`;
const ONE = `query($id: LicenceIdentifier!) { licence(identifier: $id) { identifier holder download { url } } }`;
const REVOKE = `mutation($id: LicenceIdentifier!) { revokeLicence(identifier: $id, reason: "试探") { status } }`;

afterAll(() => provider.close());

describe('applicants sign in with OpenID Connect tokens (一证通办)', () => {
  const t = useTestApp({ ZHENGYIN_OIDC_ISSUER: provider.issuer, ZHENGYIN_OIDC_AUDIENCE: AUDIENCE });
  let personLicence = '';
  let companyLicence = '';

  beforeAll(async () => {
    await t.app.seedDemo();
    const rows = await t.db.prisma.licence.findMany();
    personLicence = rows.find((r) => r.holderCode === PERSON.code)!.identifier;
    companyLicence = rows.find((r) => r.holderCode === COMPANY.code)!.identifier;
  }, 120_000);

  it('applicant A lists their own licences and downloads the PDF by its signed URL', async () => {
    const a = await token();
    const mine = await gql(t.url, MINE, { token: a });
    expect(mine.body.errors).toBeUndefined();
    const nodes = mine.body.data!.myLicences.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.identifier)).toEqual([personLicence]);
    expect(nodes[0].holderCode).toBe(PERSON.code);
    const pdf = await fetch(nodes[0].download.url);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const one = await gql(t.url, ONE, { token: a, variables: { id: personLicence } });
    expect(one.body.data?.licence.identifier).toBe(personLicence);
    // The keys came from the discovery document's jwks_uri, fetched over HTTP.
    expect(provider.jwksFetches()).toBeGreaterThan(0);
  });

  it('a company signs in by its USCC claim and sees only its own licence', async () => {
    const b = await token({ claims: { id_number: undefined, uscc: COMPANY.code } });
    const mine = await gql(t.url, MINE, { token: b });
    expect(mine.body.data!.myLicences.edges.map((e: any) => e.node.identifier)).toEqual([companyLicence]);
  });

  it("applicant B sees nothing of A's: not listed, not found (as if absent), not downloadable, not revocable", async () => {
    const b = await token({ claims: { id_number: undefined, uscc: COMPANY.code } });
    const mine = await gql(t.url, MINE, { token: b });
    expect(JSON.stringify(mine.body)).not.toContain(personLicence);
    const other = await gql(t.url, ONE, { token: b, variables: { id: personLicence } });
    // A well-formed identifier of the same type and issuer that no licence has.
    const nowhere = newIdentifier({ ...parseIdentifier(personLicence), version: '999' }).value;
    const absent = await gql(t.url, ONE, { token: b, variables: { id: nowhere } });
    expect(firstCode(other)).toBe('NOT_FOUND');
    expect(firstCode(absent)).toBe(firstCode(other));
    expect(JSON.stringify(other.body)).not.toContain(PERSON.name);

    const revoke = await gql(t.url, REVOKE, { token: await token(), variables: { id: personLicence } });
    expect(firstCode(revoke)).toBe('FORBIDDEN');
    const department = await gql(t.url, `{ licences(departmentId: "bdcdj") { edges { node { identifier } } } }`, { token: await token() });
    expect(firstCode(department)).toBe('FORBIDDEN');
    expect((await t.db.prisma.licence.findUniqueOrThrow({ where: { identifier: personLicence } })).status).toBe('valid');
  });

  it('refuses expired, not-yet-valid, wrong-audience, wrong-issuer, forged, unsigned and bad-check-digit tokens with typed codes, writing nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await generateKeyPair('RS256');
    const badId = PERSON.code.slice(0, -1) + (PERSON.code.endsWith('5') ? '6' : '5');
    const unsigned = (await token()).split('.').slice(0, 2).join('.').replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url')) + '.';
    const cases: [string, string, string][] = [
      ['expired', await token({ exp: now - 120 }), 'TOKEN_EXPIRED'],
      ['not yet valid', await token({ nbf: now + 600 }), 'TOKEN_INVALID'],
      ['wrong audience', await token({ aud: 'someone-else' }), 'TOKEN_INVALID'],
      ['wrong issuer', await token({ iss: 'https://idp.example.invalid' }), 'TOKEN_INVALID'],
      ['forged (other key, same kid)', await token({ key: other.privateKey }), 'TOKEN_INVALID'],
      ['forged (other key, other kid)', await token({ key: other.privateKey, kid: 'test-2' }), 'TOKEN_INVALID'],
      ['unsigned', unsigned, 'TOKEN_INVALID'],
      ['bad check digit', await token({ claims: { id_number: badId } }), 'TOKEN_INVALID'],
      ['bad USCC check character', await token({ claims: { id_number: undefined, uscc: COMPANY.code.slice(0, -1) + 'X' } }), 'TOKEN_INVALID'],
      ['no code claim', await token({ claims: { id_number: undefined } }), 'TOKEN_INVALID'],
    ];
    const before = await t.db.prisma.licence.count();
    for (const [name, bad, code] of cases) {
      const res = await gql(t.url, REVOKE, { token: bad, variables: { id: personLicence } });
      expect([name, res.status, firstCode(res)]).toEqual([name, 401, code]);
      expect(res.body.data ?? null).toBeNull();
    }
    expect(await t.db.prisma.licence.count()).toBe(before);
    expect((await t.db.prisma.licence.findUniqueOrThrow({ where: { identifier: personLicence } })).status).toBe('valid');
    // The server answers the next request at once.
    expect((await gql(t.url, MINE, { token: await token() })).body.errors).toBeUndefined();
  });
});

describe('applicant token refusals in the log', () => {
  it('name the reason, never the token or the ID number', async () => {
    const lines: string[] = [];
    const tokens = new ApplicantTokens({
      issuers: [{ issuer: provider.issuer, audience: AUDIENCE, jwks: new URL(`${provider.issuer}/jwks`) }],
      idClaim: 'id_number',
      usccClaim: 'uscc',
      log: createLogger({ level: 'warn', write: (l) => lines.push(l) }),
    });
    const expired = await token({ exp: Math.floor(Date.now() / 1000) - 120 });
    await expect(tokens.authenticate(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const badId = await token({ claims: { id_number: PERSON.code.slice(0, -1) + '0' } });
    await expect(tokens.authenticate(badId)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/applicant token refused.*TOKEN_EXPIRED/);
    for (const line of lines) {
      expect(line).not.toContain(expired.split('.')[2]!);
      expect(line).not.toContain(badId.split('.')[1]!);
      expect(line).not.toContain(PERSON.code.slice(0, 17));
    }
  });
});
