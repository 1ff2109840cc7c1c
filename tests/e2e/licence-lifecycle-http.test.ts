/**
 * Issue 11's end-to-end story over HTTP with the whole stack (embedded PostgreSQL, the
 * embedded ledger running the contract, the outbox worker): a department issues a
 * licence; its applicant lists and downloads it; it verifies through the GraphQL API and
 * through POST /verify; a change supersedes it, and a revocation shows on the QR status
 * page and in a new verification; every anchor appears once the outbox drains.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql, gqlUpload } from '../graphql/support.ts';

const face = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face;
const LICENCE_FIELDS = 'identifier version status statusUrl documentSha256 download { url } anchor { transactionId blockNumber } supersededBy { identifier statusUrl }';
const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) { verdict sha256 licence { identifier status supersededBy { identifier } } } }`;

interface VerifyAnswer {
  report: { document: { verdict: string } };
  licence: { identifier: string; status: string; supersededBy: { identifier: string } | null } | null;
  ledger: { evidenceId: string; type: string; transactionId: string }[] | null;
}

describe('a licence from issuance to revocation, over HTTP', () => {
  // The embedded default (demo sign-in for the seeded applicants), on the test's own database.
  const t = useTestApp({ DATABASE_URL: '', ZHENGYIN_VERIFY_RATE: '1000' });
  let issuer: string;
  let applicant: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    issuer = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer' })).token;
    applicant = (await t.app.demoTokens())!.applicant;
  });

  const download = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    return new Uint8Array(await res.arrayBuffer());
  };
  const postVerify = async (pdf: Uint8Array) => {
    const res = await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
    expect(res.status).toBe(200);
    return (await res.json()) as VerifyAnswer;
  };
  const statusPage = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return res.text();
  };
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('tells the whole story', async () => {
    // A department issues.
    const issued = await gql(t.url, `mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { ... on IssueLicenceSuccess { data { ${LICENCE_FIELDS} } } } }`, {
      token: issuer,
      variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face } },
    });
    expect(issued.body.errors).toBeUndefined();
    const first = issued.body.data!.issueLicence.data;
    expect(first).toMatchObject({ version: 1, status: 'VALID' });

    // The applicant lists and downloads it.
    const mine = await gql(t.url, `{ myLicences(first: 20) { edges { node { identifier download { url } } } } }`, { token: applicant });
    expect(mine.body.errors).toBeUndefined();
    const listed = mine.body.data!.myLicences.edges.map((e: { node: { identifier: string } }) => e.node).find((n: { identifier: string }) => n.identifier === first.identifier);
    expect(listed).toBeDefined();
    const original = await download(listed.download.url);
    expect(sha256(original)).toBe(first.documentSha256);

    // It verifies through the GraphQL API and through POST /verify.
    const byApi = await gqlUpload(t.url, VERIFY, original);
    expect(byApi.body.errors).toBeUndefined();
    expect(byApi.body.data!.verifyPdf).toMatchObject({ verdict: 'VALID', sha256: first.documentSha256, licence: { identifier: first.identifier, status: 'VALID', supersededBy: null } });
    const byPost = await postVerify(original);
    expect(byPost.report.document.verdict).toBe('VALID');
    expect(byPost.licence).toMatchObject({ identifier: first.identifier, status: 'valid' });

    // A change supersedes it: the old QR page says so and links to the new version's page.
    const changed = await gql(
      t.url,
      `mutation($id: LicenceIdentifier!, $input: ChangeLicenceInput!) { changeLicence(identifier: $id, input: $input) { __typename ... on ChangeLicenceSuccess { data { ${LICENCE_FIELDS} } } } }`,
      { token: issuer, variables: { id: first.identifier, input: { face: { ...face, otherStatus: '已办理用途变更。' }, reason: '附记变更' } } },
    );
    expect(changed.body.errors).toBeUndefined();
    const second = changed.body.data!.changeLicence.data;
    expect(second).toMatchObject({ version: 2, status: 'VALID' });
    expect(second.identifier).not.toBe(first.identifier);
    const oldPage = await statusPage(first.statusUrl);
    expect(oldPage).toContain('已变更');
    expect(oldPage).toContain(`href="${second.statusUrl}"`);
    expect((await postVerify(original)).licence).toMatchObject({ status: 'superseded', supersededBy: { identifier: second.identifier } });

    // The applicant sees and downloads the new version.
    const readBack = await gql(t.url, `query($id: LicenceIdentifier!) { licence(identifier: $id) { ${LICENCE_FIELDS} } }`, { token: applicant, variables: { id: second.identifier } });
    const changedPdf = await download(readBack.body.data!.licence.download.url);
    expect((await postVerify(changedPdf)).licence).toMatchObject({ identifier: second.identifier, status: 'valid' });

    // A revocation shows on the QR page and in a new verification.
    const revoked = await gql(t.url, `mutation($id: LicenceIdentifier!) { revokeLicence(identifier: $id, reason: "注销登记") { status } }`, { token: issuer, variables: { id: second.identifier } });
    expect(revoked.body.data!.revokeLicence.status).toBe('REVOKED');
    expect(await statusPage(second.statusUrl)).toContain('已注销');
    const afterRevocation = await postVerify(changedPdf);
    expect(afterRevocation.report.document.verdict).toBe('VALID');
    expect(afterRevocation.licence).toMatchObject({ identifier: second.identifier, status: 'revoked' });
    const revokedByApi = await gqlUpload(t.url, VERIFY, changedPdf);
    expect(revokedByApi.body.data!.verifyPdf.licence).toMatchObject({ identifier: second.identifier, status: 'REVOKED' });

    // Every anchor appears once the outbox drains.
    const evidenceIds = [`licence:${first.identifier}:issued`, `licence:${second.identifier}:changed`, `licence:${second.identifier}:revoked`];
    const deadline = Date.now() + 60_000;
    while ((await t.db.prisma.outbox.count({ where: { evidenceId: { in: evidenceIds }, anchoredAt: { not: null } } })) < evidenceIds.length) {
      expect(Date.now(), 'the outbox drains within a minute').toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const version of [first, second]) {
      const read = await gql(t.url, `query($id: LicenceIdentifier!) { licence(identifier: $id) { anchor { transactionId blockNumber } } }`, { token: issuer, variables: { id: version.identifier } });
      expect(read.body.data!.licence.anchor).toMatchObject({ transactionId: expect.any(String), blockNumber: expect.any(String) });
    }
    expect((await postVerify(original)).ledger).toEqual([expect.objectContaining({ evidenceId: `licence:${first.identifier}:issued`, type: 'licence.issued' })]);
    expect((await postVerify(changedPdf)).ledger).toEqual([expect.objectContaining({ evidenceId: `licence:${second.identifier}:changed`, type: 'licence.changed' })]);
    const history = await t.app.services.ledger.history(OPERATOR, { domain: 'licence', key: second.identifier });
    expect(history.map((v) => v.record?.type)).toEqual(['licence.changed', 'licence.revoked']);
  });

  it('refuses lifecycle mutations to another applicant, a handler and another department, and writes nothing', async () => {
    const other = await t.app.demoIssuer!.mint({ claim: t.config.oidc.usccClaim, code: DEMO_APPLICANTS[1].code, name: DEMO_APPLICANTS[1].name });
    const handler = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token;
    const elsewhere = (await t.app.tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'issuer' })).token;
    const { identifier } = (await t.app.services.licences.issue(OPERATOR, { type: REAL_ESTATE_CERTIFICATE.code, departmentId: 'bdcdj', face })).licence;
    const before = { licences: await t.db.prisma.licence.count(), outbox: await t.db.prisma.outbox.count(), renewals: await t.db.prisma.licenceRenewal.count() };

    const suspend = `mutation($id: LicenceIdentifier!) { suspendLicence(identifier: $id, reason: "暂扣") { status } }`;
    expect(firstCode(await gql(t.url, suspend, { token: handler, variables: { id: identifier } }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, suspend, { token: elsewhere, variables: { id: identifier } }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, suspend, { token: applicant, variables: { id: identifier } }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, suspend, { variables: { id: identifier } }))).toBe('UNAUTHENTICATED');
    const apply = `mutation($id: LicenceIdentifier!) { applyLicenceRenewal(identifier: $id) { status } }`;
    expect(firstCode(await gql(t.url, apply, { token: other, variables: { id: identifier } }))).toBe('NOT_FOUND');
    expect(firstCode(await gql(t.url, apply, { token: issuer, variables: { id: identifier } }))).toBe('FORBIDDEN');
    // The holder's long-term 不动产权证书 needs no renewal.
    expect(firstCode(await gql(t.url, apply, { token: applicant, variables: { id: identifier } }))).toBe('LICENCE_STATE');

    expect({ licences: await t.db.prisma.licence.count(), outbox: await t.db.prisma.outbox.count(), renewals: await t.db.prisma.licenceRenewal.count() }).toEqual(before);
  });

  it('gives the issuer a print-file link for the paper form, and nobody else', async () => {
    const handler = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token;
    const { identifier } = (await t.app.services.licences.issue(OPERATOR, { type: REAL_ESTATE_CERTIFICATE.code, departmentId: 'bdcdj', face })).licence;
    const query = `query($id: LicenceIdentifier!) { licence(identifier: $id) { printFile { url expiresAt } } }`;

    const link = (await gql(t.url, query, { token: issuer, variables: { id: identifier } })).body.data!.licence.printFile;
    expect(link.url).toContain('/downloads/print/');
    const pdf = await download(link.url);
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('/ByteRange');
    expect((await gql(t.url, query, { token: handler, variables: { id: identifier } })).body.data!.licence.printFile).toBeNull();
    expect((await gql(t.url, query, { token: applicant, variables: { id: identifier } })).body.data!.licence.printFile).toBeNull();

    const forged = new URL(link.url);
    forged.pathname = forged.pathname.replace('/print/', '/licences/');
    expect((await fetch(forged)).status).toBe(403);
    // A link made while it was valid serves nothing once it is suspended.
    await t.app.services.licences.changes.suspend(OPERATOR, identifier, '暂扣');
    expect((await fetch(link.url)).status).toBe(409);
  });
});
