/**
 * Annotated copies (加注件) of a licence issued as OFD (issue 13): a handling department's
 * shared fetch and a use code's presenter may ask for the OFD copy, sealed by the platform's
 * SM2 seal with the stored OFD inside; the PDF path is unchanged; asking for the OFD of a
 * licence issued as PDF only is refused with FORMAT_UNAVAILABLE and writes nothing.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { verify, type VerifyOptions } from '../../verifier/index.ts';
import { firstCode, gql } from '../graphql/support.ts';
import { useTestApp } from '../support/app.ts';
import { applicantToken, AUTHORISE, BUYER, departmentToken, ok, OPEN, plan } from './support.ts';

const LOAN = '350200-GJJ-0002';
const COPY = `mutation($input: FetchSharedLicenceInput!, $format: LicenceFileFormat) {
  fetchSharedLicenceCopy(input: $input, format: $format) { identifier format sha256 size download { url } receipt { responseSha256 } }
}`;
const ISSUE = `mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { identifier formats } } } }`;
const MINT = `mutation($input: MintUseCodeInput!) { mintUseCode(input: $input) { code useCode { id } } }`;
const PRESENT = `mutation($input: PresentUseCodeInput!) { presentUseCode(input: $input) { copyFormat copy { url } } }`;
const USE_CAUSE = '公积金贷款核验房屋权属';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function download(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('annotated copies of an OFD licence, through the reuse fetch and use codes', { timeout: 240_000 }, () => {
  const t = useTestApp({ DATABASE_URL: '' });
  let gjj = '';
  let buyer = '';
  let loan = '';
  let flat = '';
  let fundCertificate = '';
  let options: VerifyOptions;

  beforeAll(async () => {
    await t.app.seedDemo();
    gjj = await departmentToken(t, 'gjj');
    buyer = await applicantToken(t, BUYER);
    fundCertificate = (await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code, holderCode: BUYER.code } })).identifier;
    // The applicant's flat, issued as PDF and OFD by 不动产登记 with its SM2 seal.
    await t.app.services.seals.create(OPERATOR, { departmentId: 'bdcdj', title: '不动产登记专用章', algorithm: 'SM2' });
    loan = ok(await gql(t.url, OPEN, { token: gjj, variables: { input: { applicant: BUYER, matter: LOAN } } })).openApplication.id;
    const example = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
    const face = { ...example.face, holder: BUYER.name, holderIdNumber: BUYER.code, unitNumber: '350206001003GB00012F00031503' };
    const issued = ok(await gql(t.url, ISSUE, { token: await departmentToken(t, 'bdcdj', 'issuer'), variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face, format: 'BOTH' } } })).issueLicence.data;
    expect(issued.formats).toEqual(['PDF', 'OFD']);
    flat = issued.identifier;
    expect((await plan(t, gjj, loan)).find((l) => l.kind === 'real-estate-certificate')!.licence!.identifier).toBe(flat);
    ok(await gql(t.url, AUTHORISE, { token: buyer, variables: { id: loan } }));

    const pki = t.app.services.pki;
    const ca = (await pki.findDepartmentCa('bdcdj', 'SM2'))!;
    options = {
      trust: [await pki.sm2RootCertificate()],
      certificates: [await pki.caCertificate(ca)],
      crls: [(await pki.currentCrl(ca)).der, (await pki.currentCrl(await pki.sm2RootCertificateId())).der],
    };
  }, 240_000);

  const fetchCopy = (identifier: string, format?: 'PDF' | 'OFD') =>
    gql(t.url, COPY, { token: gjj, variables: { input: { applicationId: loan, matter: LOAN, identifier, useCause: USE_CAUSE }, ...(format ? { format } : {}) } });

  /** The copy's seal and the original's inside, by our verifier; the note's parts in the annotation. */
  async function checkOfdCopy(copy: Uint8Array, note: readonly string[]): Promise<void> {
    const report = await verify(copy, options);
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    expect(report.signatures[0]!.signer?.commonName).toBe('电子证照加注件签章 (zhengyin annotated copies)');
    const files = unzipSync(copy);
    const annotation = Buffer.from(Object.entries(files).find(([n]) => n.endsWith('Annotation.xml'))![1]).toString();
    for (const part of note) expect(annotation).toContain(part);
    const inside = Object.entries(files).find(([n]) => n.endsWith('/original.ofd'))![1];
    expect(Buffer.from(inside).equals(Buffer.from(await t.app.services.licences.ofdDocument(OPERATOR, flat)))).toBe(true);
    expect((await verify(inside, options)).signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
  }

  it('releases the OFD copy: application/ofd, sealed by the platform, the note on it, the original inside valid, format and hash in the access log', async () => {
    const copy = ok(await fetchCopy(flat, 'OFD')).fetchSharedLicenceCopy;
    expect(copy).toMatchObject({ identifier: flat, format: 'OFD' });
    const got = await download(copy.download.url);
    expect(got).toMatchObject({ status: 200, type: 'application/ofd' });
    expect(got.disposition).toMatch(/\.ofd"$/);
    expect(sha256(got.bytes)).toBe(copy.sha256);
    expect(copy.receipt.responseSha256).toBe(copy.sha256);
    expect(copy.size).toBe(got.bytes.length);
    const logged = await t.db.prisma.accessLogEntry.findFirstOrThrow({ where: { resource: `licence-copy-ofd:${flat}` } });
    expect(logged.responseSha256).toBe(copy.sha256);
    await checkOfdCopy(got.bytes, [USE_CAUSE, loan]);
  });

  it('releases the PDF copy as before when no format is asked', async () => {
    const copy = ok(await fetchCopy(flat)).fetchSharedLicenceCopy;
    expect(copy.format).toBe('PDF');
    const got = await download(copy.download.url);
    expect(got).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(sha256(got.bytes)).toBe(copy.sha256);
    const { report } = await t.app.services.verification.verify(OPERATOR, got.bytes);
    expect(report.document.verdict).toBe('VALID');
    expect(await t.db.prisma.accessLogEntry.count({ where: { resource: `licence-copy:${flat}`, responseSha256: copy.sha256 } })).toBe(1);
  });

  it('refuses the OFD copy of a licence issued as PDF only, writing nothing', async () => {
    const [logged, accesses] = await Promise.all([t.db.prisma.accessLogEntry.count(), t.db.prisma.shareAccess.count()]);
    const r = await fetchCopy(fundCertificate, 'OFD');
    expect(firstCode(r)).toBe('FORMAT_UNAVAILABLE');
    expect(r.body.errors![0]!.message).toContain(fundCertificate);
    expect(r.body.data?.fetchSharedLicenceCopy ?? null).toBeNull();
    expect(await t.db.prisma.accessLogEntry.count()).toBe(logged);
    expect(await t.db.prisma.shareAccess.count()).toBe(accesses);
  });

  it('a use code\'s presenter gets the OFD copy behind an .ofd link; the PDF-only licence refuses it, recording no presentation', async () => {
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const minted = ok(await gql(t.url, MINT, { token: buyer, variables: { input: { identifier: flat, expiresAt } } })).mintUseCode;
    const shown = ok(await gql(t.url, PRESENT, { variables: { input: { code: minted.code, recipient: '厦门银行', purpose: '贷款审核', format: 'OFD' } } })).presentUseCode;
    expect(shown.copyFormat).toBe('OFD');
    expect(new URL(shown.copy.url).pathname).toMatch(/\/downloads\/copies\/\d+\.ofd$/);
    const got = await download(shown.copy.url);
    expect(got).toMatchObject({ status: 200, type: 'application/ofd' });
    expect(got.disposition).toMatch(/\.ofd"$/);
    await checkOfdCopy(got.bytes, ['厦门银行', '贷款审核']);
    const [seen] = await t.app.services.useCodes.presentations({ kind: 'applicant', holderCodeType: '111', holderCode: BUYER.code }, minted.useCode.id);
    expect(seen).toMatchObject({ copyFormat: 'ofd', copySha256: sha256(got.bytes) });
    // The link signed for the OFD does not open it as a PDF.
    expect((await download(shown.copy.url.replace('.ofd?', '.pdf?'))).status).not.toBe(200);

    const fund = ok(await gql(t.url, MINT, { token: buyer, variables: { input: { identifier: fundCertificate, expiresAt } } })).mintUseCode;
    const before = await t.db.prisma.useCodePresentation.count();
    const r = await gql(t.url, PRESENT, { variables: { input: { code: fund.code, recipient: '厦门银行', purpose: '贷款审核', format: 'OFD' } } });
    expect(firstCode(r)).toBe('FORMAT_UNAVAILABLE');
    expect(await t.db.prisma.useCodePresentation.count()).toBe(before);
  });
});
