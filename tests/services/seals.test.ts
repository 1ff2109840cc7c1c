import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR, PUBLIC } from '../../gateway/services/actor.ts';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { BUSINESS_LICENCE, decodeSeal, sealBindsCertificate, verifySeal } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';

describe('the seal registry', () => {
  const t = useTestApp();
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  const counts = async () => ({
    licences: await t.db.prisma.licence.count(),
    outbox: await t.db.prisma.outbox.count(),
    serials: await t.db.prisma.licenceSerial.findMany(),
  });

  it('makes a GB/T 38540 seal signed by the maker and bound to its signing certificate', async () => {
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'bdcdj', title: '不动产登记专用章' });

    const der = await t.app.services.seals.sesSeal(seal.id);
    const verification = await verifySeal(der);
    expect(verification.signatureValid).toBe(true);
    const certificate = await t.app.services.pki.getCertificate(seal.certificateIds[0]!);
    expect(sealBindsCertificate(decodeSeal(der), certificate.der)).toBe(true);
    expect(decodeSeal(der).eSealInfo.esID).toBe(seal.id);
    expect(seal).toMatchObject({ state: 'active', departmentId: 'bdcdj', name: '厦门市不动产登记中心不动产登记专用章' });
  });

  it('numbers seals made at the same moment apart, each SES_Seal carrying its own number', async () => {
    const made = await Promise.all(
      ['并发一章', '并发二章', '并发三章'].map((title) => t.app.services.seals.create(OPERATOR, { departmentId: 'xzsp', title })),
    );

    const ids = made.map((seal) => seal.id);
    expect(new Set(ids).size).toBe(3);
    for (const seal of made) expect(decodeSeal(await t.app.services.seals.sesSeal(seal.id)).eSealInfo.esID).toBe(seal.id);
  });

  it('refuses a revoked seal: typed error, nothing written, no serial consumed', async () => {
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'scjg', title: '测试专用章' });
    const before = await counts();
    await t.app.services.seals.revoke(OPERATOR, seal.id, '印章遗失');

    await expect(t.app.services.seals.signer(OPERATOR, seal.id)).rejects.toMatchObject({ code: 'SEAL_REVOKED', sealId: seal.id });
    const pdf = (await issueDemoLicence(t.app.services)).pdf;
    const afterIssue = await counts();
    await expect(
      t.app.services.seals.apply(OPERATOR, seal.id, pdf, { page: 0, x: 50, y: 50 }, t.app.services.pki.timestampAuthority()),
    ).rejects.toMatchObject({ code: 'SEAL_REVOKED' });
    expect(await counts()).toEqual(afterIssue);
    expect(afterIssue.licences).toBe(before.licences + 1);
    // Its certificate is revoked with it: the PKI refuses it too, whoever asks.
    await expect(t.app.services.pki.signingIdentity(seal.certificateIds[0]!)).rejects.toMatchObject({ code: 'CERTIFICATE_REVOKED' });
  });

  it('refuses a revoked joint seal at issuance, writing nothing', async () => {
    const joint = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '联办专用章' });
    await t.app.services.seals.revoke(OPERATOR, joint.id, '停用');
    const before = await counts();

    const { face } = (await import('../../signer/index.ts')).SEED_EXAMPLES[0]!;
    await expect(
      t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face, jointSealIds: [joint.id] }),
    ).rejects.toMatchObject({ code: 'SEAL_REVOKED' });
    expect(await counts()).toEqual(before);
  });

  it('suspends and resumes: a suspended seal cannot sign, a resumed one can', async () => {
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'xzsp', title: '暂停测试章' });
    await t.app.services.seals.suspend(OPERATOR, seal.id, '核查中');

    await expect(t.app.services.seals.signer(OPERATOR, seal.id)).rejects.toMatchObject({ code: 'SEAL_SUSPENDED' });

    await t.app.services.seals.resume(OPERATOR, seal.id);
    const { identity } = await t.app.services.seals.signer(OPERATOR, seal.id);
    expect(identity.certificate.length).toBeGreaterThan(0);
  });

  it.each([
    ['resume an active seal', async (id: string) => t.app.services.seals.resume(OPERATOR, id), 'SEAL_STATE'],
    ['suspend without a reason', async (id: string) => t.app.services.seals.suspend(OPERATOR, id, ' '), 'INVALID_INPUT'],
    ['suspend as another department', async (id: string) => t.app.services.seals.suspend(asDepartment('gjj'), id, 'x'), 'FORBIDDEN'],
    ['revoke as the public', async (id: string) => t.app.services.seals.revoke(PUBLIC, id, 'x'), 'FORBIDDEN'],
    ['sign as another department', async (id: string) => t.app.services.seals.signer(asDepartment('gjj'), id), 'FORBIDDEN'],
  ])('refuses to %s', async (_name, act, code) => {
    const seal = (await t.app.services.seals.activeSealOf('scjg'))!;
    await expect(act(seal.id)).rejects.toMatchObject({ code });
    expect((await t.app.services.seals.get(seal.id)).state).toBe('active');
  });

  it('cannot bring a revoked seal back', async () => {
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '注销测试章' });
    await t.app.services.seals.revoke(OPERATOR, seal.id, '注销');

    await expect(t.app.services.seals.resume(OPERATOR, seal.id)).rejects.toMatchObject({ code: 'SEAL_STATE', state: 'revoked' });
  });

  it('refuses an expired seal', async () => {
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '过期测试章', validDays: 1 });

    await expect(t.app.services.seals.signer(OPERATOR, seal.id, new Date(Date.now() + 2 * 86_400_000))).rejects.toMatchObject({ code: 'SEAL_EXPIRED' });
  });

  it('a department issues with its own active seal (issuance still works after the refusals above)', async () => {
    const { licence } = await issueDemoLicence(t.app.services);
    expect(licence.status).toBe('valid');
  });
});
