import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { firstCode, gql, type GraphQLResult } from '../graphql/support.ts';
import { unitNumber } from '../ledger/fixtures.ts';
import { useTestApp } from '../support/app.ts';
import { applicantToken, BUYER, departmentToken, FETCH, ok, OPEN, plan, UNIT } from './support.ts';

const LOAN = '350200-GJJ-0002';
const AUTHORISE_WITH_CODE = `mutation($id: ID!, $code: String!) { authoriseApplicationWithUseCode(applicationId: $id, code: $code) { id state expiresAt scope { matter kind resolution source } } }`;
const MINT = `mutation($input: MintUseCodeInput!) { mintUseCode(input: $input) { code useCode { id expiresAt } } }`;
const WITHDRAW_CODE = `mutation($id: ID!) { withdrawUseCode(id: $id) { state } }`;
const [PERSON] = DEMO_APPLICANTS;

describe('authorising an application with the applicant\'s use code (用证码) at the window', () => {
  const t = useTestApp({ DATABASE_URL: '' });
  let fund = '';
  let buyer = '';
  let seller = '';
  let fundCertificate = '';
  let flat = '';

  beforeAll(async () => {
    await t.app.seedDemo();
    fund = await departmentToken(t, 'gjj');
    buyer = await applicantToken(t, BUYER);
    seller = await applicantToken(t, PERSON!);
    fundCertificate = (await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code, holderCode: BUYER.code } })).identifier;
    flat = (await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: REAL_ESTATE_CERTIFICATE.code, holderCode: PERSON!.code } })).identifier;
  }, 180_000);

  const openLoan = async () => ok(await gql(t.url, OPEN, { token: fund, variables: { input: { applicant: BUYER, matter: LOAN, unitNumber: UNIT } } })).openApplication.id as string;
  const mint = async (token: string, identifier: string, minutes = 60) =>
    ok(await gql(t.url, MINT, { token, variables: { input: { identifier, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() } } })).mintUseCode as { code: string; useCode: { id: string; expiresAt: string } };
  const authorise = (id: string, code: string, token = fund) => gql(t.url, AUTHORISE_WITH_CODE, { token, variables: { id, code } });
  const authorisations = (applicationId: string) => t.db.prisma.applicationAuthorisation.count({ where: { applicationId } });

  /** A refused call: its code, and not a row written. */
  async function refused(applicationId: string, call: () => Promise<GraphQLResult>, code: string): Promise<void> {
    const before = await authorisations(applicationId);
    const r = await call();
    expect(firstCode(r)).toBe(code);
    expect(r.body.data?.authoriseApplicationWithUseCode ?? null).toBeNull();
    expect(await authorisations(applicationId)).toBe(before);
  }

  it('covers only the lines the code\'s licence satisfies, ends with the code, and lets the window fetch it', async () => {
    const loan = await openLoan();
    expect((await plan(t, fund, loan)).find((l) => l.kind === 'fund-deposit-certificate')).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { identifier: fundCertificate } });
    const minted = await mint(buyer, fundCertificate, 90);
    const a = ok(await authorise(loan, minted.code.toLowerCase())).authoriseApplicationWithUseCode;
    expect(a.state).toBe('LIVE');
    expect(a.scope.length).toBeGreaterThan(0);
    expect(a.scope.every((l: any) => l.resolution === 'SHARED_LICENCE' && l.source === fundCertificate)).toBe(true);
    expect(new Date(a.expiresAt).getTime()).toBe(new Date(minted.useCode.expiresAt).getTime());
    expect((await t.db.prisma.applicationAuthorisation.findUniqueOrThrow({ where: { id: a.id } })).via).toBe('use-code');

    const fetched = ok(await gql(t.url, FETCH, { token: fund, variables: { input: { applicationId: loan, matter: LOAN, identifier: fundCertificate, useCause: '公积金贷款核验缴存情况' } } }));
    expect(fetched.fetchSharedLicence.identifier).toBe(fundCertificate);
  });

  it('refuses a code someone else minted, naming why, and writes nothing', async () => {
    const loan = await openLoan();
    const sellers = await mint(seller, flat);
    await refused(loan, () => authorise(loan, sellers.code), 'USE_CODE_NOT_APPLICANTS');
  });

  it('refuses a withdrawn, an expired and an unknown code', async () => {
    const loan = await openLoan();
    const withdrawn = await mint(buyer, fundCertificate);
    ok(await gql(t.url, WITHDRAW_CODE, { token: buyer, variables: { id: withdrawn.useCode.id } }));
    await refused(loan, () => authorise(loan, withdrawn.code), 'USE_CODE_WITHDRAWN');

    const expired = await mint(buyer, fundCertificate);
    // Minting refuses a past expiry; the clock runs out on the stored row instead.
    await t.db.prisma.useCode.update({ where: { id: expired.useCode.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await refused(loan, () => authorise(loan, expired.code), 'USE_CODE_EXPIRED');

    const other = await mint(buyer, fundCertificate);
    await t.db.prisma.useCode.delete({ where: { id: other.useCode.id } });
    await refused(loan, () => authorise(loan, other.code), 'USE_CODE_UNKNOWN');
  });

  it('refuses a code for a licence the plan does not share', async () => {
    // The buyer's own flat elsewhere: his, valid, but the loan is about another unit.
    const realEstate = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
    const face = { ...realEstate.face, holder: BUYER.name, holderIdNumber: BUYER.code, unitNumber: unitNumber() };
    const other = (await t.app.services.licences.issue(OPERATOR, { type: realEstate.typeCode, departmentId: 'bdcdj', face })).licence.identifier;
    const loan = await openLoan();
    expect((await plan(t, fund, loan)).some((l) => l.licence?.identifier === other)).toBe(false);
    const minted = await mint(buyer, other);
    await refused(loan, () => authorise(loan, minted.code), 'USE_CODE_NOT_IN_PLAN');
  });

  it('is the window\'s: the applicant themselves and another department are refused', async () => {
    const loan = await openLoan();
    const minted = await mint(buyer, fundCertificate);
    await refused(loan, () => authorise(loan, minted.code, buyer), 'FORBIDDEN');
    await refused(loan, async () => authorise(loan, minted.code, await departmentToken(t, 'scjg')), 'NOT_FOUND');
  });
});
