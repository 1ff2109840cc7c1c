/**
 * The lifecycle mutations through GraphQL: 延续 applied for by the holder and decided (or
 * not) by the issuer, 视为准予延续 shown with its date in GraphQL and on the status page,
 * 暂扣/恢复 shown on the status page. Service-level refusals are in tests/services.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { addToDate, isoDateOf, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from './support.ts';

const fund = SEED_EXAMPLES.find((e) => e.typeCode === PROVIDENT_FUND_CERTIFICATE.code)!;
const estate = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
const RENEWAL = 'renewal { state deemed requestedUntil decideBy decidedAt grantedUntil reason }';

describe('GraphQL: renewing, suspending and resuming a licence', () => {
  // The embedded default: the demo sign-in mints applicant tokens.
  const t = useTestApp({ DATABASE_URL: '' });
  let holder: string;
  let issuer: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    holder = await t.app.demoIssuer!.mint({ claim: t.config.oidc.idClaim, code: String(fund.face.idNumber), name: String(fund.face.name) });
    issuer = (await t.app.tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'issuer' })).token;
  });

  const issueFund = async () => (await t.app.services.licences.issue(OPERATOR, { type: PROVIDENT_FUND_CERTIFICATE.code, departmentId: 'gjj', face: fund.face })).licence;
  const apply = (identifier: string) =>
    gql(t.url, `mutation($id: LicenceIdentifier!) { applyLicenceRenewal(identifier: $id) { validUntil ${RENEWAL} } }`, { token: holder, variables: { id: identifier } });

  it('the holder applies; undecided in time, it shows 视为准予延续 with the date in GraphQL and on the status page', async () => {
    const licence = await issueFund();
    const applied = await apply(licence.identifier);
    expect(applied.body.errors).toBeUndefined();
    expect(applied.body.data!.applyLicenceRenewal).toMatchObject({ validUntil: licence.validUntil, renewal: { state: 'PENDING', deemed: false, decidedAt: null } });

    const limit = new Date(Date.now() - 3_600_000);
    await t.db.prisma.licenceRenewal.updateMany({ where: { licence: { identifier: licence.identifier } }, data: { decideBy: limit } });

    const read = await gql(t.url, `query($id: LicenceIdentifier!) { licence(identifier: $id) { validUntil ${RENEWAL} } }`, { token: holder, variables: { id: licence.identifier } });
    const renewed = addToDate(licence.validUntil!, { months: 3 });
    expect(read.body.data!.licence).toMatchObject({ validUntil: renewed, renewal: { state: 'DEEMED', deemed: true, decidedAt: limit.toISOString(), grantedUntil: renewed } });
    const page = await (await fetch(licence.statusUrl)).text();
    expect(page).toContain(`视为准予延续（${isoDateOf(limit)}）`);
    expect(page).toContain(`有效期至 ${renewed}`);

    const late = await gql(t.url, `mutation($id: LicenceIdentifier!) { grantLicenceRenewal(identifier: $id) { validUntil } }`, { token: issuer, variables: { id: licence.identifier } });
    expect(firstCode(late)).toBe('RENEWAL_STATE');
    expect(late.body.errors![0]!.extensions).toMatchObject({ identifier: licence.identifier, state: 'deemed' });
  });

  it('the issuer grants in time, with another date; a second decision is refused', async () => {
    const licence = await issueFund();
    await apply(licence.identifier);
    const until = addToDate(licence.validUntil!, { months: 1 });
    const granted = await gql(t.url, `mutation($id: LicenceIdentifier!, $until: LocalDate) { grantLicenceRenewal(identifier: $id, validUntil: $until) { validUntil ${RENEWAL} } }`, {
      token: issuer,
      variables: { id: licence.identifier, until },
    });
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data!.grantLicenceRenewal).toMatchObject({ validUntil: until, renewal: { state: 'GRANTED', deemed: false, grantedUntil: until } });
    const again = await gql(t.url, `mutation($id: LicenceIdentifier!) { refuseLicenceRenewal(identifier: $id, reason: "材料不全") { validUntil } }`, { token: issuer, variables: { id: licence.identifier } });
    expect(firstCode(again)).toBe('RENEWAL_STATE');
  });

  it('suspends and resumes: the status page follows, and a handler may do neither', async () => {
    const bdcdj = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer' })).token;
    const handler = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token;
    const { licence } = await t.app.services.licences.issue(OPERATOR, { type: REAL_ESTATE_CERTIFICATE.code, departmentId: 'bdcdj', face: estate.face });
    const mutate = (name: string, token: string) =>
      gql(t.url, `mutation($id: LicenceIdentifier!) { ${name}(identifier: $id, reason: "依法处理") { status statusReason statusChangedAt } }`, { token, variables: { id: licence.identifier } });

    expect(firstCode(await mutate('suspendLicence', handler))).toBe('FORBIDDEN');
    const suspended = await mutate('suspendLicence', bdcdj);
    expect(suspended.body.data!.suspendLicence).toMatchObject({ status: 'SUSPENDED', statusReason: '依法处理' });
    expect(await (await fetch(licence.statusUrl)).text()).toContain('已暂扣');
    expect(firstCode(await mutate('suspendLicence', bdcdj))).toBe('LICENCE_STATE');
    expect((await mutate('resumeLicence', bdcdj)).body.data!.resumeLicence.status).toBe('VALID');
    expect(await (await fetch(licence.statusUrl)).text()).toContain('<p class="status">有效 <small>(valid)</small></p>');
  });
});
