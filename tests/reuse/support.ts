import { DEPARTMENT_WRITER_ATTRIBUTE, OPERATOR } from '../../gateway/services/index.ts';
import type { TestApp } from '../support/app.ts';
import { gql, gqlUpload, type GraphQLResult } from '../graphql/support.ts';

/** The seeded property (the demo 不动产权证书's 不动产单元号). */
export const UNIT = '350206001003GB00012F00031502';
/** 王建国: holds the demo 住房公积金缴存证明; buys the flat and founds a company in these stories. */
export const BUYER = { codeType: 'CITIZEN_ID', code: '350206199001010025', name: '王建国' } as const;

export const OPEN = `mutation($input: OpenApplicationInput!) { openApplication(input: $input) { id subjectVersion matters { matter matterVersion departmentId } } }`;
export const PLAN = `query($id: ID!) { application(id: $id) { finishedAt plan { matter kind resolution requested proof producedBy licence { identifier departmentId } material { id } ledger { transactionId type } } } }`;
export const REQUEST = `mutation($id: ID!, $kinds: [String!]!) { requestMaterials(applicationId: $id, kinds: $kinds) { matter kind resolution requested } }`;
export const UPLOAD = `mutation($id: ID!, $kind: String!, $file: Upload!) { uploadMaterial(applicationId: $id, kind: $kind, file: $file) { id kind sha256 verified } }`;
export const AUTHORISE = `mutation($id: ID!) { authoriseApplication(applicationId: $id) { id state expiresAt scope { matter kind from to resolution source } } }`;
export const WITHDRAW = `mutation($id: ID!) { withdrawAuthorisation(applicationId: $id) { state } }`;
export const SCOPE = `query($id: ID!) { authorisationRequest(applicationId: $id) { defaultExpiresAt scope { matter kind from to resolution source } } }`;
export const FETCH = `mutation($input: FetchSharedLicenceInput!) { fetchSharedLicence(input: $input) { identifier typeCode holder face recipient useCause usableUntil receipt { sequence entryHash requestSha256 responseSha256 document } } }`;
export const FINISH = `mutation($id: ID!, $matter: String!, $issued: [LicenceIdentifier!]) { finishMatter(applicationId: $id, matter: $matter, issued: $issued) { finishedAt matters { matter finishedAt issued } } }`;
export const ISSUE = `mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { identifier } } } }`;

export interface PlanLine {
  matter: string;
  kind: string;
  resolution: string;
  requested: boolean;
  proof: string | null;
  producedBy: string | null;
  licence: { identifier: string; departmentId: string } | null;
  material: { id: string } | null;
  ledger: { transactionId: string; type: string } | null;
}

/** The data of a GraphQL result, failing with its errors when there are any. */
export function ok(r: GraphQLResult): Record<string, any> {
  if (r.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(r.body.errors)}`);
  return r.body.data!;
}

/** The deployment's writer policy: the gateway's organisation writes every domain. */
export async function setWriterPolicy(t: TestApp): Promise<void> {
  const org = { mspId: t.config.ledger.mspId };
  const department = (id: string) => ({ ...org, attribute: { name: DEPARTMENT_WRITER_ATTRIBUTE, value: id } });
  await t.app.services.ledger.ledger.setPolicy({ admins: [org], writers: { realestate: [org, department('bdcdj')], fund: [org, department('gjj')], licence: [org], accesslog: [org] } });
}

/** A department API token of a role, minted by the operator. */
export const departmentToken = async (t: TestApp, departmentId: string, role: 'issuer' | 'handler' | 'admin' = 'handler') =>
  (await t.app.tokens.mint(OPERATOR, { departmentId, role })).token;

/** An applicant's own OpenID Connect token from the demo issuer. */
export const applicantToken = (t: TestApp, person: { code: string; name: string }) => t.app.demoIssuer!.mint({ claim: t.config.oidc.idClaim, code: person.code, name: person.name });

/**
 * Everything a department asked the applicant for, and every material handed in, per
 * application: the story's "asked at most once" is read from the tables, not the plan.
 */
export async function askedAndGiven(t: TestApp, applicationId: string) {
  const asked = await t.db.prisma.materialRequest.findMany({ where: { applicationId } });
  const given = await t.db.prisma.material.findMany({ where: { applicationId }, select: { kind: true } });
  return { asked: asked.map((a) => a.kind), given: given.map((g) => g.kind) };
}

/** Releases: entries of the access log, and the released accesses supervision counts (they must agree). */
export async function releases(t: TestApp): Promise<number> {
  const [logged, counted] = await Promise.all([t.db.prisma.accessLogEntry.count(), t.db.prisma.shareAccess.count({ where: { outcome: 'released' } })]);
  if (logged !== counted) throw new Error(`access log has ${logged} entries, supervision counted ${counted} releases`);
  return logged;
}

export const plan = async (t: TestApp, token: string, id: string): Promise<PlanLine[]> => ok(await gql(t.url, PLAN, { token, variables: { id } })).application.plan;

export const upload = (t: TestApp, token: string, id: string, kind: string, bytes = Buffer.from(`%材料 ${kind}\n`)) => gqlUpload(t.url, UPLOAD, bytes, { token, variables: { id, kind }, name: `${kind}.pdf` });
