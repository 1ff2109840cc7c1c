/**
 * 变更 of a licence issued as PDF and OFD (issue 13): the new version is made in both
 * formats, its OFD sealed with the department's SM2 seal, naming the new identifier,
 * stored and anchored in the version's `licence.changed` record; a PDF-only licence
 * changes into a PDF-only version as before.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../gateway/services/actor.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE } from '../../signer/index.ts';
import { readOfdZip } from '../../signer/ofd/ofd-zip.ts';
import { verify } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const ISSUER = (departmentId: string): Actor => ({ kind: 'department', departmentId, role: 'issuer' });

describe('变更 of a licence issued as OFD too', { timeout: 240_000 }, () => {
  const t = useTestApp();

  beforeAll(async () => {
    await t.app.seedDemo();
  }, 180_000);

  it('makes the new version in both formats: its OFD sealed by the issuer\'s SM2 seal, naming the new identifier, anchored', async () => {
    const old = await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: BUSINESS_LICENCE.code, departmentId: 'scjg', document: { ofdSha256: { not: null } } } });
    const changed = await t.app.services.licences.changes.change(ISSUER('scjg'), old.identifier, { face: old.faceData as Record<string, unknown>, reason: '住所变更' });
    expect(changed.identifier).not.toBe(old.identifier);
    const ofd = changed.ofd!;
    expect(ofd).toBeDefined();

    const stored = await t.app.services.licences.get(OPERATOR, changed.identifier);
    expect(stored.formats).toEqual(['pdf', 'ofd']);
    expect(stored.ofdSha256).toBe(sha256(ofd));
    expect(Buffer.from(await t.app.services.licences.ofdDocument(OPERATOR, changed.identifier)).equals(Buffer.from(ofd))).toBe(true);
    const ofdXml = Buffer.from(readOfdZip(ofd).get('OFD.xml')!).toString('utf8');
    expect(ofdXml).toContain(`<ofd:CustomData Name="证照标识">${changed.identifier}</ofd:CustomData>`);

    const cas = await t.db.prisma.certificate.findMany({ where: { role: { in: ['sm2-root', 'sm2-department-ca'] } } });
    const report = await verify(ofd, {
      trust: [await t.app.services.pki.sm2RootCertificate()],
      certificates: cas.filter((c) => c.role === 'sm2-department-ca').map((c) => c.der),
      crls: await Promise.all(cas.map(async (c) => (await t.app.services.pki.currentCrl(c.id)).der)),
    });
    // The issuer's seal only: a change does not apply the joint seals again, as for the PDF.
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    expect(report.signatures[0]!.seal?.name).toBe((await t.app.services.seals.activeSealOf('scjg', { sm2: true }))!.name);

    let records = await t.app.services.ledger.verifyDocument(stored.ofdSha256!);
    for (let i = 0; i < 100 && records.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      records = await t.app.services.ledger.verifyDocument(stored.ofdSha256!);
    }
    expect(records.map(({ record: r }) => [r.type, (r as unknown as Record<string, unknown>).identifier, (r as unknown as Record<string, unknown>).ofdSha256])).toEqual([
      ['licence.changed', changed.identifier, stored.ofdSha256],
    ]);
  });

  it('changes a licence issued as PDF only into a PDF-only version', async () => {
    const old = await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code, status: 'valid' } });
    const changed = await t.app.services.licences.changes.change(ISSUER(old.departmentId), old.identifier, { face: old.faceData as Record<string, unknown>, reason: '缴存信息变更' });
    expect(changed.ofd).toBeUndefined();
    expect((await t.app.services.licences.get(OPERATOR, changed.identifier)).formats).toEqual(['pdf']);
  });
});
