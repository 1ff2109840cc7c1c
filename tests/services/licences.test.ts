import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR, PUBLIC } from '../../gateway/services/actor.ts';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import {
  BUSINESS_LICENCE,
  LICENCE_ATTACHMENT_NAME,
  parseIdentifier,
  PROVIDENT_FUND_CERTIFICATE,
  REAL_ESTATE_CERTIFICATE,
  SEED_EXAMPLES,
} from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';

const example = (typeCode: string) => SEED_EXAMPLES.find((e) => e.typeCode === typeCode)!;

describe('licence issuance', () => {
  const t = useTestApp();
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  const state = async () => ({
    licences: await t.db.prisma.licence.count(),
    documents: await t.db.prisma.licenceDocument.count(),
    outbox: await t.db.prisma.outbox.count(),
    serials: await t.db.prisma.licenceSerial.findMany({ orderBy: { typeCode: 'asc' } }),
  });

  it('issues a licence whose identifier, metadata and signatures are all in order', async () => {
    const { licence, pdf } = await t.app.services.licences.issue(asDepartment('bdcdj'), {
      type: REAL_ESTATE_CERTIFICATE.name,
      departmentId: 'bdcdj',
      face: example(REAL_ESTATE_CERTIFICATE.code).face,
    });

    const id = parseIdentifier(licence.identifier);
    expect(id.typeCode).toBe(REAL_ESTATE_CERTIFICATE.code);
    expect(id.issuerCode).toBe('12350200MB00012343');
    expect(licence).toMatchObject({ status: 'valid', holder: '林美华', holderCodeType: '111', documentSize: pdf.length });
    expect(pdf.length).toBeLessThan(300 * 1024);

    const [attachment] = readAttachments(pdf, { names: [LICENCE_ATTACHMENT_NAME], maxBytes: 1 << 20 }).attachments;
    const embedded = JSON.parse(Buffer.from(attachment!.data).toString('utf8'));
    expect(embedded.licence).toMatchObject({ identifier: licence.identifier, holderCode: '350203198507151235', issuerCode: '12350200MB00012343' });

    const root = await t.app.services.pki.rootCertificate();
    const report = await verifyPdf(pdf, { trust: [root] });
    expect(report.document.verdict).toBe('VALID');
    expect(report.signatures.map((s) => [s.fieldName, s.indication])).toEqual([
      ['Seal1', 'TOTAL_PASSED'],
      ['DocTimeStamp1', 'TOTAL_PASSED'],
    ]);
    expect(report.signatures[0]!.padesLevel).toBe('B-LTA');
    expect(report.signatures[0]!.certificationLevel).toBe(2);
  });

  it('numbers serials per type and issuer in order; a refusal before allocation consumes none', async () => {
    const issue = () => issueDemoLicence(t.app.services, PROVIDENT_FUND_CERTIFICATE.code);
    const first = parseIdentifier((await issue()).licence.identifier).serial;
    await expect(
      t.app.services.licences.issue(OPERATOR, { type: PROVIDENT_FUND_CERTIFICATE.code, departmentId: 'gjj', face: { name: '王建国' } }),
    ).rejects.toMatchObject({ name: 'FaceDataError' });
    const second = parseIdentifier((await issue()).licence.identifier).serial;

    expect(Number(second)).toBe(Number(first) + 1);
  });

  it('rejects bad face data with every problem named, and writes nothing', async () => {
    const before = await state();
    const face = { ...example(BUSINESS_LICENCE.code).face, uscc: '91350100M000100Y44', establishedOn: '2015-02-30' };

    const failure = await t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face }).catch((e: unknown) => e);

    expect(failure).toMatchObject({ name: 'FaceDataError' });
    const fields = (failure as { problems: { field: string }[] }).problems.map((p) => p.field).sort();
    expect(fields).toEqual(['establishedOn', 'uscc']);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['an unknown licence type', { type: '不存在的证照' }, 'NOT_FOUND'],
    ['a type the department does not issue', { type: PROVIDENT_FUND_CERTIFICATE.code }, 'FORBIDDEN'],
    ['an unknown department', { departmentId: 'nobody' }, 'NOT_FOUND'],
    ['a malformed issue date', { issueDate: '2026-13-01' }, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_name, change, code) => {
    const before = await state();
    const input = { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: example(BUSINESS_LICENCE.code).face, ...change };

    await expect(t.app.services.licences.issue(OPERATOR, input)).rejects.toMatchObject({ code });
    expect(await state()).toEqual(before);
  });

  it('lets a department issue only for itself, and read only its own licences', async () => {
    const input = { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: example(BUSINESS_LICENCE.code).face };
    await expect(t.app.services.licences.issue(asDepartment('gjj'), input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.app.services.licences.issue(PUBLIC, input)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const { licence } = await t.app.services.licences.issue(asDepartment('scjg'), input);
    await expect(t.app.services.licences.get(asDepartment('gjj'), licence.identifier)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.app.services.licences.document(asDepartment('gjj'), licence.identifier)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.app.services.licences.document(asDepartment('scjg'), licence.identifier)).length).toBe(licence.documentSize);
  });

  it('anchors the issued document on the ledger through the outbox', async () => {
    const { licence } = await issueDemoLicence(t.app.services);

    let anchored = licence;
    for (let i = 0; i < 200 && !anchored.anchor; i++) {
      await new Promise((r) => setTimeout(r, 100));
      anchored = await t.app.services.licences.get(OPERATOR, licence.identifier);
    }

    expect(anchored.anchor?.transactionId).toMatch(/^[0-9a-f]{64}$/);
    const evidence = await t.app.services.ledger.verifyDocument(licence.documentSha256);
    expect(evidence.map((e) => e.record.evidenceId)).toContain(`licence:${licence.identifier}:issued`);
    expect(evidence[0]!.proof?.valid).toBe(true);
  });

  it('revokes a licence once: the status page says so and the revocation is queued for the ledger', async () => {
    const { licence } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code);

    await t.app.services.licences.revoke(asDepartment('bdcdj'), licence.identifier, '权利人申请注销');

    const page = await fetch(`${licence.statusUrl}?format=json`);
    expect(((await page.json()) as { status: string }).status).toBe('revoked');
    expect(await t.db.prisma.outbox.findUnique({ where: { evidenceId: `licence:${licence.identifier}:revoked` } })).not.toBeNull();
    await expect(t.app.services.licences.revoke(OPERATOR, licence.identifier, 'again')).rejects.toMatchObject({ code: 'LICENCE_STATE' });
    await expect(t.app.services.licences.revoke(asDepartment('scjg'), licence.identifier, 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the public status page', () => {
  const t = useTestApp();
  let identifier: string;
  let statusUrl: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    ({
      licence: { identifier, statusUrl },
    } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code));
  });

  const page = async (url: string | URL) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  it('is reached by an unguessable token, not by the identifier, and shows the identifier', () => {
    const token = new URL(statusUrl).pathname.split('/').pop()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(statusUrl).not.toContain(identifier);
  });

  it('shows the status and the document hash, masks a person’s name, and shows no face data', async () => {
    const res = await fetch(statusUrl);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('有效');
    expect(html).toContain(identifier);
    expect(html).toContain('林**');
    expect(html).not.toContain('林美华');
    expect(html).not.toContain('350203198507151235');
    expect(html).not.toContain('湖光路');
  });

  it('masks a long name of a natural person to its first character (姓名脱敏)', async () => {
    const { face, number } = SEED_EXAMPLES.find((e) => e.typeCode === PROVIDENT_FUND_CERTIFICATE.code)!;
    const { licence } = await t.app.services.licences.issue(OPERATOR, {
      type: PROVIDENT_FUND_CERTIFICATE.code,
      departmentId: 'gjj',
      face: { ...face, name: '阿卜杜热合曼·买买提' },
      number,
    });

    const status = await t.app.services.licences.publicStatus(new URL(licence.statusUrl).pathname.split('/').pop()!);
    const { body } = await page(licence.statusUrl);

    expect(status.holderMasked).toBe('阿*********');
    expect(body).toContain('阿*********');
    expect(body).not.toContain('买买提');
  });

  it('shows a company by its name', async () => {
    const { licence } = await issueDemoLicence(t.app.services, BUSINESS_LICENCE.code);
    expect(licence.holderCodeType).toBe('001');
    expect((await page(licence.statusUrl)).body).toContain('厦门鹭岛数字科技有限公司');
  });

  it('answers JSON on request', async () => {
    const res = await fetch(statusUrl, { headers: { accept: 'application/json' } });
    expect(await res.json()).toMatchObject({ identifier, status: 'valid', holderMasked: '林**', typeName: '不动产权证书' });
  });

  it('reveals nothing for a guessed sequential identifier: the same 404 for an issued one and one never issued', async () => {
    const { serial, typeCode } = parseIdentifier(identifier);
    const { identifier: earlier } = await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode, serial: Number(serial) - 1 } });
    const never = identifier.replace(`.${serial}.`, '.9999999.');

    const answers = await Promise.all([identifier, earlier, never].map((id) => page(new URL(`licences/${encodeURIComponent(id)}?format=json`, t.url))));

    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.body).toContain('QR code');
    expect(answers[0]!.body).not.toContain('林');
  });

  it('answers an unknown identifier with 404 and a typed error', async () => {
    const res = await fetch(new URL('licences/1.2.156.3005.2.nothing', t.url));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('answers a hostile identifier with a JSON error, never with HTML that echoes it', async () => {
    const res = await fetch(new URL(`licences/${encodeURIComponent('<script>alert(1)</script>')}`, t.url));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
