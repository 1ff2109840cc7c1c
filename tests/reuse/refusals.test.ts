import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { copyCatalogue, removeCatalogueCopies } from '../catalogue/folder.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql, type GraphQLResult } from '../graphql/support.ts';
import { applicantToken, AUTHORISE, BUYER, departmentToken, FETCH, ISSUE, ok, OPEN, plan, releases, REQUEST, UNIT, upload, WITHDRAW } from './support.ts';

const LOAN = '350200-GJJ-0002';
const SOCIAL = '350200-RSJ-0001';
const MAX_BYTES = 4096;

describe('refusals of shared content and of asking twice: each typed, none releasing anything', () => {
  const t = useTestApp({ DATABASE_URL: '', ZHENGYIN_MATERIAL_MAX_BYTES: String(MAX_BYTES) });
  const tokens: Record<string, string> = {};
  let buyer = '';
  let loan = '';
  let fundCertificate = '';

  beforeAll(async () => {
    await t.app.seedDemo();
    for (const d of ['gjj', 'rsj', 'bdcdj']) tokens[d] = await departmentToken(t, d);
    buyer = await applicantToken(t, BUYER);
    fundCertificate = (await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code } })).identifier;
    loan = ok(await gql(t.url, OPEN, { token: tokens.gjj!, variables: { input: { applicant: BUYER, matter: LOAN, unitNumber: UNIT } } })).openApplication.id;
  }, 180_000);
  afterAll(removeCatalogueCopies);

  const fetch = (token: string, input: Record<string, unknown>) =>
    gql(t.url, FETCH, { token, variables: { input: { applicationId: loan, matter: LOAN, identifier: fundCertificate, useCause: '公积金贷款核验缴存情况', ...input } } });

  /** Runs a refused call and asserts its code, and that nothing was released. */
  async function refused(call: () => Promise<GraphQLResult>, code: string): Promise<GraphQLResult> {
    const before = await releases(t);
    const r = await call();
    expect(firstCode(r)).toBe(code);
    expect(r.body.data?.fetchSharedLicence ?? null).toBeNull();
    expect(JSON.stringify(r.body.errors)).not.toMatch(/at .*\.ts|SELECT|prisma/);
    expect(await releases(t)).toBe(before);
    return r;
  }

  it('the plan shares the applicant\'s own 缴存证明 with the fund centre', async () => {
    const line = (await plan(t, tokens.gjj!, loan)).find((l) => l.kind === 'fund-deposit-certificate')!;
    expect(line).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { identifier: fundCertificate } });
  });

  it('without any authorisation', async () => {
    await refused(() => fetch(tokens.gjj!, {}), 'AUTHORISATION_MISSING');
  });

  it('with a withdrawn authorisation, then releases once authorised again', async () => {
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: loan } }));
    expect(ok(await gql(t.url, WITHDRAW, { token: buyer, variables: { id: loan } })).withdrawAuthorisation.state).toBe('WITHDRAWN');
    await refused(() => fetch(tokens.gjj!, {}), 'AUTHORISATION_WITHDRAWN');

    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: loan } }));
    const before = await releases(t);
    expect(ok(await fetch(tokens.gjj!, {})).fetchSharedLicence.identifier).toBe(fundCertificate);
    expect(await releases(t)).toBe(before + 1);
  });

  it('with an expired authorisation', async () => {
    await t.db.prisma.applicationAuthorisation.updateMany({ where: { applicationId: loan, withdrawnAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await refused(() => fetch(tokens.gjj!, {}), 'AUTHORISATION_EXPIRED');
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: loan } }));
  });

  it.each([
    ['missing', ''],
    ['blank', '   '],
    ['overlong (201 characters)', '因'.repeat(201)],
  ])('with a %s use cause', async (_name, useCause) => {
    await refused(() => fetch(tokens.gjj!, { useCause }), 'INVALID_USE_CAUSE');
  });

  it('for an application of another department: refused to fetch, and not even shown', async () => {
    await refused(() => fetch(tokens.bdcdj!, {}), 'FORBIDDEN');
    expect(firstCode(await gql(t.url, `query($id: ID!) { application(id: $id) { id } }`, { token: tokens.bdcdj!, variables: { id: loan } }))).toBe('NOT_FOUND');
  });

  it('a licence the plan drew from someone else only after the applicant authorised', async () => {
    // Authorised while the 不动产权证书 was still to be uploaded; then the applicant is issued one.
    const later = ok(await gql(t.url, OPEN, { token: tokens.gjj!, variables: { input: { applicant: BUYER, matter: LOAN } } })).openApplication.id;
    expect((await plan(t, tokens.gjj!, later)).find((l) => l.kind === 'real-estate-certificate')!.resolution).toBe('UPLOAD');
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: later } }));
    const example = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
    const face = { ...example.face, holder: BUYER.name, holderIdNumber: BUYER.code, unitNumber: '350206001003GB00012F00031503' };
    const issued = ok(await gql(t.url, ISSUE, { token: await departmentToken(t, 'bdcdj', 'issuer'), variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face } } })).issueLicence.data.identifier;
    expect((await plan(t, tokens.gjj!, later)).find((l) => l.kind === 'real-estate-certificate')!.licence!.identifier).toBe(issued);

    const input = { applicationId: later, matter: LOAN, identifier: issued, useCause: '公积金贷款核验房屋权属' };
    await refused(() => gql(t.url, FETCH, { token: tokens.gjj!, variables: { input } }), 'AUTHORISATION_OUT_OF_SCOPE');
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: later } }));
    expect(ok(await gql(t.url, FETCH, { token: tokens.gjj!, variables: { input } })).fetchSharedLicence.identifier).toBe(issued);
  });

  it('a licence type outside the department\'s grants', async () => {
    const social = ok(await gql(t.url, OPEN, { token: tokens.rsj!, variables: { input: { applicant: BUYER, matter: SOCIAL } } })).openApplication.id;
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: social } }));
    const r = await refused(() => gql(t.url, FETCH, { token: tokens.rsj!, variables: { input: { applicationId: social, matter: SOCIAL, identifier: fundCertificate, useCause: '参保登记' } } }), 'NOT_GRANTED');
    expect(r.body.errors![0]!.extensions).toMatchObject({ resourceKind: 'licence-type', resource: PROVIDENT_FUND_CERTIFICATE.code, matter: SOCIAL });
  });

  it('an upload or a request the plan does not ask for names where the material comes from', async () => {
    const r = await refused(() => upload(t, buyer, loan, 'fund-deposit-certificate'), 'MATERIAL_NOT_TO_BE_UPLOADED');
    expect(r.body.errors![0]!.extensions).toMatchObject({ kind: 'fund-deposit-certificate', resolution: 'SHARED_LICENCE', source: fundCertificate });
    const asked = await refused(() => gql(t.url, REQUEST, { token: tokens.gjj!, variables: { id: loan, kinds: ['marital-status'] } }), 'MATERIAL_NOT_TO_BE_UPLOADED');
    expect(asked.body.errors![0]!.extensions).toMatchObject({ resolution: 'COMMITMENT' });
    await refused(() => gql(t.url, REQUEST, { token: tokens.gjj!, variables: { id: loan, kinds: ['articles-of-association'] } }), 'MATERIAL_NOT_TO_BE_UPLOADED');
    expect(await t.db.prisma.materialRequest.count({ where: { applicationId: loan } })).toBe(0);
    expect(await t.db.prisma.material.count({ where: { applicationId: loan } })).toBe(0);
  });

  it('an upload over the size limit stores nothing', async () => {
    await refused(() => upload(t, buyer, loan, 'applicant-identity', Buffer.alloc(MAX_BYTES + 1, 0x41)), 'LIMIT_EXCEEDED');
    expect(await t.db.prisma.material.count({ where: { applicationId: loan } })).toBe(0);
  });

  it('counts what was refused and released for supervision', async () => {
    const rows = ok(await gql(t.url, `{ supervision { matter accessesMade accessesRefused } }`, { token: tokens.gjj! })).supervision;
    expect(rows.find((r: any) => r.matter === LOAN)).toEqual({ matter: LOAN, accessesMade: 2, accessesRefused: 7 });
  });

  it('a proof the current proof list no longer has: the earlier application may not ask for it', async () => {
    // 证明事项取消: the list drops 个人收入证明, and the new version of the matter with it.
    const copy = copyCatalogue();
    copy.edit('proofs.json', (j) => (j.proofs = j.proofs.filter((p: any) => p.code !== 'ZM-SRZM')));
    copy.edit('matters/fund-loan.json', (j) => (j.materials = j.materials.filter((m: any) => m.kind !== 'income-proof')));
    await t.app.services.catalogue.load(OPERATOR, copy.dir);

    const line = (await plan(t, tokens.gjj!, loan)).find((l) => l.kind === 'income-proof')!;
    expect(line).toMatchObject({ resolution: 'NOT_REQUIRED', proof: 'ZM-SRZM' });
    const r = await refused(() => gql(t.url, REQUEST, { token: tokens.gjj!, variables: { id: loan, kinds: ['income-proof'] } }), 'PROOF_NOT_LISTED');
    expect(r.body.errors![0]!.extensions).toMatchObject({ matter: LOAN, proof: 'ZM-SRZM' });
    await refused(() => upload(t, buyer, loan, 'income-proof'), 'PROOF_NOT_LISTED');
    // A new application takes the new version, which no longer lists it.
    const fresh = ok(await gql(t.url, OPEN, { token: tokens.gjj!, variables: { input: { applicant: BUYER, matter: LOAN } } })).openApplication;
    expect(fresh.matters[0].matterVersion).toBe(2);
    expect((await plan(t, tokens.gjj!, fresh.id)).some((l) => l.kind === 'income-proof')).toBe(false);
  });

  it('opening an application for a matter that asks for a proof outside the current proof list', async () => {
    // The list withdraws 婚姻登记记录证明 while the 不动产 matter still asks for it (as an edit
    // outside `catalogue load`, which refuses such a folder, would leave it).
    const proof = await t.db.prisma.catalogueItem.findFirstOrThrow({ where: { kind: 'proof', key: 'ZM-HYZK' }, orderBy: { version: 'desc' } });
    await t.db.prisma.catalogueItem.create({ data: { ...proof, content: proof.content as object, version: proof.version + 1, withdrawn: true, createdAt: new Date() } });
    const before = await t.db.prisma.application.count();
    const r = await gql(t.url, OPEN, { token: tokens.bdcdj!, variables: { input: { applicant: BUYER, matter: '350200-BDC-0001' } } });
    expect(firstCode(r)).toBe('PROOF_NOT_LISTED');
    expect(r.body.errors![0]!.extensions).toMatchObject({ matter: '350200-BDC-0001', proof: 'ZM-HYZK' });
    expect(await t.db.prisma.application.count()).toBe(before);
  });
});

describe('who may do what with applications (the roles behind each operation)', () => {
  const t = useTestApp({ DATABASE_URL: '' });
  beforeAll(async () => {
    await t.app.seedDemo();
  }, 180_000);

  it('an issuer token may not open an application or fetch, an applicant may not fetch or open, another applicant sees nothing', async () => {
    const issuer = await departmentToken(t, 'gjj', 'issuer');
    const handler = await departmentToken(t, 'gjj', 'handler');
    const open = (token: string) => gql(t.url, OPEN, { token, variables: { input: { applicant: BUYER, matter: LOAN } } });
    expect(firstCode(await open(issuer))).toBe('FORBIDDEN');
    const buyer = await applicantToken(t, BUYER);
    expect(firstCode(await open(buyer))).toBe('FORBIDDEN');
    const id = ok(await open(handler)).openApplication.id;

    const input = { applicationId: id, matter: LOAN, identifier: '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F', useCause: '核验' };
    for (const token of [issuer, buyer]) expect(firstCode(await gql(t.url, FETCH, { token, variables: { input } }))).toBe('FORBIDDEN');
    const other = await applicantToken(t, { code: '350203198507151235', name: '林美华' });
    expect(firstCode(await gql(t.url, `query($id: ID!) { application(id: $id) { id } }`, { token: other, variables: { id } }))).toBe('NOT_FOUND');
    expect(firstCode(await gql(t.url, AUTHORISE, { token: other, variables: { id } }))).toBe('NOT_FOUND');
    expect(firstCode(await gql(t.url, AUTHORISE, { token: handler, variables: { id } }))).toBe('FORBIDDEN');
    expect(ok(await gql(t.url, `{ myApplications(first: 5) { edges { node { id } } } }`, { token: buyer })).myApplications.edges.map((e: any) => e.node.id)).toEqual([id]);
  });
});
