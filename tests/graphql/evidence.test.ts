import { beforeAll, describe, expect, it } from 'vitest';
import { DEPARTMENT_WRITER_ATTRIBUTE, OPERATOR } from '../../gateway/services/index.ts';
import { sha, unitNumber } from '../ledger/fixtures.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from './support.ts';

const RECORD = `mutation($input: RecordEvidenceInput!) {
  recordEvidence(input: $input) { evidenceId type anchored transactionId blockNumber }
}`;
const HISTORY = `query($domain: EvidenceDomain!, $key: String!) {
  evidenceHistory(domain: $domain, key: $key) { edges { node { transactionId record { type evidenceId key domain } } } }
}`;
const CHECK = `query($sha256: Sha256!) {
  checkDocumentHash(sha256: $sha256) { anchored records { blockNumber proofValid record { type evidenceId } } }
}`;

describe('GraphQL: departments record and read evidence in the domains the writer policy gives them', () => {
  const t = useTestApp();
  let registry: string;
  let fundCentre: string;
  let planningBureau: string;
  let constructionBureau: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    // The deployment's policy: the gateway's organisation writes everything (the outbox
    // submits as it); through it the 不动产登记中心 writes 不动产, the 公积金中心 公积金.
    const org = { mspId: t.config.ledger.mspId };
    const department = (id: string) => ({ ...org, attribute: { name: DEPARTMENT_WRITER_ATTRIBUTE, value: id } });
    await t.app.services.ledger.ledger.setPolicy({
      admins: [org],
      writers: { realestate: [org, department('bdcdj')], fund: [org, department('gjj')], licence: [org], accesslog: [org], project: [org, department('zygh'), department('jsj')] },
    });
    registry = (await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token;
    fundCentre = (await t.app.tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'handler' })).token;
    planningBureau = (await t.app.tokens.mint(OPERATOR, { departmentId: 'zygh', role: 'handler' })).token;
    constructionBureau = (await t.app.tokens.mint(OPERATOR, { departmentId: 'jsj', role: 'handler' })).token;
  });

  const registration = (unit: string, documentSha256: string) => ({
    type: 'realestate.first-registration',
    data: { unitNumber: unit, certificateNumber: '闽(2026)厦门市不动产权第0000042号', documentSha256, holderCodeType: '111', holderCode: '11010519491231002X', at: '2026-03-01T09:00:00+08:00' },
  });
  const deposit = () => ({ type: 'fund.deposit', data: { account: '350200123456789', at: '2026-03-02T10:00:00+08:00' } });
  const outboxRows = () => t.db.prisma.outbox.count();

  it('records 不动产 for the registry and 公积金 for the fund centre, anchored, the ID number only hashed', async () => {
    const unit = unitNumber();
    const document = sha(`graphql evidence ${unit}`);
    const recorded = await gql(t.url, RECORD, { token: registry, variables: { input: registration(unit, document) } });
    expect(recorded.body.errors).toBeUndefined();
    expect(recorded.body.data!.recordEvidence).toMatchObject({ type: 'realestate.first-registration', anchored: true, transactionId: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const fund = await gql(t.url, RECORD, { token: fundCentre, variables: { input: deposit() } });
    expect(fund.body.errors).toBeUndefined();
    expect(fund.body.data!.recordEvidence).toMatchObject({ type: 'fund.deposit', anchored: true });

    const { records } = await t.app.services.ledger.ledger.query({ documentSha256: document });
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records[0])).not.toContain('11010519491231002X');
  });

  it("refuses a domain the policy does not give the department, typed, with nothing stored", async () => {
    const before = await outboxRows();
    const unit = unitNumber();
    const document = sha(`forbidden ${unit}`);
    const refusals = [
      await gql(t.url, RECORD, { token: registry, variables: { input: deposit() } }),
      await gql(t.url, RECORD, { token: fundCentre, variables: { input: registration(unit, document) } }),
    ];
    for (const r of refusals) {
      expect(firstCode(r)).toBe('FORBIDDEN');
      expect(r.body.data?.recordEvidence ?? null).toBeNull();
    }
    expect(firstCode(await gql(t.url, RECORD, { variables: { input: deposit() } }))).toBe('UNAUTHENTICATED');
    expect(await outboxRows()).toBe(before);
    expect((await t.app.services.ledger.ledger.query({ documentSha256: document })).records).toHaveLength(0);
  });

  it("reads a subject's history in its own domain and checks a document hash on the ledger", async () => {
    const unit = unitNumber();
    const document = sha(`history ${unit}`);
    await gql(t.url, RECORD, { token: registry, variables: { input: registration(unit, document) } });
    const transfer = { type: 'realestate.transfer', data: { ...registration(unit, sha(`transfer ${unit}`)).data, at: '2026-04-01T09:00:00+08:00' } };
    expect((await gql(t.url, RECORD, { token: registry, variables: { input: transfer } })).body.data!.recordEvidence.anchored).toBe(true);

    const history = await gql(t.url, HISTORY, { token: registry, variables: { domain: 'REALESTATE', key: unit } });
    expect(history.body.errors).toBeUndefined();
    expect(history.body.data!.evidenceHistory.edges.map((e: any) => e.node.record.type)).toEqual(['realestate.first-registration', 'realestate.transfer']);
    expect(history.body.data!.evidenceHistory.edges[0].node.record).toMatchObject({ key: unit, domain: 'REALESTATE' });
    expect(firstCode(await gql(t.url, HISTORY, { token: fundCentre, variables: { domain: 'REALESTATE', key: unit } }))).toBe('FORBIDDEN');

    const checked = await gql(t.url, CHECK, { token: fundCentre, variables: { sha256: document } });
    expect(checked.body.data!.checkDocumentHash).toMatchObject({ anchored: true, records: [{ proofValid: true, record: { type: 'realestate.first-registration' } }] });
    const unknown = await gql(t.url, CHECK, { token: registry, variables: { sha256: sha('never recorded') } });
    expect(unknown.body.data!.checkDocumentHash).toEqual({ anchored: false, records: [] });
  });

  it('records 工程建设项目 step decisions in order, each department its own, in the project domain', async () => {
    const project = `2026-350203-48-01-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const decision = (type: string, department: string) => ({
      type,
      data: { projectCode: project, decision: 'approved', department, documentSha256: sha(`${type} ${project}`), at: '2026-05-06T10:00:00+08:00' },
    });

    const early = await gql(t.url, RECORD, { token: constructionBureau, variables: { input: decision('project.construction.decided', 'jsj') } });
    expect(firstCode(early)).toBe('STEP_OUT_OF_ORDER');
    const notMine = await gql(t.url, RECORD, { token: constructionBureau, variables: { input: decision('project.landuse.decided', 'zygh') } });
    expect(firstCode(notMine)).toBe('FORBIDDEN');
    for (const [type, department, token] of [
      ['project.landuse.decided', 'zygh', planningBureau],
      ['project.planning.decided', 'zygh', planningBureau],
      ['project.construction.decided', 'jsj', constructionBureau],
    ] as const) {
      const recorded = await gql(t.url, RECORD, { token, variables: { input: decision(type, department) } });
      expect(recorded.body.errors, type).toBeUndefined();
      expect(recorded.body.data!.recordEvidence).toMatchObject({ type, anchored: true });
    }
    const history = await gql(t.url, HISTORY, { token: constructionBureau, variables: { domain: 'PROJECT', key: project } });
    expect(history.body.data!.evidenceHistory.edges.map((e: any) => e.node.record.type)).toEqual(['project.landuse.decided', 'project.planning.decided', 'project.construction.decided']);
    expect(firstCode(await gql(t.url, HISTORY, { token: registry, variables: { domain: 'PROJECT', key: project } }))).toBe('FORBIDDEN');
  });
});
