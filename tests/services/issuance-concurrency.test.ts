import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { BUSINESS_LICENCE, parseIdentifier, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';

const example = (typeCode: string) => SEED_EXAMPLES.find((e) => e.typeCode === typeCode)!;

const until = async (what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
};

describe('issuance under load (issue #9)', () => {
  const t = useTestApp();
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  /** Every serial below the counter of (type, issuer) is a licence or a settled void entry, never both, never neither. */
  const accountFor = async (typeCode: string, issuerCode: string) => {
    const counter = await t.db.prisma.licenceSerial.findUniqueOrThrow({ where: { typeCode_issuerCode: { typeCode, issuerCode } } });
    const licences = await t.db.prisma.licence.findMany({ where: { typeCode, department: { uscc: issuerCode } }, select: { serial: true } });
    const voids = await t.db.prisma.licenceSerialVoid.findMany({ where: { typeCode, issuerCode } });
    const numbers = [...licences.map((l) => l.serial), ...voids.map((v) => v.serial)].sort((a, b) => a - b);
    return { next: counter.next, numbers, voids };
  };

  it('issues 3× the pool size of licences of one type by one department at once: all stored, serials unique and complete, each anchored once', async () => {
    // gateway/runtime/database.ts sizes its pools alike (Prisma's adapter keeps pg's default of 10); issue #9 deadlocked at ten.
    const POOL_SIZE = t.db.pool.options.max ?? 10;
    expect(POOL_SIZE).toBeGreaterThanOrEqual(10);
    const { issuerCode } = example(REAL_ESTATE_CERTIFICATE.code);
    const issued = await Promise.all(
      Array.from({ length: 3 * POOL_SIZE }, () =>
        t.app.services.licences.issue(OPERATOR, { type: REAL_ESTATE_CERTIFICATE.code, departmentId: 'bdcdj', face: example(REAL_ESTATE_CERTIFICATE.code).face }),
      ),
    );

    const serials = issued.map(({ licence }) => Number(parseIdentifier(licence.identifier).serial));
    expect(new Set(serials).size).toBe(3 * POOL_SIZE);
    const { next, numbers, voids } = await accountFor(REAL_ESTATE_CERTIFICATE.code, issuerCode);
    expect(numbers).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    expect(voids).toEqual([]);

    const evidenceIds = issued.map(({ licence }) => `licence:${licence.identifier}:issued`);
    await until('every issuance anchored', async () => (await t.db.prisma.outbox.count({ where: { evidenceId: { in: evidenceIds }, anchoredAt: { not: null } } })) === evidenceIds.length);
    for (const { licence } of issued) {
      const evidence = await t.app.services.ledger.verifyDocument(licence.documentSha256);
      expect(evidence.map((e) => e.record.evidenceId)).toEqual([`licence:${licence.identifier}:issued`]);
    }
  }, 180_000);

  it('enters a serial as void with its reason when a joint seal is revoked between allocation and signing', async () => {
    const { issuerCode, face } = example(BUSINESS_LICENCE.code);
    const joint = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '中途撤销联办章' });
    // Hold the counter row so the issuance passes every check, then waits at allocation.
    const holder = await t.db.pool.connect();
    let failure: unknown;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT next FROM licence_serial WHERE type_code = $1 AND issuer_code = $2 FOR UPDATE', [BUSINESS_LICENCE.code, issuerCode]);
      const issuing = t.app.services.licences
        .issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face, jointSealIds: [joint.id] })
        .then(() => undefined, (e: unknown) => e);
      await until('the issuance to wait for the serial', async () => {
        const { rows } = await t.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO licence_serial%'`,
        );
        return rows[0]!.n > 0;
      });
      await t.app.services.seals.revoke(OPERATOR, joint.id, '印章遗失');
      await holder.query('COMMIT');
      failure = await issuing;
    } finally {
      holder.release();
    }

    expect(failure).toMatchObject({ code: 'CERTIFICATE_REVOKED' });
    const { next, numbers, voids } = await accountFor(BUSINESS_LICENCE.code, issuerCode);
    expect(numbers).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    expect(voids).toHaveLength(1);
    expect(voids[0]).toMatchObject({ serial: next - 1, code: 'CERTIFICATE_REVOKED' });
    expect(voids[0]!.reason).toContain('revoked');
    expect(await t.db.prisma.licence.findUnique({ where: { identifier: voids[0]!.identifier } })).toBeNull();
    const listed = await t.app.services.licences.voids(OPERATOR, { departmentId: 'scjg' });
    expect(listed.map((v) => [v.identifier, v.code])).toEqual([[voids[0]!.identifier, 'CERTIFICATE_REVOKED']]);
    expect(parseIdentifier(voids[0]!.identifier).serial).toBe(String(next - 1).padStart(7, '0'));
  }, 60_000);
});
