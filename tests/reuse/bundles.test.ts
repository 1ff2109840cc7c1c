import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, verifyReceipt } from '../../gateway/services/index.ts';
import { BUSINESS_LICENCE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from '../graphql/support.ts';
import { applicantToken, askedAndGiven, AUTHORISE, BUYER, departmentToken, FETCH, FINISH, ISSUE, ok, OPEN, plan, type PlanLine, REQUEST, SCOPE, setWriterPolicy, UNIT, upload } from './support.ts';

const QYKB = '350200-YJS-QYKB';
const GFDK = '350200-YJS-GFDK';
const REGISTRATION = '350200-SCJG-0001';
const COPY = `mutation($input: FetchSharedLicenceInput!) { fetchSharedLicenceCopy(input: $input) { identifier sha256 size download { url } receipt { sequence requestSha256 responseSha256 document } } }`;
const TRANSFER = '350200-BDC-0001';
const LOAN = '350200-GJJ-0002';

/** Kinds that some matter of the plan could fill from a licence: never to be asked for. */
const sharable = (lines: readonly PlanLine[]) => new Set(lines.filter((l) => l.licence || l.producedBy || l.ledger).map((l) => l.kind));

/**
 * Asks for every UPLOAD line of the plan, once per kind, and has the applicant (or the
 * window, for 原件核验) hand each in; returns the kinds asked.
 */
async function askAndHandIn(t: ReturnType<typeof useTestApp>, window: string, applicant: string, id: string): Promise<string[]> {
  const lines = await plan(t, window, id);
  const kinds = [...new Set(lines.filter((l) => l.resolution === 'UPLOAD').map((l) => l.kind))];
  const asked = ok(await gql(t.url, REQUEST, { token: window, variables: { id, kinds } })).requestMaterials;
  expect(asked.every((l: PlanLine) => l.resolution === 'UPLOAD' && l.requested)).toBe(true);
  for (const kind of kinds) {
    const r = await upload(t, applicant, id, kind);
    expect(r.body.errors, kind).toBeUndefined();
  }
  return kinds;
}

describe('一件事一次办 over HTTP: the applicant is asked for each material at most once, never for what sharing gives', () => {
  // The embedded default's configuration on the test's database: the demo OpenID Connect issuer signs applicants in.
  const t = useTestApp({ DATABASE_URL: '' });
  const tokens: Record<string, string> = {};
  let buyer = '';

  beforeAll(async () => {
    await t.app.seedDemo();
    await setWriterPolicy(t);
    for (const d of ['xzsp', 'scjg', 'gaj', 'rsj', 'gjj', 'bdcdj']) tokens[d] = await departmentToken(t, d);
    tokens.scjgIssuer = await departmentToken(t, 'scjg', 'issuer');
    tokens.bdcdjIssuer = await departmentToken(t, 'bdcdj', 'issuer');
    buyer = await applicantToken(t, BUYER);
  }, 180_000);

  it('企业开办: one set of materials for four matters; the 营业执照 issued in the bundle serves the next three at once', async () => {
    const opened = ok(await gql(t.url, OPEN, { token: tokens.xzsp!, variables: { input: { applicant: BUYER, bundle: QYKB } } })).openApplication;
    const id: string = opened.id;
    expect(opened.matters.map((m: any) => m.departmentId)).toEqual(['scjg', 'gaj', 'rsj', 'gjj']);

    const before = await plan(t, tokens.xzsp!, id);
    const byMatter = (lines: PlanLine[], matter: string, kind: string) => lines.find((l) => l.matter === matter && l.kind === kind)!;
    expect(byMatter(before, '350200-GAJ-0001', 'business-licence')).toMatchObject({ resolution: 'PENDING_IN_BUNDLE', producedBy: REGISTRATION });
    expect(byMatter(before, REGISTRATION, 'residence-proof')).toMatchObject({ resolution: 'COMMITMENT', proof: 'ZM-ZSSY' });
    expect(byMatter(before, '350200-GJJ-0001', 'bank-account-info').resolution).toBe('TOLERATED');

    // The applicant sees what will be fetched, from whom, for whom; then authorises.
    const scope = ok(await gql(t.url, SCOPE, { token: buyer, variables: { id } })).authorisationRequest.scope;
    expect(scope.filter((s: any) => s.kind === 'business-licence').map((s: any) => [s.from, s.to])).toEqual([
      ['scjg', 'gaj'],
      ['scjg', 'rsj'],
      ['scjg', 'gjj'],
    ]);
    expect(ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id } })).authoriseApplication.state).toBe('LIVE');

    // A licence the bundle will issue is not the applicant's to bring.
    const refused = await gql(t.url, REQUEST, { token: tokens.gaj!, variables: { id, kinds: ['business-licence'] } });
    expect(firstCode(refused)).toBe('MATERIAL_NOT_TO_BE_UPLOADED');
    expect(refused.body.errors![0]!.extensions).toMatchObject({ resolution: 'PENDING_IN_BUNDLE', source: REGISTRATION });

    const asked = await askAndHandIn(t, tokens.xzsp!, buyer, id);
    expect(asked.sort()).toEqual(['articles-of-association', 'employee-roster', 'legal-representative-identity', 'shareholder-identity']);

    // Given once, the 法定代表人身份证明 serves the 公安 and 公积金 matters too; asking again is refused.
    const handedIn = await plan(t, tokens.xzsp!, id);
    const identity = handedIn.filter((l) => l.kind === 'legal-representative-identity');
    expect(identity.map((l) => l.resolution)).toEqual(['REUSED_MATERIAL', 'REUSED_MATERIAL', 'REUSED_MATERIAL']);
    expect(new Set(identity.map((l) => l.material!.id)).size).toBe(1);
    const again = await gql(t.url, REQUEST, { token: tokens.gjj!, variables: { id, kinds: ['legal-representative-identity'] } });
    expect(firstCode(again)).toBe('MATERIAL_NOT_TO_BE_UPLOADED');
    expect(again.body.errors![0]!.extensions).toMatchObject({ resolution: 'REUSED_MATERIAL', source: identity[0]!.material!.id });

    // 市场监管局 issues the 营业执照 and finishes its matter: the next matters receive it at once.
    const example = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!;
    const issued = ok(await gql(t.url, ISSUE, { token: tokens.scjgIssuer!, variables: { input: { type: BUSINESS_LICENCE.code, face: { ...example.face, legalRepresentative: BUYER.name } } } })).issueLicence.data.identifier;
    ok(await gql(t.url, FINISH, { token: tokens.scjg!, variables: { id, matter: REGISTRATION, issued: [issued] } }));
    const after = await plan(t, tokens.xzsp!, id);
    for (const matter of ['350200-GAJ-0001', '350200-RSJ-0001', '350200-GJJ-0001']) {
      expect(byMatter(after, matter, 'business-licence')).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { identifier: issued, departmentId: 'scjg' } });
    }

    // 公安局 fetches the face data under the authorisation, with a receipt binding request and response.
    const fetched = ok(await gql(t.url, FETCH, { token: tokens.gaj!, variables: { input: { applicationId: id, matter: '350200-GAJ-0001', identifier: issued, useCause: '公章刻制备案核验营业执照' } } })).fetchSharedLicence;
    expect(fetched).toMatchObject({ identifier: issued, typeCode: BUSINESS_LICENCE.code, recipient: 'gaj:handler', useCause: '公章刻制备案核验营业执照' });
    expect(fetched.face.legalRepresentative).toBe(BUYER.name);
    expect(fetched.receipt.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fetched.receipt.responseSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fetched.receipt.requestSha256).not.toBe(fetched.receipt.responseSha256);
    expect(verifyReceipt(fetched.receipt.document, { requestSha256: fetched.receipt.requestSha256 })).toBe(true);
    const { receipt: _r, ...response } = fetched;
    expect(fetched.receipt.document).toMatchObject({ resource: `licence:${issued}`, applicationId: id, actor: { kind: 'department', departmentId: 'gaj' } });
    expect(response.identifier).toBe(issued);

    // 人社局 takes the PDF as an annotated copy (加注件), signed by the platform; the receipt binds its bytes.
    const copy = ok(await gql(t.url, COPY, { token: tokens.rsj!, variables: { input: { applicationId: id, matter: '350200-RSJ-0001', identifier: issued, useCause: '员工参保登记核验营业执照' } } })).fetchSharedLicenceCopy;
    const pdf = new Uint8Array(await (await fetch(copy.download.url)).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(copy.sha256);
    expect(copy.receipt.responseSha256).toBe(copy.sha256);
    expect(verifyReceipt(copy.receipt.document, { responseSha256: createHash('sha256').update(pdf).digest('hex') })).toBe(true);
    const { report } = await t.app.services.verification.verify(OPERATOR, pdf);
    expect(report.document.verdict).toBe('VALID');
    expect(report.signatures.map((s) => s.indication)).toEqual(report.signatures.map(() => 'TOTAL_PASSED'));
    expect(Buffer.from(pdf).includes(Buffer.from('original.pdf'))).toBe(true);

    for (const [d, matter] of [['gaj', '350200-GAJ-0001'], ['rsj', '350200-RSJ-0001'], ['gjj', '350200-GJJ-0001']] as const) {
      ok(await gql(t.url, FINISH, { token: tokens[d]!, variables: { id, matter } }));
    }
    expect(ok(await gql(t.url, `query($id: ID!) { application(id: $id) { finishedAt } }`, { token: buyer, variables: { id } })).application.finishedAt).not.toBeNull();

    // Across the whole bundle: each material asked and handed in once; nothing sharing gives was asked for.
    const { asked: requested, given } = await askedAndGiven(t, id);
    expect(requested.length).toBe(new Set(requested).size);
    expect(given.sort()).toEqual([...requested].sort());
    for (const kind of sharable([...before, ...after])) expect(requested).not.toContain(kind);

    const figures = ok(await gql(t.url, `{ supervision { matter opened finished accessesMade accessesRefused materialsReused materialsUploaded } }`, { token: tokens.gaj! })).supervision;
    expect(figures).toEqual([{ matter: '350200-GAJ-0001', opened: 1, finished: 1, accessesMade: 1, accessesRefused: 0, materialsReused: 2, materialsUploaded: 0 }]);
    const scraped = await (await fetch(new URL('metrics', t.url))).text();
    expect(scraped).toContain('zhengyin_supervision_shared_accesses{department="gaj",matter="350200-GAJ-0001",outcome="released"} 1');
    expect(scraped).toContain('zhengyin_supervision_applications{department="scjg",matter="350200-SCJG-0001",state="finished"} 1');
    expect(scraped).toContain('zhengyin_supervision_materials{department="scjg",matter="350200-SCJG-0001",source="uploaded"} 3');
  }, 120_000);

  it('不动产转移登记 + 公积金贷款: the new 不动产权证书 and the ledger registration serve the loan; no paper certificate is asked for', async () => {
    const seller = (await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: REAL_ESTATE_CERTIFICATE.code } })).identifier;
    const sellerDoc = (await t.db.prisma.licenceDocument.findFirstOrThrow({ where: { licence: { identifier: seller } } })).sha256;
    await t.app.services.ledger.record(OPERATOR, {
      type: 'realestate.first-registration',
      data: { unitNumber: UNIT, certificateNumber: '闽（2024）厦门市不动产权第0012345号', documentSha256: sellerDoc, holderCodeType: '111', holderCode: '350203198507151235', at: '2024-05-01T09:00:00+08:00' },
    });

    const id: string = ok(await gql(t.url, OPEN, { token: tokens.bdcdj!, variables: { input: { applicant: BUYER, bundle: GFDK, unitNumber: UNIT } } })).openApplication.id;
    const before = await plan(t, tokens.bdcdj!, id);
    const line = (lines: PlanLine[], matter: string, kind: string) => lines.find((l) => l.matter === matter && l.kind === kind)!;
    expect(line(before, TRANSFER, 'real-estate-certificate')).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { identifier: seller }, ledger: { type: 'realestate.first-registration' } });
    expect(line(before, LOAN, 'real-estate-certificate')).toMatchObject({ resolution: 'PENDING_IN_BUNDLE', producedBy: TRANSFER });
    expect(line(before, LOAN, 'fund-deposit-certificate')).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { departmentId: 'gjj' } });
    expect(line(before, LOAN, 'income-proof').resolution).toBe('TOLERATED');
    expect(line(before, LOAN, 'marital-status').resolution).toBe('COMMITMENT');

    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id } }));
    const asked = await askAndHandIn(t, tokens.bdcdj!, buyer, id);
    expect(asked.sort()).toEqual(['applicant-identity', 'property-sale-contract']);
    expect((await plan(t, tokens.gjj!, id)).filter((l) => l.matter === LOAN && ['applicant-identity', 'property-sale-contract'].includes(l.kind)).map((l) => l.resolution)).toEqual(['REUSED_MATERIAL', 'REUSED_MATERIAL']);

    // The registry reads the seller's certificate under the buyer's authorisation, then registers the transfer.
    ok(await gql(t.url, FETCH, { token: tokens.bdcdj!, variables: { input: { applicationId: id, matter: TRANSFER, identifier: seller, useCause: '存量房转移登记核验出卖人权属' } } }));
    const example = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
    const face = { ...example.face, holder: BUYER.name, holderIdNumber: BUYER.code };
    const issued = ok(await gql(t.url, ISSUE, { token: tokens.bdcdjIssuer!, variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face } } })).issueLicence.data.identifier;
    const newDoc = (await t.db.prisma.licenceDocument.findFirstOrThrow({ where: { licence: { identifier: issued } } })).sha256;
    const transfer = await t.app.services.ledger.record(OPERATOR, {
      type: 'realestate.transfer',
      data: { unitNumber: UNIT, certificateNumber: '闽（2026）厦门市不动产权第0000777号', documentSha256: newDoc, holderCodeType: '111', holderCode: BUYER.code, at: new Date().toISOString() },
    });
    ok(await gql(t.url, FINISH, { token: tokens.bdcdj!, variables: { id, matter: TRANSFER, issued: [issued] } }));

    // The loan: the new certificate at once, the registration read on the ledger instead of paper.
    const loanLine = line(await plan(t, tokens.gjj!, id), LOAN, 'real-estate-certificate');
    expect(loanLine).toMatchObject({ resolution: 'SHARED_LICENCE', licence: { identifier: issued, departmentId: 'bdcdj' }, ledger: { type: 'realestate.transfer', transactionId: transfer.anchor!.transactionId } });
    const fetched = ok(await gql(t.url, FETCH, { token: tokens.gjj!, variables: { input: { applicationId: id, matter: LOAN, identifier: issued, useCause: '公积金贷款核验所购住房权属' } } })).fetchSharedLicence;
    expect(fetched).toMatchObject({ identifier: issued, holder: BUYER.name });
    expect(fetched.face.unitNumber).toBe(UNIT);
    ok(await gql(t.url, FINISH, { token: tokens.gjj!, variables: { id, matter: LOAN } }));

    const { asked: requested, given } = await askedAndGiven(t, id);
    expect(requested.length).toBe(new Set(requested).size);
    expect(given.sort()).toEqual([...requested].sort());
    for (const kind of sharable(before)) expect(requested).not.toContain(kind);
    expect(requested).not.toContain('real-estate-certificate');
  }, 120_000);
});
