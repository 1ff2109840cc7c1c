import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicantTokens } from '../../gateway/auth/applicant-tokens.ts';
import { requestActor } from '../../gateway/auth/request-actor.ts';
import { schema } from '../../gateway/graphql/schema.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { drained, snapshot } from '../support/db-snapshot.ts';
import { useTestApp } from '../support/app.ts';
import { startOidcProvider } from '../support/oidc-provider.ts';
import { AUDIENCE, makeFixtures, type MatrixFixtures } from './matrix/fixtures.ts';
import { OPERATIONS, type OperationRow } from './matrix/operations.ts';
import { ROLE_NAMES, UNREACHABLE, type Role } from './matrix/roles.ts';
import { firstCode, gql, gqlUpload, type GraphQLResult } from './support.ts';

/** Every root field of the built schema, as the matrix names them. */
const IN_SCHEMA = [
  ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
  ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
].sort();

type Expected = 'allowed' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN';

function expected(row: OperationRow, role: Role): Expected {
  if (row.allowed.includes(role)) return 'allowed';
  if (role === 'anonymous') return 'UNAUTHENTICATED';
  return row.hidden?.includes(role) ? 'NOT_FOUND' : 'FORBIDDEN';
}

const provider = await startOidcProvider();
afterAll(() => provider.close());

describe('authorisation matrix: every role against every operation of the schema', () => {
  // Every role presents the same use code: more than the default few a minute from one address.
  // The access log's head is anchored by count only here: its interval timer would write
  // an outbox row and a ledger block in the middle of some refused cell's before/after.
  const t = useTestApp({
    ZHENGYIN_OIDC_ISSUER: provider.issuer,
    ZHENGYIN_OIDC_AUDIENCE: AUDIENCE,
    ZHENGYIN_USE_CODE_RATE_PER_MINUTE: '600',
    ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S: '0',
  });
  let fx: MatrixFixtures;
  beforeAll(async () => {
    await t.app.seedDemo();
    fx = await makeFixtures({ services: t.app.services, tokens: t.app.tokens, provider, mspId: t.config.ledger.mspId });
  });

  const call = async (row: OperationRow, role: Role, variables: Record<string, unknown>): Promise<GraphQLResult> => {
    const token = fx.tokens[role];
    return row.upload
      ? gqlUpload(t.url, row.document, row.upload(fx), { variables, ...(token ? { token } : {}) })
      : gql(t.url, row.document, { variables, ...(token ? { token } : {}) });
  };

  it('has a row for every Query and Mutation field, and no row for a field the schema lacks', () => {
    const rows = Object.keys(OPERATIONS).sort();
    expect(IN_SCHEMA.filter((op) => !rows.includes(op)), 'operations without a row in tests/graphql/matrix/operations.ts').toEqual([]);
    expect(rows.filter((op) => !IN_SCHEMA.includes(op)), 'rows for operations the schema does not have').toEqual([]);
  });

  it(`operator: not a column, ${UNREACHABLE.operator}`, async () => {
    const applicants = new ApplicantTokens({
      issuers: [{ issuer: provider.issuer, audience: AUDIENCE, jwks: new URL(`${provider.issuer}/jwks`) }],
      idClaim: 'id_number',
      usccClaim: 'uscc',
      log: createLogger({ level: 'silent' }),
    });
    const kinds = await Promise.all(ROLE_NAMES.map(async (role) => (await requestActor(fx.tokens[role] && `Bearer ${fx.tokens[role]}`, t.app.tokens, applicants)).actor.kind));
    expect([...new Set(kinds)].sort()).toEqual(['applicant', 'department', 'public']);
  });

  describe.each([...new Set([...IN_SCHEMA, ...Object.keys(OPERATIONS)])].sort())('%s', (operation) => {
    const row = OPERATIONS[operation];
    if (!row) {
      it('has a row in tests/graphql/matrix/operations.ts', () => expect.fail(`${operation} is in the schema but not in the matrix: add its row`));
      return;
    }
    const cells = ROLE_NAMES.map((role) => [`${role}: ${expected(row, role)}`, role, expected(row, role)] as const);
    it.each(cells)('%s', async (_name, role, outcome) => {
      const variables = (await row.variables?.(fx, role)) ?? {};
      if (outcome === 'allowed') {
        const res = await call(row, role, variables);
        expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
        const field = operation.split('.')[1]!;
        expect(res.body.data?.[field]).toBeTruthy();
        row.check?.(res.body.data, role, fx);
        return;
      }
      // A refusal must leave every table as it was; the outbox drains first so the ledger
      // worker's own writes cannot move the counts.
      await drained(t.db.pool);
      const before = await snapshot(t.db.pool);
      const res = await call(row, role, variables);
      expect(firstCode(res), JSON.stringify(res.body.errors)).toBe(outcome);
      expect(res.body.data?.[operation.split('.')[1]!] ?? null).toBeNull();
      await drained(t.db.pool);
      expect(await snapshot(t.db.pool)).toEqual(before);
    });
  });
});
