import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR, PUBLIC, type Actor } from '../../gateway/services/actor.ts';
import { DEMO_APPLICANTS, issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { UseCodeService, type MintedUseCode } from '../../gateway/services/use-codes/index.ts';
import { checkCharacter } from '../../gateway/services/use-codes/code-format.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { ORIGINAL_ATTACHMENT_NAME } from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';

const [PERSON, COMPANY] = DEMO_APPLICANTS;
const company: Actor = { kind: 'applicant', holderCodeType: '001', holderCode: COMPANY.code };
const person: Actor = { kind: 'applicant', holderCodeType: '111', holderCode: PERSON.code };
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

describe('use codes (用证码)', () => {
  const t = useTestApp();
  let identifier: string;
  const useCodes = () => t.app.services.useCodes;
  /** Rows a refusal must not add to. */
  const counts = async () => ({
    codes: await t.db.prisma.useCode.count(),
    presentations: await t.db.prisma.useCodePresentation.count(),
    audit: await t.db.prisma.auditEntry.count({ where: { action: { startsWith: 'useCode.' } } }),
  });

  beforeAll(async () => {
    await t.app.seedDemo();
    // A 营业执照 of its own, held by the demo company.
    ({ licence: { identifier } } = await issueDemoLicence(t.app.services));
  });

  describe('minting', () => {
    it('gives the holder a typable code and its URL, stores only an HMAC and the last four characters', async () => {
      const minted = await useCodes().mint(company, { identifier, expiresAt: inDays(7), purpose: '银行开户' });

      expect(minted.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(minted.url).toBe(new URL(`use-codes/${minted.code}`, t.config.publicUrl).toString());
      expect(minted.useCode).toMatchObject({ identifier, state: 'active', purpose: '银行开户', presentations: 0, hint: minted.code.slice(-4) });
      const row = await t.db.prisma.useCode.findUniqueOrThrow({ where: { id: minted.useCode.id } });
      const stored = JSON.stringify(row);
      expect(stored).not.toContain(minted.code.replace(/-/g, ''));
      expect(row.codeHmac).toMatch(/^[0-9a-f]{64}$/);
      expect(await t.db.prisma.auditEntry.count({ where: { action: 'useCode.mint', targets: { array_contains: [minted.useCode.id] } } })).toBe(1);
    });

    it.each([
      ['another applicant', person, 'NOT_FOUND'],
      ['the issuing department', asDepartment('scjg'), 'FORBIDDEN'],
      ['the operator', OPERATOR, 'FORBIDDEN'],
      ['anyone', PUBLIC, 'FORBIDDEN'],
    ] as const)('refuses %s (%s) and writes nothing', async (_name, actor, code) => {
      const before = await counts();
      await expect(useCodes().mint(actor, { identifier, expiresAt: inDays(1) })).rejects.toMatchObject({ code });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['past', () => inDays(-1)],
      ['more than 30 days ahead', () => inDays(31)],
    ])('refuses an expiry %s', async (_name, expiresAt) => {
      await expect(useCodes().mint(company, { identifier, expiresAt: expiresAt() })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'expiresAt' });
    });

    it('refuses a purpose over 200 characters', async () => {
      await expect(useCodes().mint(company, { identifier, expiresAt: inDays(1), purpose: '用'.repeat(201) })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'purpose' });
    });
  });

  describe('presenting', () => {
    let minted: MintedUseCode;
    beforeAll(async () => {
      minted = await useCodes().mint(company, { identifier, expiresAt: inDays(3) });
    });

    it('shows the public status and releases a copy naming the recipient, with the licence inside; the holder sees who', async () => {
      const shown = await useCodes().present({ code: minted.code.toLowerCase(), recipient: '厦门银行思明支行', purpose: '对公账户开户' }, '10.0.0.1');

      expect(shown.status).toMatchObject({ identifier, status: 'valid', holderMasked: COMPANY.name });
      expect(shown.status).not.toHaveProperty('holderCode');
      expect(shown.copyId).toMatch(/^\d+$/);
      expect(shown.copyValidUntil!.getTime()).toBe(minted.useCode.expiresAt.getTime());

      const { bytes: copy, format } = (await useCodes().copy(shown.copyId!))!;
      expect(format).toBe('pdf');
      const root = await t.app.services.pki.rootCertificate();
      expect((await verifyPdf(copy, { trust: [root] })).signatures.every((s) => s.indication === 'TOTAL_PASSED')).toBe(true);
      const inside = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments[0]!.data;
      expect(Buffer.from(inside).equals(Buffer.from(await t.app.services.licences.document(company, identifier)))).toBe(true);

      const [seen] = await useCodes().presentations(company, minted.useCode.id);
      expect(seen).toMatchObject({ recipient: '厦门银行思明支行', purpose: '对公账户开户', id: shown.copyId });
      expect((await useCodes().listOwn(company, { identifier })).find((c) => c.id === minted.useCode.id)!.presentations).toBe(1);
      expect(await t.db.prisma.auditEntry.count({ where: { action: 'useCode.present', actorKind: 'public', targets: { array_contains: [minted.useCode.id, shown.copyId] } } })).toBe(1);
    });

    it('lets no one but the holder read the presentations', async () => {
      await expect(useCodes().presentations(person, minted.useCode.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(useCodes().presentations(asDepartment('scjg'), minted.useCode.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(useCodes().listOwn(PUBLIC)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it.each([
      ['a forged code (its check character right)', () => '0000000000' + 'A' + checkCharacter('0000000000A'), 'USE_CODE_UNKNOWN'],
      ['a typo (its check character wrong)', () => minted.code.slice(0, -1) + (minted.code.endsWith('0') ? '1' : '0'), 'INVALID_CODE'],
    ])('refuses %s and writes nothing', async (_name, code, expected) => {
      const before = await counts();
      await expect(useCodes().present({ code: code(), recipient: '某银行', purpose: '开户' }, '10.0.0.2')).rejects.toMatchObject({ code: expected });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an empty recipient', { recipient: ' ', purpose: '开户' }, 'note.recipient'],
      ['a recipient over 100 characters', { recipient: '银'.repeat(101), purpose: '开户' }, 'note.recipient'],
      ['a purpose over 200 characters', { recipient: '某银行', purpose: '开'.repeat(201) }, 'note.purpose'],
    ])('refuses %s and writes nothing', async (_name, who, field) => {
      const before = await counts();
      await expect(useCodes().present({ code: minted.code, ...who }, '10.0.0.3')).rejects.toMatchObject({ code: 'INVALID_INPUT', field });
      expect(await counts()).toEqual(before);
    });

    it('refuses an expired code and writes nothing', async () => {
      const expiring = await useCodes().mint(company, { identifier, expiresAt: inDays(1) });
      await t.db.prisma.useCode.update({ where: { id: expiring.useCode.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const before = await counts();
      await expect(useCodes().present({ code: expiring.code, recipient: '某银行', purpose: '开户' }, '10.0.0.4')).rejects.toMatchObject({ code: 'USE_CODE_EXPIRED' });
      expect(await counts()).toEqual(before);
      expect((await useCodes().listOwn(company)).find((c) => c.id === expiring.useCode.id)!.state).toBe('expired');
    });

    it('refuses a withdrawn code and writes nothing; only the holder withdraws', async () => {
      const withdrawn = await useCodes().mint(company, { identifier, expiresAt: inDays(1) });
      await expect(useCodes().withdraw(person, withdrawn.useCode.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(useCodes().withdraw(PUBLIC, withdrawn.useCode.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await useCodes().withdraw(company, withdrawn.useCode.id)).state).toBe('withdrawn');
      expect((await useCodes().withdraw(company, withdrawn.useCode.id)).state).toBe('withdrawn');
      expect(await t.db.prisma.auditEntry.count({ where: { action: 'useCode.withdraw', targets: { array_contains: [withdrawn.useCode.id] } } })).toBe(1);

      const before = await counts();
      await expect(useCodes().present({ code: withdrawn.code, recipient: '某银行', purpose: '开户' }, '10.0.0.5')).rejects.toMatchObject({ code: 'USE_CODE_WITHDRAWN' });
      expect(await counts()).toEqual(before);
    });

    it('shows a revoked licence as revoked and makes no copy, recording the presentation', async () => {
      const { licence } = await issueDemoLicence(t.app.services);
      const code = await useCodes().mint(company, { identifier: licence.identifier, expiresAt: inDays(1) });
      await t.app.services.licences.revoke(OPERATOR, licence.identifier, '测试注销');

      const shown = await useCodes().present({ code: code.code, recipient: '某银行', purpose: '开户' }, '10.0.0.6');
      expect(shown).toMatchObject({ status: { status: 'revoked' }, copyId: null, copyValidUntil: null });
      expect(await useCodes().presentations(company, code.useCode.id)).toMatchObject([{ recipient: '某银行', copySha256: null }]);
    });

    it('limits presentations per address: a refused one looks nothing up and writes nothing', async () => {
      const limited = new UseCodeService({
        prisma: t.db.prisma,
        licences: t.app.services.licences,
        copies: t.app.services.copies,
        audit: t.app.services.audit,
        key: Buffer.alloc(32, 7),
        publicUrl: t.config.publicUrl,
        log: createLogger({ level: 'warn' }),
        presentLimits: { ratePerSecond: 0.001, burst: 2, concurrency: 1 },
      });
      const forged = '0000000000A' + checkCharacter('0000000000A');
      for (let i = 0; i < 2; i++) await expect(limited.present({ code: forged, recipient: '某银行', purpose: '开户' }, '10.9.9.9')).rejects.toMatchObject({ code: 'USE_CODE_UNKNOWN' });
      const before = await counts();
      await expect(limited.present({ code: forged, recipient: '某银行', purpose: '开户' }, '10.9.9.9')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(await counts()).toEqual(before);
      await expect(limited.present({ code: forged, recipient: '某银行', purpose: '开户' }, '10.9.9.10')).rejects.toMatchObject({ code: 'USE_CODE_UNKNOWN' });
    });
  });
});
