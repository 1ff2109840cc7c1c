import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from './support.ts';

const face = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face;

const ISSUE = `mutation Issue($input: IssueLicenceInput!) {
  issueLicence(input: $input) {
    __typename
    ... on IssueLicenceSuccess { data { identifier status statusUrl holder documentSha256 download { url expiresAt } } }
    ... on FaceDataError { code message problems { field message } }
  }
}`;

describe('GraphQL: a department issues, reads and downloads a licence', () => {
  const t = useTestApp();
  let issuer: string;
  let handler: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    issuer = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer' })).token;
    handler = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token;
  });

  it('issues through issueLicence, reads it back by identifier and downloads the signed PDF by its signed URL', async () => {
    const issued = await gql(t.url, ISSUE, { token: issuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.name, face } } });
    expect(issued.body.errors).toBeUndefined();
    const result = issued.body.data!.issueLicence;
    expect(result.__typename).toBe('IssueLicenceSuccess');
    const licence = result.data;
    expect(licence).toMatchObject({ status: 'VALID', holder: '林美华' });

    const read = await gql(t.url, `query($id: LicenceIdentifier!) { licence(identifier: $id) { identifier documentSha256 departmentId } }`, {
      token: handler,
      variables: { id: licence.identifier },
    });
    expect(read.body.data!.licence).toEqual({ identifier: licence.identifier, documentSha256: licence.documentSha256, departmentId: 'bdcdj' });

    const download = await fetch(licence.download.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(licence.documentSha256);
  });

  it('refuses a download link whose signature or licence was changed, without a token', async () => {
    const issued = await gql(t.url, ISSUE, { token: issuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.name, face } } });
    const url = new URL(issued.body.data!.issueLicence.data.download.url);
    const forged = new URL(url);
    forged.searchParams.set('signature', '0'.repeat(64));
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));

    for (const bad of [forged, later]) {
      const res = await fetch(bad);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DOWNLOAD_SIGNATURE_INVALID');
    }
  });

  it('returns every face-data problem as a FaceDataError result and stores nothing', async () => {
    const before = await t.db.prisma.licence.count();
    const res = await gql(t.url, ISSUE, { token: issuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.name, face: { ...face, holder: '', holderIdNumber: '350203198507151230' } } } });
    expect(res.body.data!.issueLicence).toMatchObject({ __typename: 'FaceDataError', code: 'INVALID_FACE_DATA' });
    expect(res.body.data!.issueLicence.problems.length).toBeGreaterThan(0);
    expect(await t.db.prisma.licence.count()).toBe(before);
  });

  it('refuses issuing to a handler token (FORBIDDEN) and to anonymous callers (UNAUTHENTICATED)', async () => {
    const before = await t.db.prisma.licence.count();
    const input = { type: REAL_ESTATE_CERTIFICATE.name, face };
    expect(firstCode(await gql(t.url, ISSUE, { token: handler, variables: { input } }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, ISSUE, { variables: { input } }))).toBe('UNAUTHENTICATED');
    expect(await t.db.prisma.licence.count()).toBe(before);
  });

  it('refuses another department\'s issuer reading or listing this department\'s licences', async () => {
    const other = (await t.app.tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'issuer' })).token;
    const [identifier] = (await t.app.seedDemo()).licences.filter((id) => id.includes('12350200MB00012343'));
    const read = await gql(t.url, `query($id: LicenceIdentifier!) { licence(identifier: $id) { holder } }`, { token: other, variables: { id: identifier } });
    expect([firstCode(read), read.body.data]).toEqual(['FORBIDDEN', null]);
    const list = await gql(t.url, `{ licences(departmentId: "bdcdj", first: 1) { edges { node { holder } } } }`, { token: other });
    expect(firstCode(list)).toBe('FORBIDDEN');
  });

  it('revokes a licence through revokeLicence; the public status says so and a second revocation is LICENCE_STATE', async () => {
    const issued = await gql(t.url, ISSUE, { token: issuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.name, face } } });
    const identifier = issued.body.data!.issueLicence.data.identifier;
    const REVOKE = `mutation($id: LicenceIdentifier!) { revokeLicence(identifier: $id, reason: "依申请注销") { status statusReason } }`;

    expect(firstCode(await gql(t.url, REVOKE, { token: handler, variables: { id: identifier } }))).toBe('FORBIDDEN');
    const revoked = await gql(t.url, REVOKE, { token: issuer, variables: { id: identifier } });
    expect(revoked.body.data!.revokeLicence).toEqual({ status: 'REVOKED', statusReason: '依申请注销' });
    const pageToken = new URL(issued.body.data!.issueLicence.data.statusUrl).pathname.split('/').pop();
    const status = await gql(t.url, `query($token: String!) { licenceStatus(pageToken: $token) { status holderMasked } }`, { variables: { token: pageToken } });
    expect(status.body.data!.licenceStatus).toEqual({ status: 'REVOKED', holderMasked: '林**' });
    // The sequential identifier opens no status (issue 9): the same NOT_FOUND as any unknown token.
    const byIdentifier = await gql(t.url, `query($token: String!) { licenceStatus(pageToken: $token) { status } }`, { variables: { token: identifier } });
    expect(firstCode(byIdentifier)).toBe('NOT_FOUND');
    expect((await gql(t.url, REVOKE, { token: issuer, variables: { id: identifier } })).body.errors![0]!.extensions).toMatchObject({ code: 'LICENCE_STATE', status: 'revoked' });
  });

  it('rejects an identifier whose check character is wrong, naming GB/T 36904', async () => {
    const res = await gql(t.url, `{ licence(identifier: "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.G") { status } }`, { token: issuer });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CODE', standard: 'GB/T 36904-2018' });
  });

  it('lists a department\'s licences as a relay connection, newest first', async () => {
    const res = await gql(t.url, `{ licences(first: 2) { edges { cursor node { identifier departmentId } } pageInfo { hasNextPage endCursor } } }`, { token: handler });
    expect(res.body.errors).toBeUndefined();
    const { edges, pageInfo } = res.body.data!.licences;
    expect(edges).toHaveLength(2);
    expect(edges.every((e: { node: { departmentId: string } }) => e.node.departmentId === 'bdcdj')).toBe(true);
    expect(pageInfo.hasNextPage).toBe(true);
  });
});
