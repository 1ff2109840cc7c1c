/**
 * The licence lifecycle in the services (issue 11, item 3): 变更, 暂扣/恢复, 延续 with
 * 视为准予延续, the paper print file. Each happy path, and each refusal writing nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR, type Actor } from '../../gateway/services/actor.ts';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import {
  addToDate,
  isoDateOf,
  LICENCE_ATTACHMENT_NAME,
  parseIdentifier,
  PROVIDENT_FUND_CERTIFICATE,
  REAL_ESTATE_CERTIFICATE,
  SEED_EXAMPLES,
} from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';

const estate = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
const fund = SEED_EXAMPLES.find((e) => e.typeCode === PROVIDENT_FUND_CERTIFICATE.code)!;
const LIN: Actor = { kind: 'applicant', holderCodeType: '111', holderCode: '350203198507151235' };
const WANG: Actor = { kind: 'applicant', holderCodeType: '111', holderCode: '350206199001010025' };
const ISSUER = (departmentId: string): Actor => ({ kind: 'department', departmentId, role: 'issuer' });
const HANDLER = (departmentId: string): Actor => ({ kind: 'department', departmentId, role: 'handler' });

describe('licence lifecycle', () => {
  const t = useTestApp();
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  const licences = () => t.app.services.licences;
  const issueEstate = async () => (await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code)).licence.identifier;
  const issueFund = async () => (await issueDemoLicence(t.app.services, PROVIDENT_FUND_CERTIFICATE.code)).licence.identifier;
  const pageTokenOf = async (identifier: string) => (await t.db.prisma.licence.findUniqueOrThrow({ where: { identifier } })).pageToken;
  /** Everything a lifecycle call may write. */
  const written = async () => ({
    licences: await t.db.prisma.licence.findMany({ orderBy: { identifier: 'asc' }, select: { identifier: true, status: true, validUntil: true, statusReason: true } }),
    outbox: await t.db.prisma.outbox.count(),
    renewals: await t.db.prisma.licenceRenewal.findMany({ orderBy: { appliedAt: 'asc' } }),
  });
  const refusedWithoutWriting = async (call: () => Promise<unknown>, error: Record<string, unknown>) => {
    const before = await written();
    await expect(call()).rejects.toMatchObject(error);
    expect(await written()).toEqual(before);
  };

  describe('变更 (change)', () => {
    it('signs version 002 of the same serial; the old version is superseded and its status page points to the new one', async () => {
      const identifier = await issueEstate();
      const face = { ...estate.face, usage: '城镇住宅用地/商业' };

      const { identifier: next, pdf } = await licences().changes.change(ISSUER('bdcdj'), identifier, { face, reason: '用途变更' });

      const [before, after] = [parseIdentifier(identifier), parseIdentifier(next)];
      expect(after).toMatchObject({ typeCode: before.typeCode, issuerCode: before.issuerCode, serial: before.serial, version: '002' });
      expect(after.check).toMatch(/^[0-9A-Z*]$/);
      const old = await licences().get(OPERATOR, identifier);
      expect(old).toMatchObject({ status: 'superseded', statusReason: '用途变更', supersededBy: { identifier: next, version: 2 } });
      const fresh = await licences().get(LIN, next);
      expect(fresh).toMatchObject({ status: 'valid', version: 2, supersedes: { identifier, version: 1 }, validUntil: old.validUntil, number: old.number });

      const page = await licences().publicStatus(await pageTokenOf(identifier));
      expect(page).toMatchObject({ status: 'superseded', supersededBy: { identifier: next, statusUrl: fresh.statusUrl } });

      const evidence = await t.db.prisma.outbox.findUniqueOrThrow({ where: { evidenceId: `licence:${next}:changed` } });
      expect(evidence.kind).toBe('licence.changed');
      expect(evidence.payload).toMatchObject({ identifier: next, version: 2, documentSha256: fresh.documentSha256 });

      const [attachment] = readAttachments(pdf, { names: [LICENCE_ATTACHMENT_NAME], maxBytes: 1 << 20 }).attachments;
      expect(JSON.parse(Buffer.from(attachment!.data).toString('utf8')).licence).toMatchObject({ identifier: next, face: { usage: '城镇住宅用地/商业' } });
      const report = await verifyPdf(pdf, { trust: [await t.app.services.pki.rootCertificate()] });
      expect(report.document.verdict).toBe('VALID');
    });

    it.each([
      ['another department', ISSUER('gjj'), { code: 'FORBIDDEN' }],
      ['a handler of the issuing department', HANDLER('bdcdj'), { code: 'FORBIDDEN' }],
      ['an applicant, even the holder', LIN, { code: 'FORBIDDEN' }],
    ])('refuses %s and writes nothing', async (_who, actor, error) => {
      const identifier = await issueEstate();
      await refusedWithoutWriting(() => licences().changes.change(actor, identifier, { face: estate.face, reason: '变更' }), error);
    });

    it('refuses a change of a revoked licence, to another holder, or with bad face data, and writes nothing', async () => {
      const identifier = await issueEstate();
      await refusedWithoutWriting(
        () => licences().changes.change(ISSUER('bdcdj'), identifier, { face: { ...estate.face, holder: '王建国', holderIdNumber: '350206199001010025' }, reason: '转移' }),
        { code: 'INVALID_INPUT', field: 'holderIdNumber' },
      );
      await refusedWithoutWriting(() => licences().changes.change(ISSUER('bdcdj'), identifier, { face: { ...estate.face, floorArea: 'x' }, reason: '变更' }), { code: 'INVALID_FACE_DATA' });
      await licences().revoke(OPERATOR, identifier, '注销登记');
      await refusedWithoutWriting(() => licences().changes.change(ISSUER('bdcdj'), identifier, { face: estate.face, reason: '变更' }), { code: 'LICENCE_STATE', status: 'revoked' });
    });
  });

  describe('暂扣 / 恢复 (suspend / resume)', () => {
    it('suspends: the registry, the status page and a verification say suspended; resuming makes it valid again; each is evidence', async () => {
      const { licence, pdf } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code);
      await licences().changes.suspend(ISSUER('bdcdj'), licence.identifier, '涉嫌违法，依法暂扣');

      expect(await licences().get(LIN, licence.identifier)).toMatchObject({ status: 'suspended', statusReason: '涉嫌违法，依法暂扣' });
      expect((await licences().publicStatus(await pageTokenOf(licence.identifier))).status).toBe('suspended');
      const verified = await t.app.services.verification.verify(OPERATOR, pdf);
      expect(verified.licence).toMatchObject({ identifier: licence.identifier, status: 'suspended' });

      await licences().changes.resume(OPERATOR, licence.identifier, '调查结束');
      expect((await licences().get(OPERATOR, licence.identifier)).status).toBe('valid');
      const kinds = await t.db.prisma.outbox.findMany({ where: { evidenceId: { startsWith: `licence:${licence.identifier}:` } }, orderBy: { createdAt: 'asc' } });
      expect(kinds.map((k) => k.kind)).toEqual(['licence.issued', 'licence.suspended', 'licence.resumed']);
      expect(JSON.stringify(kinds.map((k) => k.payload))).not.toContain('涉嫌');
    });

    it('refuses suspending for a handler or another department, resuming a valid licence, and suspending a revoked one, writing nothing', async () => {
      const identifier = await issueEstate();
      await refusedWithoutWriting(() => licences().changes.suspend(HANDLER('bdcdj'), identifier, '暂扣'), { code: 'FORBIDDEN' });
      await refusedWithoutWriting(() => licences().changes.suspend(ISSUER('scjg'), identifier, '暂扣'), { code: 'FORBIDDEN' });
      await refusedWithoutWriting(() => licences().changes.resume(ISSUER('bdcdj'), identifier, '恢复'), { code: 'LICENCE_STATE', status: 'valid' });
      await refusedWithoutWriting(() => licences().changes.suspend(ISSUER('bdcdj'), identifier, ''), { code: 'INVALID_INPUT', field: 'reason' });
      await licences().revoke(OPERATOR, identifier, '注销');
      await refusedWithoutWriting(() => licences().changes.suspend(ISSUER('bdcdj'), identifier, '暂扣'), { code: 'LICENCE_STATE', status: 'revoked' });
    });

    it('lets a suspended licence be revoked', async () => {
      const identifier = await issueEstate();
      await licences().changes.suspend(OPERATOR, identifier, '暂扣');
      expect((await licences().revoke(ISSUER('bdcdj'), identifier, '吊销')).status).toBe('revoked');
    });
  });

  describe('延续 (renewal)', () => {
    it('the holder applies before expiry; the issuer grants; the registry has the new end and the ledger its evidence', async () => {
      const identifier = await issueFund();
      const issued = await licences().get(OPERATOR, identifier);
      const renewal = await licences().renewals.apply(WANG, identifier);

      expect(renewal).toMatchObject({ state: 'pending', requestedUntil: addToDate(issued.validUntil!, { months: 3 }) });
      expect(renewal.decideBy.getTime() - renewal.appliedAt.getTime()).toBe(20 * 86_400_000);

      await licences().renewals.grant(ISSUER('gjj'), identifier, { validUntil: addToDate(issued.validUntil!, { months: 2 }) });
      const granted = await licences().get(WANG, identifier);
      expect(granted).toMatchObject({ status: 'valid', validUntil: addToDate(issued.validUntil!, { months: 2 }), renewal: { state: 'granted' } });
      const evidence = await t.db.prisma.outbox.findFirstOrThrow({ where: { kind: 'licence.renewed', evidenceId: { startsWith: `licence:${identifier}:renewed:` } } });
      expect(evidence.payload).toMatchObject({ identifier, validUntil: granted.validUntil, decision: 'granted' });

      // Double decision.
      await refusedWithoutWriting(() => licences().renewals.grant(ISSUER('gjj'), identifier), { code: 'RENEWAL_STATE', state: 'granted' });
      await refusedWithoutWriting(() => licences().renewals.refuse(OPERATOR, identifier, '不符合条件'), { code: 'RENEWAL_STATE', state: 'granted' });
    });

    it('counts an application the issuer did not decide in time as granted (视为准予延续), on read, with the date', async () => {
      const identifier = await issueFund();
      const issued = await licences().get(OPERATOR, identifier);
      await licences().renewals.apply(WANG, identifier);
      // The time limit runs out: moved into the past in the database, as 20 days would.
      const limit = new Date(Date.now() - 60_000);
      await t.db.prisma.licenceRenewal.updateMany({ where: { licence: { identifier }, state: 'pending' }, data: { decideBy: limit } });

      const page = await licences().publicStatus(await pageTokenOf(identifier));

      expect(page.renewal).toMatchObject({ state: 'deemed', decidedAt: limit, grantedUntil: addToDate(issued.validUntil!, { months: 3 }) });
      expect(page.validUntil).toBe(addToDate(issued.validUntil!, { months: 3 }));
      expect(page.renewal).not.toHaveProperty('reason');
      const evidence = await t.db.prisma.outbox.findFirstOrThrow({ where: { kind: 'licence.renewed', evidenceId: { startsWith: `licence:${identifier}:` } } });
      expect(evidence.payload).toMatchObject({ decision: 'deemed', at: limit.toISOString() });
      // Too late to decide now.
      await refusedWithoutWriting(() => licences().renewals.refuse(ISSUER('gjj'), identifier, '不予延续'), { code: 'RENEWAL_STATE', state: 'deemed' });
      // Reading again settles nothing twice.
      expect(await licences().renewals.settleDue()).toBe(0);
      expect(await t.db.prisma.outbox.count({ where: { kind: 'licence.renewed', evidenceId: { startsWith: `licence:${identifier}:` } } })).toBe(1);
    });

    it('the sweep settles overdue applications nobody reads', async () => {
      const identifier = await issueFund();
      await licences().renewals.apply(WANG, identifier);
      await t.db.prisma.licenceRenewal.updateMany({ where: { licence: { identifier }, state: 'pending' }, data: { decideBy: new Date(Date.now() - 1000) } });
      expect(await licences().renewals.settleDue()).toBeGreaterThanOrEqual(1);
      expect((await t.db.prisma.licenceRenewal.findFirstOrThrow({ where: { licence: { identifier } } })).state).toBe('deemed');
    });

    it('refuses: with a reason, the validity stays', async () => {
      const identifier = await issueFund();
      const issued = await licences().get(OPERATOR, identifier);
      await licences().renewals.apply(WANG, identifier);
      await licences().renewals.refuse(ISSUER('gjj'), identifier, '缴存状态异常');
      expect(await licences().get(WANG, identifier)).toMatchObject({ validUntil: issued.validUntil, renewal: { state: 'refused', reason: '缴存状态异常' } });
      expect((await licences().publicStatus(await pageTokenOf(identifier))).renewal).toEqual(expect.not.objectContaining({ reason: expect.anything() }));
    });

    it('refuses an applicant of someone else, a department applying, a second application, a decision by another department or a handler', async () => {
      const identifier = await issueFund();
      await refusedWithoutWriting(() => licences().renewals.apply(LIN, identifier), { code: 'NOT_FOUND' });
      await refusedWithoutWriting(() => licences().renewals.apply(ISSUER('gjj'), identifier), { code: 'FORBIDDEN' });
      await refusedWithoutWriting(() => licences().renewals.grant(ISSUER('gjj'), identifier), { code: 'RENEWAL_STATE', state: 'none' });
      await licences().renewals.apply(WANG, identifier);
      await refusedWithoutWriting(() => licences().renewals.apply(WANG, identifier), { code: 'RENEWAL_STATE', state: 'pending' });
      await refusedWithoutWriting(() => licences().renewals.grant(ISSUER('bdcdj'), identifier), { code: 'FORBIDDEN' });
      await refusedWithoutWriting(() => licences().renewals.grant(HANDLER('gjj'), identifier), { code: 'FORBIDDEN' });
      await refusedWithoutWriting(() => licences().renewals.grant(ISSUER('gjj'), identifier, { validUntil: '2000-01-01' }), { code: 'INVALID_INPUT', field: 'validUntil' });
    });

    it('refuses a renewal after expiry, of a long-term licence, and of a revoked one', async () => {
      const expired = await issueFund();
      await t.db.prisma.licence.update({ where: { identifier: expired }, data: { validUntil: new Date(`${addToDate(isoDateOf(new Date()), { days: -2 })}T00:00:00+08:00`) } });
      await refusedWithoutWriting(() => licences().renewals.apply(WANG, expired), { code: 'LICENCE_STATE', status: 'expired' });

      const longTerm = await issueEstate();
      await refusedWithoutWriting(() => licences().renewals.apply(LIN, longTerm), { code: 'LICENCE_STATE' });

      const revoked = await issueFund();
      await licences().revoke(OPERATOR, revoked, '注销');
      await refusedWithoutWriting(() => licences().renewals.apply(WANG, revoked), { code: 'LICENCE_STATE', status: 'revoked' });
    });
  });

  describe('print file', () => {
    it('lays out the same identifier and face data, unsigned, for the issuer; refuses a handler and a revoked licence', async () => {
      const identifier = await issueEstate();

      const pdf = await licences().printFile(ISSUER('bdcdj'), identifier);

      const text = Buffer.from(pdf).toString('latin1');
      expect(text.startsWith('%PDF-')).toBe(true);
      expect(text).not.toContain('/ByteRange');
      const [attachment] = readAttachments(pdf, { names: [LICENCE_ATTACHMENT_NAME], maxBytes: 1 << 20 }).attachments;
      expect(JSON.parse(Buffer.from(attachment!.data).toString('utf8')).licence).toMatchObject({ identifier, face: estate.face });
      const signed = await licences().document(OPERATOR, identifier);
      expect(pdf.length).toBeLessThan(signed.length);

      await expect(licences().printFile(HANDLER('bdcdj'), identifier)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(licences().printFile(LIN, identifier)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await licences().revoke(OPERATOR, identifier, '注销');
      await expect(licences().printFile(OPERATOR, identifier)).rejects.toMatchObject({ code: 'LICENCE_STATE', status: 'revoked' });
    });
  });

  it('anchors every lifecycle record once the outbox drains (the contract accepts each type)', async () => {
    const deadline = Date.now() + 60_000;
    let pending = -1;
    while (Date.now() < deadline) {
      pending = await t.db.prisma.outbox.count({ where: { anchoredAt: null } });
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const failed = await t.db.prisma.outbox.findMany({ where: { anchoredAt: null }, select: { kind: true, lastError: true } });
    expect(failed).toEqual([]);
    const kinds = new Set((await t.db.prisma.outbox.findMany({ select: { kind: true } })).map((r) => r.kind));
    for (const kind of ['licence.changed', 'licence.suspended', 'licence.resumed', 'licence.renewed', 'licence.revoked']) expect(kinds).toContain(kind);
  });
});
