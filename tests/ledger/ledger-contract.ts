import { checkpointers } from '@hyperledger/fabric-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvidenceConflictError,
  InvalidEvidenceError,
  NoLiveRegistrationError,
  singleOrganisationPolicy,
  StepOutOfOrderError,
  WriterNotAllowedError,
  type EvidenceRecord,
  type EvidenceVersion,
  type Ledger,
  type LedgerEvent,
  type ProjectEvidence,
  type WriterPolicy,
} from '../../ledger/index.ts';
import { AT, evidenceId, fundEvent, licenceIdentifier, licenceIssued, nextSerial, projectDecision, registration, sha } from './fixtures.ts';

export interface LedgerUnderTest {
  readonly ledger: Ledger;
  /** MSP id of the identity the ledger submits as. */
  readonly mspId: string;
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/**
 * The contract's behaviour through the Ledger interface, run unchanged against the
 * embedded ledger (`npm test`) and a real Fabric network (`npm run test:fabric`). Every
 * record is run-unique, so the suite can run again on a persistent channel; the writer
 * policy it changes is put back afterwards.
 */
export function ledgerContract(open: () => Promise<LedgerUnderTest>): void {
  let ledger: Ledger;
  let mspId: string;
  let original: WriterPolicy | undefined;
  let everything: WriterPolicy;

  beforeAll(async () => {
    ({ ledger, mspId } = await open());
    original = await ledger.getPolicy();
    everything = singleOrganisationPolicy(mspId);
    await ledger.setPolicy(everything);
  });
  afterAll(async () => {
    if (original) await ledger.setPolicy(original);
  });

  describe('recording', () => {
    it('records a licence event and reads it back by evidence id and by subject', async () => {
      const record = licenceIssued();
      const receipt = await ledger.anchor(record);

      expect(receipt).toMatchObject({ evidenceId: record.evidenceId, status: 'recorded' });
      expect(receipt.transactionId).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof receipt.blockNumber).toBe('bigint');
      const stored = await ledger.get(record.evidenceId);
      expect(stored).toMatchObject({ ...record, domain: 'licence', key: record.identifier, txId: receipt.transactionId, writerMspId: mspId });
      expect(stored?.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(await ledger.head({ domain: 'licence', key: record.identifier })).toEqual(stored);
    });

    it('records a licence\'s renewal (granted or deemed), suspension and resumption under its identifier', async () => {
      const issued = licenceIssued();
      await ledger.anchor(issued);
      const { documentSha256: _d, ...subject } = issued;
      const later: EvidenceRecord[] = [
        { ...subject, evidenceId: evidenceId('lic-susp'), type: 'licence.suspended', reasonCode: 'investigation' },
        { ...subject, evidenceId: evidenceId('lic-res'), type: 'licence.resumed' },
        { ...subject, evidenceId: evidenceId('lic-ren'), type: 'licence.renewed', validUntil: '2027-03-31', decision: 'deemed' },
      ];
      for (const record of later) expect(await ledger.anchor(record)).toMatchObject({ evidenceId: record.evidenceId, status: 'recorded' });

      const versions = await collect(ledger.history({ domain: 'licence', key: issued.identifier }));
      expect(versions.map((v) => v.record?.type)).toEqual(['licence.issued', 'licence.suspended', 'licence.resumed', 'licence.renewed']);
      expect(await ledger.head({ domain: 'licence', key: issued.identifier })).toMatchObject({ validUntil: '2027-03-31', decision: 'deemed' });
    });

    it('answers undefined for an evidence id or subject it never saw', async () => {
      expect(await ledger.get(evidenceId('never'))).toBeUndefined();
      expect(await ledger.head({ domain: 'licence', key: licenceIdentifier(nextSerial()) })).toBeUndefined();
    });

    it('is idempotent: the same record again resolves to the first receipt', async () => {
      const record = registration();
      const first = await ledger.anchor(record);
      const again = await ledger.anchor(record);

      expect(again).toEqual({ ...first, status: 'existing' });
      const versions = await collect(ledger.history({ domain: 'realestate', key: record.unitNumber }));
      expect(versions).toHaveLength(1);
    });

    it('refuses the same evidence id with other content, naming the id', async () => {
      const record = registration();
      await ledger.anchor(record);

      await expect(ledger.anchor({ ...record, certificateNumber: '京(2026)东城区不动产权第9999999号' })).rejects.toMatchObject({
        name: EvidenceConflictError.name,
        code: 'EVIDENCE_CONFLICT',
        evidenceId: record.evidenceId,
        field: 'evidenceId',
      });
      expect(await ledger.get(record.evidenceId)).toMatchObject({ certificateNumber: record.certificateNumber });
    });

    const bad: [string, () => object, string][] = [
      ['personal data in a field the type does not list', () => ({ ...registration(), holderName: '张三' }), 'holderName'],
      ['an identifier whose check character is wrong', () => ({ ...licenceIssued(), identifier: licenceIssued().identifier.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }), 'identifier'],
      ['a version that differs from the identifier', () => ({ ...licenceIssued(), version: 2 }), 'version'],
      ['a 27-character unit number', () => ({ ...registration(), unitNumber: '110101003001GB00001F0001000' }), 'unitNumber'],
      ['a document hash that is not hex SHA-256', () => ({ ...registration(), documentSha256: 'ABC' }), 'documentSha256'],
      ['an unknown evidence type', () => ({ ...registration(), type: 'realestate.demolition' }), 'type'],
      ['a missing required field', () => ({ ...fundEvent(), type: 'fund.deposit-certificate' }), 'documentSha256'],
      ['a time without an offset', () => ({ ...fundEvent(), at: '2026-01-15 09:30' }), 'at'],
      ['a renewal without its new end', () => ({ ...licenceIssued(), documentSha256: undefined, type: 'licence.renewed', decision: 'granted' }), 'validUntil'],
      ['a renewal to a day that does not exist', () => ({ ...licenceIssued(), documentSha256: undefined, type: 'licence.renewed', decision: 'granted', validUntil: '2027-02-30' }), 'validUntil'],
      ['a suspension with a free-text reason', () => ({ ...licenceIssued(), documentSha256: undefined, type: 'licence.suspended', reasonCode: '涉嫌违法' }), 'reasonCode'],
    ];
    it.each(bad)('refuses %s, naming the field', async (_name, make, field) => {
      const record = make() as EvidenceRecord;
      await expect(ledger.anchor(record)).rejects.toMatchObject({ name: InvalidEvidenceError.name, code: 'INVALID_EVIDENCE', field, evidenceId: record.evidenceId });
      expect(await ledger.get(record.evidenceId)).toBeUndefined();
    });
  });

  describe('history', () => {
    it('lists every version of a 不动产单元, oldest first, with its transaction', async () => {
      const first = registration();
      const unit = first.unitNumber;
      const later = [
        registration({ unitNumber: unit, type: 'realestate.transfer' }),
        registration({ unitNumber: unit, type: 'realestate.mortgage' }),
        registration({ unitNumber: unit, type: 'realestate.cancellation' }),
      ];
      const receipts = [];
      for (const r of [first, ...later]) receipts.push(await ledger.anchor(r));

      const versions: EvidenceVersion[] = await collect(ledger.history({ domain: 'realestate', key: unit }));

      expect(versions.map((v) => v.transactionId)).toEqual(receipts.map((r) => r.transactionId));
      expect(versions.map((v) => v.record?.type)).toEqual(['realestate.first-registration', 'realestate.transfer', 'realestate.mortgage', 'realestate.cancellation']);
      expect((await ledger.head({ domain: 'realestate', key: unit }))?.type).toBe('realestate.cancellation');
    });
  });

  describe('writers', () => {
    afterAll(async () => {
      await ledger.setPolicy(everything);
    });

    it('lets the configured organisation write a domain and refuses one it may not write', async () => {
      await ledger.setPolicy({ admins: [{ mspId }], writers: { realestate: [{ mspId }], fund: [{ mspId: 'FundCentreMSP' }] } });

      await expect(ledger.anchor(registration())).resolves.toMatchObject({ status: 'recorded' });
      const refused = fundEvent();
      await expect(ledger.anchor(refused)).rejects.toMatchObject({ name: WriterNotAllowedError.name, code: 'WRITER_NOT_ALLOWED', evidenceId: refused.evidenceId });
      expect(await ledger.get(refused.evidenceId)).toBeUndefined();
    });

    it('refuses a writer whose certificate lacks the attribute the policy asks for', async () => {
      await ledger.setPolicy({
        admins: [{ mspId }],
        writers: { licence: [{ mspId, attribute: { name: 'zhengyin.role', value: 'licence-issuer' } }] },
      });

      await expect(ledger.anchor(licenceIssued())).rejects.toMatchObject({ name: WriterNotAllowedError.name });
    });

    it('keeps the policy on the chain where anyone can read it', async () => {
      await ledger.setPolicy(everything);
      expect(await ledger.getPolicy()).toEqual(everything);
    });
  });

  describe('the cross-domain rule', () => {
    it('records a 贷款发放 only while the property has a live 不动产 registration', async () => {
      const property = registration();
      const loan = () => fundEvent({ type: 'fund.loan-disbursed', unitNumber: property.unitNumber });

      const early = loan();
      await expect(ledger.anchor(early)).rejects.toMatchObject({ name: NoLiveRegistrationError.name, code: 'NO_LIVE_REGISTRATION', field: 'unitNumber', evidenceId: early.evidenceId });
      await ledger.anchor(property);
      await expect(ledger.anchor(loan())).resolves.toMatchObject({ status: 'recorded' });
      await ledger.anchor(registration({ unitNumber: property.unitNumber, type: 'realestate.cancellation' }));
      await expect(ledger.anchor(loan())).rejects.toMatchObject({ name: NoLiveRegistrationError.name });
    });

    it('lets a 贷款发放 without a property through (the rule applies to loans that name one)', async () => {
      await expect(ledger.anchor(fundEvent({ type: 'fund.loan-disbursed' }))).resolves.toMatchObject({ status: 'recorded' });
    });
  });

  describe('工程建设项目 step decisions', () => {
    const step = (type: EvidenceRecord['type'], projectCode: string, decision: 'approved' | 'refused' = 'approved') =>
      projectDecision({ type: type as 'project.landuse.decided', projectCode, decision, department: 'zjj' });

    it('takes the four steps in order, refusing each before the one it follows is approved', async () => {
      const project = projectDecision().projectCode;
      const planning = step('project.planning.decided', project);
      await expect(ledger.anchor(planning)).rejects.toMatchObject({ name: StepOutOfOrderError.name, code: 'STEP_OUT_OF_ORDER', field: 'projectCode', evidenceId: planning.evidenceId });
      await expect(ledger.anchor(step('project.landuse.decided', project, 'refused'))).resolves.toMatchObject({ status: 'recorded' });
      await expect(ledger.anchor(step('project.planning.decided', project))).rejects.toMatchObject({ name: StepOutOfOrderError.name });

      await ledger.anchor(step('project.landuse.decided', project));
      await ledger.anchor(planning);
      await expect(ledger.anchor(step('project.acceptance.decided', project))).rejects.toMatchObject({ name: StepOutOfOrderError.name });
      await ledger.anchor(step('project.construction.decided', project));
      await ledger.anchor(step('project.acceptance.decided', project));

      const versions = await collect(ledger.history({ domain: 'project', key: project }));
      expect(versions.map((v) => [v.record?.type, (v.record as ProjectEvidence | undefined)?.decision])).toEqual([
        ['project.landuse.decided', 'refused'],
        ['project.landuse.decided', 'approved'],
        ['project.planning.decided', 'approved'],
        ['project.construction.decided', 'approved'],
        ['project.acceptance.decided', 'approved'],
      ]);
    });

    it('keeps an approved step final, and one project’s steps apart from another’s', async () => {
      const project = projectDecision().projectCode;
      await ledger.anchor(step('project.landuse.decided', project));
      await expect(ledger.anchor(step('project.landuse.decided', project, 'refused'))).rejects.toMatchObject({ name: StepOutOfOrderError.name });
      await expect(ledger.anchor(step('project.planning.decided', projectDecision().projectCode))).rejects.toMatchObject({ name: StepOutOfOrderError.name });
    });

    it('sees the earlier steps of the same batch', async () => {
      const project = projectDecision().projectCode;
      const outcomes = await ledger.anchorBatch([step('project.landuse.decided', project), step('project.planning.decided', project), step('project.acceptance.decided', project)]);
      expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'recorded', 'rejected']);
    });

    it.each([
      ['a malformed 项目代码', { projectCode: '2026-3502-48-01-1' }, 'projectCode'],
      ['a decision that is neither approved nor refused', { decision: 'pending' }, 'decision'],
      ['a personal field', { holderCode: '11010519491231002X' }, 'holderCode'],
    ])('refuses %s', async (_name, change, field) => {
      const bad = { ...projectDecision(), ...change } as unknown as EvidenceRecord;
      await expect(ledger.anchor(bad)).rejects.toMatchObject({ name: InvalidEvidenceError.name, field });
    });
  });

  describe('queries', () => {
    it('finds the records of a holder hash', async () => {
      const holderHash = sha(`holder ${evidenceId('q')}`);
      const mine = [registration({ holderHash }), licenceIssued({ holderHash }), fundEvent({ holderHash })];
      for (const r of mine) await ledger.anchor(r);
      await ledger.anchor(registration());

      const { records, bookmark } = await ledger.query({ holderHash });

      expect(records.map((r) => r.evidenceId).sort()).toEqual(mine.map((r) => r.evidenceId).sort());
      expect(bookmark).toBeUndefined();
    });

    it('finds every record that contains a document hash', async () => {
      const documentSha256 = sha(`doc ${evidenceId('q')}`);
      const a = registration({ documentSha256 });
      const b = fundEvent({ type: 'fund.deposit-certificate', documentSha256 });
      await ledger.anchor(a);
      await ledger.anchor(b);

      const { records } = await ledger.query({ documentSha256 });

      expect(records.map((r) => r.evidenceId).sort()).toEqual([a.evidenceId, b.evidenceId].sort());
      expect((await ledger.query({ documentSha256: sha('nothing has this') })).records).toEqual([]);
    });

    it('pages through the records of a type with a bookmark', async () => {
      const mine = [fundEvent({ type: 'fund.withdrawal' }), fundEvent({ type: 'fund.withdrawal' }), fundEvent({ type: 'fund.withdrawal' })];
      await ledger.anchorBatch(mine);

      const seen: string[] = [];
      let bookmark: string | undefined;
      let pages = 0;
      do {
        const page = await ledger.query({ type: 'fund.withdrawal', pageSize: 2, ...(bookmark ? { bookmark } : {}) });
        expect(page.records.length).toBeLessThanOrEqual(2);
        expect(page.records.every((r) => r.type === 'fund.withdrawal')).toBe(true);
        seen.push(...page.records.map((r) => r.evidenceId));
        bookmark = page.bookmark;
        pages++;
      } while (bookmark);

      expect(pages).toBeGreaterThanOrEqual(2);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(mine.map((r) => r.evidenceId)));
    });
  });

  describe('batches', () => {
    it('records many records in one transaction, each with its own outcome', async () => {
      const existing = registration();
      await ledger.anchor(existing);
      const fresh = [licenceIssued(), fundEvent(), registration()];
      const conflicting = { ...existing, certificateNumber: '沪(2026)浦东新区不动产权第0000001号' };
      const invalid = { ...fundEvent(), accountHash: 'not-a-hash' };

      const outcomes = await ledger.anchorBatch([...fresh, existing, conflicting, invalid]);

      expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'recorded', 'recorded', 'existing', 'rejected', 'rejected']);
      const recorded = outcomes.slice(0, 3).map((o) => (o.status === 'recorded' ? o.transactionId : ''));
      expect(new Set(recorded).size).toBe(1);
      expect(outcomes[4]).toMatchObject({ status: 'rejected', error: { name: EvidenceConflictError.name, evidenceId: existing.evidenceId } });
      expect(outcomes[5]).toMatchObject({ status: 'rejected', error: { name: InvalidEvidenceError.name, field: 'accountHash' } });
      for (const r of fresh) expect(await ledger.get(r.evidenceId)).toMatchObject({ txId: recorded[0] });
    });

    it('sees earlier records of the same batch: a registration and the loan on it', async () => {
      const property = registration();
      const loan = fundEvent({ type: 'fund.loan-disbursed', unitNumber: property.unitNumber });

      const outcomes = await ledger.anchorBatch([property, loan, loan]);

      expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'recorded', 'existing']);
    });
  });

  describe('concurrency', () => {
    it('serialises concurrent writers to one subject: every event recorded once, none lost', async () => {
      const first = registration();
      await ledger.anchor(first);
      const events = Array.from({ length: 6 }, () => registration({ unitNumber: first.unitNumber, type: 'realestate.change' }));

      const receipts = await Promise.all(events.map((e) => ledger.anchor(e)));

      expect(receipts.every((r) => r.status === 'recorded')).toBe(true);
      const versions = await collect(ledger.history({ domain: 'realestate', key: first.unitNumber }));
      expect(versions).toHaveLength(7);
      expect(new Set(versions.map((v) => v.record?.evidenceId)).size).toBe(7);
    });

    it('records one of many concurrent submissions of the same record; the others get its receipt', async () => {
      const record = licenceIssued();

      const receipts = await Promise.all(Array.from({ length: 5 }, () => ledger.anchor(record)));

      expect(receipts.filter((r) => r.status === 'recorded')).toHaveLength(1);
      expect(new Set(receipts.map((r) => r.transactionId)).size).toBe(1);
      expect(new Set(receipts.map((r) => r.blockNumber)).size).toBe(1);
    });
  });

  describe('events', () => {
    it('delivers an EvidenceRecorded event per transaction, and resumes after a checkpoint', async () => {
      const start = (await ledger.info()).height;
      const records = [registration(), licenceIssued()];
      const receipts = [await ledger.anchor(records[0]!), await ledger.anchor(records[1]!)];
      const checkpointer = checkpointers.inMemory();

      const first = await ledger.events({ checkpointer, startBlock: start });
      const seen: LedgerEvent[] = [];
      try {
        for await (const event of first) {
          seen.push(event);
          await checkpointer.checkpointChaincodeEvent(event);
          if (event.transactionId === receipts[0]!.transactionId) break;
        }
      } finally {
        first.close();
      }
      expect(seen.at(-1)).toMatchObject({
        eventName: 'EvidenceRecorded',
        blockNumber: receipts[0]!.blockNumber,
        data: { recorded: [{ evidenceId: records[0]!.evidenceId, type: 'realestate.first-registration' }] },
      });

      const resumed = await ledger.events({ checkpointer, startBlock: start });
      try {
        for await (const event of resumed) {
          expect(event.transactionId).not.toBe(receipts[0]!.transactionId);
          if (event.transactionId === receipts[1]!.transactionId) {
            expect(event.data).toMatchObject({ recorded: [{ evidenceId: records[1]!.evidenceId }] });
            break;
          }
        }
      } finally {
        resumed.close();
      }
    });

    it('reports the chain height', async () => {
      const before = (await ledger.info()).height;
      const receipt = await ledger.anchor(fundEvent({ at: AT }));
      const after = (await ledger.info()).height;
      expect(after).toBeGreaterThan(receipt.blockNumber);
      expect(after).toBeGreaterThanOrEqual(before);
    });
  });
}
