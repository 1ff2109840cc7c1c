import { describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR, PUBLIC } from '../../gateway/services/actor.ts';
import { sha, unitNumber } from '../ledger/fixtures.ts';
import { useTestApp } from '../support/app.ts';

describe('LedgerService.record: who may record evidence directly', () => {
  const t = useTestApp();
  const request = () => ({
    type: 'realestate.first-registration',
    data: {
      unitNumber: unitNumber(),
      certificateNumber: '闽(2026)厦门市不动产权第0000007号',
      documentSha256: sha('ledger-service'),
      holderCodeType: '111',
      holderCode: '11010519491231002X',
      at: '2026-03-01T09:00:00+08:00',
    },
  });

  it('refuses a department and the public before anything reaches the outbox', async () => {
    const before = await t.db.prisma.outbox.count();
    await expect(t.app.services.ledger.record(asDepartment('bdcdj'), request())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.app.services.ledger.record(PUBLIC, request())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.db.prisma.outbox.count()).toBe(before);
  });

  it('anchors what the operator records, with the ID number only as a salted hash', async () => {
    const req = request();
    const entry = await t.app.services.ledger.record(OPERATOR, req);

    expect(entry.anchor?.transactionId).toMatch(/^[0-9a-f]{64}$/);
    const { records } = await t.app.services.ledger.ledger.query({ documentSha256: req.data.documentSha256 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ holderHash: t.app.services.ledger.holderHash('111', req.data.holderCode) });
    expect(JSON.stringify(records[0])).not.toContain(req.data.holderCode);
  });

  it('refuses an unknown type and writes nothing', async () => {
    const before = await t.db.prisma.outbox.count();
    await expect(t.app.services.ledger.record(OPERATOR, { ...request(), type: 'realestate.demolition' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'type' });
    expect(await t.db.prisma.outbox.count()).toBe(before);
  });
});
