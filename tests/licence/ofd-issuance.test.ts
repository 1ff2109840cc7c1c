/**
 * Licences issued as OFD (issue 13, item 3): through GraphQL, sealed with the department's
 * SM2 seal (and the joint department's), stored beside the PDF under one identifier,
 * anchored in the same ledger record, verified by our verifier and by BouncyCastle, with
 * the registry status in every new verification, and refused without writing anything
 * when the department has no SM2 seal or the format is not one we make.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, PUBLIC } from '../../gateway/services/index.ts';
import { BUSINESS_LICENCE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { readOfdZip } from '../../signer/ofd/ofd-zip.ts';
import { verify } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';
import { bcPassed, judgeOfdBytesWithBouncyCastle, skipWithoutBouncyCastle } from '../support/bouncycastle.ts';
import { firstCode, gql, gqlUpload } from '../graphql/support.ts';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const businessFace = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!.face;
const estateFace = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face;

const ISSUE = `mutation Issue($input: IssueLicenceInput!) {
  issueLicence(input: $input) {
    __typename
    ... on IssueLicenceSuccess { data { identifier number issuedAt validFrom validUntil documentSha256 ofdSha256 ofdSize formats download { url } ofdDownload { url expiresAt } } }
  }
}`;
const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) {
  verdict sha256 licence { identifier status } signatures { indication } ledger { evidenceId type }
} }`;

async function fetchBytes(url: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Uint8Array }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('licences issued as OFD', { timeout: 240_000 }, () => {
  const t = useTestApp();
  let issuer: string;
  let estateIssuer: string;
  let ofd: Uint8Array;
  let pdf: Uint8Array;
  let licence: Record<string, any>;

  // Our SM2 root as trust anchor, the department SM2 CAs and each one's current CRL: an OFD carries no validation data.
  const sm2Validation = async () => {
    const cas = await t.db.prisma.certificate.findMany({ where: { role: { in: ['sm2-root', 'sm2-department-ca'] } } });
    return {
      trust: [await t.app.services.pki.sm2RootCertificate()],
      certificates: cas.filter((c) => c.role === 'sm2-department-ca').map((c) => c.der),
      crls: await Promise.all(cas.map(async (c) => (await t.app.services.pki.currentCrl(c.id)).der)),
    };
  };

  beforeAll(async () => {
    await t.app.seedDemo();
    issuer = (await t.app.tokens.mint(OPERATOR, { departmentId: 'scjg', role: 'issuer' })).token;
    estateIssuer = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer' })).token;
    const issued = await gql(t.url, ISSUE, { token: issuer, variables: { input: { type: BUSINESS_LICENCE.code, face: businessFace, format: 'BOTH' } } });
    expect(issued.body.errors).toBeUndefined();
    licence = issued.body.data!.issueLicence.data;
    const got = await fetchBytes(licence.ofdDownload.url);
    expect(got).toMatchObject({ status: 200, type: 'application/ofd', disposition: `attachment; filename="${licence.identifier}.ofd"` });
    ofd = got.bytes;
    pdf = (await fetchBytes(licence.download.url)).bytes;
  });

  it('stores both formats under one identifier, serial, face and dates, the OFD downloadable by its own signed link', async () => {
    expect(licence.formats).toEqual(['PDF', 'OFD']);
    expect(licence.ofdSha256).toBe(sha256(ofd));
    expect(licence.ofdSize).toBe(ofd.length);
    expect(licence.documentSha256).toBe(sha256(pdf));
    expect(Buffer.from(ofd.subarray(0, 2)).toString('latin1')).toBe('PK');
    // The OFD carries the same identifier (GB/T 36903 CustomData) as the registry row.
    const row = await t.db.prisma.licence.findUniqueOrThrow({ where: { identifier: licence.identifier }, include: { document: { select: { ofdSha256: true, sha256: true } } } });
    expect(row.document).toEqual({ sha256: licence.documentSha256, ofdSha256: licence.ofdSha256 });
    const ofdXml = Buffer.from(readOfdZip(ofd).get('OFD.xml')!).toString('utf8');
    expect(ofdXml).toContain(`<ofd:CustomData Name="证照标识">${licence.identifier}</ofd:CustomData>`);
    expect(ofdXml).toContain(`<ofd:CustomData Name="证照编号">${licence.number}</ofd:CustomData>`);
  });

  it('seals the OFD with the issuer\'s SM2 seal: TOTAL_PASSED by our verifier', async () => {
    const report = await verify(ofd, await sm2Validation());
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    // The verification service adds the same validation data itself (an OFD carries none).
    const served = await t.app.services.verification.verify(PUBLIC, ofd);
    expect(served.report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    const issuerSeal = await t.app.services.seals.activeSealOf('scjg', { sm2: true });
    expect(report.signatures[0]!.seal?.name).toBe(issuerSeal!.name);
  });

  it('issues the demo 营业执照 as both, its OFD sealed by the issuer and the joint department (联办件), each seal TOTAL_PASSED', async () => {
    const [demo] = await t.app.services.licences.listByDepartment(OPERATOR, 'scjg', { limit: 1, offset: 1 });
    expect(demo!.formats).toEqual(['pdf', 'ofd']);
    const demoOfd = await t.app.services.licences.ofdDocument(OPERATOR, demo!.identifier);
    const report = await verify(demoOfd, await sm2Validation());
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    const seals = [await t.app.services.seals.activeSealOf('scjg', { sm2: true }), await t.app.services.seals.activeSealOf('xzsp', { sm2: true })];
    expect(report.signatures.map((s) => s.seal?.name)).toEqual(seals.map((x) => x!.name));
    if (!skipWithoutBouncyCastle('demo OFD judged by BouncyCastle')) {
      const verdicts = await judgeOfdBytesWithBouncyCastle(demoOfd);
      expect(verdicts).toHaveLength(2);
      for (const v of verdicts) expect(bcPassed(v), JSON.stringify(v)).toBe(true);
    }
  });

  it.skipIf(skipWithoutBouncyCastle('OFD licence judged by BouncyCastle'))('is judged intact by BouncyCastle: digests, dataHash, signer and maker signatures', async () => {
    const verdicts = await judgeOfdBytesWithBouncyCastle(ofd);
    expect(verdicts).toHaveLength(1);
    expect(bcPassed(verdicts[0]!), JSON.stringify(verdicts[0])).toBe(true);
  });

  it('anchors the OFD\'s SHA-256 in the licence\'s issuance record once the outbox drains', async () => {
    let records = await t.app.services.ledger.verifyDocument(licence.ofdSha256);
    for (let i = 0; i < 100 && records.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      records = await t.app.services.ledger.verifyDocument(licence.ofdSha256);
    }
    expect(records.map(({ record: r }) => [r.evidenceId, r.type, (r as unknown as Record<string, unknown>).documentSha256, (r as unknown as Record<string, unknown>).ofdSha256])).toEqual([
      [`licence:${licence.identifier}:issued`, 'licence.issued', licence.documentSha256, licence.ofdSha256],
    ]);
    const read = await t.app.services.licences.get(OPERATOR, licence.identifier);
    expect(read.anchor?.transactionId).toBe(records[0]!.record.txId);
  });

  it('shows the registry status in every verification of the OFD (service, /verify, GraphQL), revoked after revocation', async () => {
    const before = await gqlUpload(t.url, VERIFY, ofd, { name: 'licence.ofd', type: 'application/ofd' });
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data!.verifyPdf).toMatchObject({ sha256: licence.ofdSha256, licence: { identifier: licence.identifier, status: 'VALID' } });

    await t.app.services.licences.revoke(OPERATOR, licence.identifier, '申请人申请注销');

    const service = await t.app.services.verification.verify(PUBLIC, ofd);
    expect(service.licence).toMatchObject({ identifier: licence.identifier, status: 'revoked' });
    const page = (await (await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/ofd' }, body: ofd })).json()) as { licence: { identifier: string; status: string } };
    expect(page.licence).toMatchObject({ identifier: licence.identifier, status: 'revoked' });
    const after = await gqlUpload(t.url, VERIFY, ofd, { name: 'licence.ofd', type: 'application/ofd' });
    expect(after.body.data!.verifyPdf.licence).toEqual({ identifier: licence.identifier, status: 'REVOKED' });
    expect(after.body.data!.verifyPdf.ledger.map((l: { type: string }) => l.type)).toContain('licence.issued');
  });

  it('lists both formats with their SHA-256 on the public status page', async () => {
    const row = await t.db.prisma.licence.findUniqueOrThrow({ where: { identifier: licence.identifier } });
    const status = await t.app.services.licences.publicStatus(row.pageToken);
    expect(status.files).toEqual([
      { format: 'pdf', sha256: licence.documentSha256, size: pdf.length },
      { format: 'ofd', sha256: licence.ofdSha256, size: ofd.length },
    ]);
    const html = await (await fetch(new URL(`licences/${row.pageToken}`, t.url))).text();
    expect(html).toContain(`OFD 文件摘要 SHA-256</th><td>${licence.ofdSha256}`);
    expect(html).toContain(`PDF 文件摘要 SHA-256</th><td>${licence.documentSha256}`);
  });

  it('refuses OFD from a department without an SM2 seal, saying how to make one; nothing stored, no serial consumed', async () => {
    const counts = async () => [await t.db.prisma.licence.count(), await t.db.prisma.outbox.count(), JSON.stringify(await t.db.prisma.licenceSerial.findMany({ orderBy: { typeCode: 'asc' } }))];
    const before = await counts();
    for (const format of ['OFD', 'BOTH']) {
      const r = await gql(t.url, ISSUE, { token: estateIssuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face: estateFace, format } } });
      expect(firstCode(r)).toBe('NO_SM2_SEAL');
      expect(r.body.errors![0]!.message).toContain('zhengyin seal create --department bdcdj --algorithm sm2');
      expect(r.body.errors![0]!.extensions).toMatchObject({ departmentId: 'bdcdj' });
    }
    expect(await counts()).toEqual(before);
    expect(await t.app.services.licences.voids(OPERATOR, { departmentId: 'bdcdj' })).toEqual([]);
  });

  it('refuses a format that is not one we make, in GraphQL and in the service, writing nothing', async () => {
    const before = await t.db.prisma.licence.count();
    const r = await gql(t.url, ISSUE, { token: estateIssuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face: estateFace, format: 'DOCX' } } });
    expect(firstCode(r)).toBe('BAD_USER_INPUT');
    await expect(
      t.app.services.licences.issue(OPERATOR, { type: REAL_ESTATE_CERTIFICATE.code, departmentId: 'bdcdj', face: estateFace, format: 'docx' as 'pdf' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'format' });
    expect(await t.db.prisma.licence.count()).toBe(before);
  });

  it('issues OFD only on request: ofdDownload is null for a PDF-only licence, and a download link expires', async () => {
    const r = await gql(t.url, ISSUE, { token: estateIssuer, variables: { input: { type: REAL_ESTATE_CERTIFICATE.code, face: estateFace } } });
    expect(r.body.data!.issueLicence.data).toMatchObject({ formats: ['PDF'], ofdSha256: null, ofdDownload: null });
    await expect(t.app.services.licences.ofdDocument(OPERATOR, r.body.data!.issueLicence.data.identifier)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const url = new URL(licence.ofdDownload.url);
    const expired = new URL(url);
    expired.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 1));
    expect((await fetch(expired)).status).toBe(403); // a changed expiry breaks the signature
    const { DownloadLinks } = await import('../../gateway/auth/download-links.ts');
    const links = new DownloadLinks({ key: new Uint8Array(32), publicUrl: t.url, now: () => new Date(0) });
    const { url: old } = links.licenceOfd(licence.identifier);
    const p = new URL(old).searchParams;
    expect(new DownloadLinks({ key: new Uint8Array(32), publicUrl: t.url }).check('licence-ofd', licence.identifier, p.get('expires'), p.get('signature'))).toBe('expired');
    expect(links.check('licence-pdf', licence.identifier, p.get('expires'), p.get('signature'))).toBe('invalid');
  });
});
