import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql } from './support.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
const PERSON = DEMO_APPLICANTS[0];
const COMPANY = DEMO_APPLICANTS[1];
const MINE = `query($after: String) { myAccesses(first: 2, after: $after) {
  edges { cursor node { sequence at actorKind departmentId applicationId resource useCause requestSha256 responseSha256 entryHash } }
  pageInfo { hasNextPage endCursor } } }`;

describe('myAccesses: the applicant reads every access to their data', () => {
  // The embedded default's configuration (no DATABASE_URL) turns the demo sign-in on, on the test's own database.
  const t = useTestApp({ DATABASE_URL: '', ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S: '0' });
  let person: string;
  let company: string;

  beforeAll(async () => {
    const log = t.app.services.accessLog;
    const release = (holder: (typeof DEMO_APPLICANTS)[number], n: number, departmentId: string) =>
      log.appendAlone({
        subjectHash: t.app.services.ledger.holderHash(holder.holderCodeType, holder.code),
        actor: { kind: 'department', departmentId, tokenId: `tok-${n}` },
        applicationId: `BJ-2026-${n}`,
        resource: `licence:L-${n}`,
        useCause: `公积金贷款审核 ${n}`,
        requestSha256: h(`q${n}`),
        responseSha256: h(`r${n}`),
      });
    await release(PERSON, 1, 'gjj');
    await release(COMPANY, 2, 'scjg');
    await release(PERSON, 3, 'bdcdj');
    await release(PERSON, 4, 'gjj');
    person = await t.app.demoIssuer!.mint({ claim: 'id_number', code: PERSON.code, name: PERSON.name });
    company = await t.app.demoIssuer!.mint({ claim: 'uscc', code: COMPANY.code, name: COMPANY.name });
  });

  it('pages through exactly the person’s three accesses, newest first, with who, when, which application and why', async () => {
    const first = await gql(t.url, MINE, { token: person });
    expect(first.body.errors).toBeUndefined();
    const second = await gql(t.url, MINE, { token: person, variables: { after: first.body.data!.myAccesses.pageInfo.endCursor } });

    expect(first.body.data!.myAccesses.pageInfo.hasNextPage).toBe(true);
    expect(second.body.data!.myAccesses.pageInfo.hasNextPage).toBe(false);
    const nodes = [...first.body.data!.myAccesses.edges, ...second.body.data!.myAccesses.edges].map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.sequence, n.actorKind, n.departmentId, n.applicationId, n.useCause])).toEqual([
      ['4', 'DEPARTMENT', 'gjj', 'BJ-2026-4', '公积金贷款审核 4'],
      ['3', 'DEPARTMENT', 'bdcdj', 'BJ-2026-3', '公积金贷款审核 3'],
      ['1', 'DEPARTMENT', 'gjj', 'BJ-2026-1', '公积金贷款审核 1'],
    ]);
    expect(nodes[0]).toMatchObject({ resource: 'licence:L-4', requestSha256: h('q4'), responseSha256: h('r4') });
    expect(Date.parse(nodes[0].at)).toBeGreaterThan(0);
  });

  it('shows the company only its own access', async () => {
    const mine = await gql(t.url, MINE, { token: company });
    expect(mine.body.data!.myAccesses.edges.map((e: any) => e.node.applicationId)).toEqual(['BJ-2026-2']);
  });

  it('refuses a caller without a token, and paging backwards', async () => {
    expect(firstCode(await gql(t.url, MINE))).toBe('UNAUTHENTICATED');
    const back = await gql(t.url, `{ myAccesses(last: 1) { edges { cursor } } }`, { token: person });
    expect(firstCode(back)).toBe('INVALID_INPUT');
  });
});
