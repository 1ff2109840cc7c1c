import { expect } from 'vitest';
import { REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../../signer/index.ts';
import { unitNumber } from '../../ledger/fixtures.ts';
import { registration, type MatrixFixtures } from './fixtures.ts';
import { ROLE_NAMES, X, type Role } from './roles.ts';

type Variables = Record<string, unknown>;

/**
 * One GraphQL operation (a root field) in the authorisation matrix.
 *
 * Every cell not in `allowed` must be refused: anonymous with UNAUTHENTICATED, a role in
 * `hidden` with NOT_FOUND (the answer for a record that does not exist, so the caller
 * cannot probe), every other role with FORBIDDEN; and a refused cell must write nothing.
 */
export interface OperationRow {
  /** A document that calls this root field only. */
  readonly document: string;
  /**
   * The variables of one call. Called afresh for each cell, so a cell that changes
   * something (a revocation) gets its own target and the next cell finds the same state.
   */
  readonly variables?: (fx: MatrixFixtures, role: Role) => Variables | Promise<Variables>;
  /** Sent as `variables.file` in a GraphQL multipart request. */
  readonly upload?: (fx: MatrixFixtures) => Uint8Array;
  readonly allowed: readonly Role[];
  /** Refused as NOT_FOUND rather than FORBIDDEN (another applicant's records). */
  readonly hidden?: readonly Role[];
  /** More to check of an allowed cell's data than that it is there. */
  readonly check?: (data: any, role: Role, fx: MatrixFixtures) => void;
}

const DEPARTMENT_X: readonly Role[] = ['xIssuer', 'xHandler', 'xAdmin'];
const ISSUING_X: readonly Role[] = ['xIssuer', 'xAdmin'];
const SEAL_ADMIN_X: readonly Role[] = ['xAdmin'];
const HANDLING_X: readonly Role[] = ['xHandler', 'xAdmin'];
const DEPARTMENTS: readonly Role[] = [...DEPARTMENT_X, 'yIssuer'];
const APPLICANTS: readonly Role[] = ['applicantA', 'applicantB'];
const EVERYONE = ROLE_NAMES;

const SEAL = 'id departmentId state';
const LICENCE = 'identifier status holderCode';

/**
 * Every Query and Mutation field, keyed `Query.<field>` / `Mutation.<field>`. The matrix
 * test fails for a field of the schema without a row and for a row without a field.
 */
export const OPERATIONS: Readonly<Record<string, OperationRow>> = {
  'Query.application': {
    document: `query($id: ID!) { application(id: $id) { id departmentId plan { kind resolution } } }`,
    variables: (fx) => ({ id: fx.applicationX }),
    // Its applicant and the departments working it; anyone else cannot tell it exists.
    allowed: [...DEPARTMENT_X, 'applicantA'],
    hidden: ['applicantB', 'yIssuer'],
    check: (data, _role, fx) => expect(data.application.id).toBe(fx.applicationX),
  },
  'Query.applications': {
    document: `query($d: String) { applications(departmentId: $d, first: 5) { edges { node { id departmentId } } } }`,
    variables: () => ({ d: X }),
    allowed: DEPARTMENT_X,
    check: (data) => expect(data.applications.edges.every((e: any) => e.node.departmentId === X)).toBe(true),
  },
  'Query.myApplications': {
    document: `{ myApplications(first: 50) { edges { node { id } } } }`,
    allowed: APPLICANTS,
    check: (data, role, fx) => {
      const ids = data.myApplications.edges.map((e: any) => e.node.id);
      if (role === 'applicantA') expect(ids).toContain(fx.applicationX);
      else expect(ids).not.toContain(fx.applicationX);
    },
  },
  'Query.authorisationRequest': {
    document: `query($id: ID!) { authorisationRequest(applicationId: $id) { scope { matter kind from } } }`,
    variables: (fx) => ({ id: fx.applicationX }),
    allowed: [...DEPARTMENT_X, 'applicantA'],
    hidden: ['applicantB', 'yIssuer'],
  },
  'Query.supervision': {
    document: `query($d: String) { supervision(departmentId: $d) { departmentId matter opened } }`,
    variables: () => ({ d: X }),
    allowed: DEPARTMENT_X,
  },
  'Query.checkDocumentHash': {
    document: `query($sha256: Sha256!) { checkDocumentHash(sha256: $sha256) { sha256 anchored } }`,
    variables: (fx) => ({ sha256: fx.documentA }),
    allowed: DEPARTMENTS,
  },
  'Query.evidenceHistory': {
    document: `query($key: String!) { evidenceHistory(domain: REALESTATE, key: $key) { edges { node { transactionId } } } }`,
    variables: (fx) => ({ key: fx.unitX }),
    // The ledger's writer policy gives X the 不动产 domain, any role.
    allowed: DEPARTMENT_X,
    check: (data) => expect(data.evidenceHistory.edges.length).toBeGreaterThan(0),
  },
  'Query.licence': {
    document: `query($id: LicenceIdentifier!) { licence(identifier: $id) { ${LICENCE} } }`,
    variables: (fx) => ({ id: fx.licenceA }),
    allowed: [...DEPARTMENT_X, 'applicantA'],
    hidden: ['applicantB'],
    check: (data, _role, fx) => expect(data.licence.identifier).toBe(fx.licenceA),
  },
  'Query.licenceStatus': {
    document: `query($t: String!) { licenceStatus(pageToken: $t) { identifier status holderMasked } }`,
    variables: (fx) => ({ t: fx.pageTokenA }),
    allowed: EVERYONE,
    check: (data, _role, fx) => expect(data.licenceStatus.identifier).toBe(fx.licenceA),
  },
  'Query.licences': {
    document: `query($d: String) { licences(departmentId: $d, first: 5) { edges { node { identifier departmentId } } } }`,
    variables: () => ({ d: X }),
    allowed: DEPARTMENT_X,
    check: (data) => expect(data.licences.edges.every((e: any) => e.node.departmentId === X)).toBe(true),
  },
  'Query.myLicences': {
    document: `{ myLicences(first: 20) { edges { node { ${LICENCE} } } } }`,
    allowed: APPLICANTS,
    // Only the caller's own: other cells keep issuing licences to A, so A's page may not reach licenceA.
    check: (data, role, fx) => {
      const nodes = data.myLicences.edges.map((e: any) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(new Set(nodes.map((n: any) => n.holderCode))).toEqual(new Set([role === 'applicantA' ? fx.holderCodeA : fx.holderCodeB]));
      expect(nodes.map((n: any) => n.identifier)).not.toContain(role === 'applicantA' ? fx.licenceB : fx.licenceA);
    },
  },
  'Query.seals': {
    document: `query($d: String) { seals(departmentId: $d) { ${SEAL} } }`,
    variables: () => ({ d: X }),
    allowed: DEPARTMENT_X,
  },

  'Query.myAccesses': {
    document: `{ myAccesses(first: 20) { edges { node { sequence resource at } } } }`,
    // The applicant's own access log; departments and the anonymous read none of it.
    allowed: APPLICANTS,
  },
  'Query.myUseCodes': {
    document: `{ myUseCodes(first: 20) { edges { node { id identifier state } } } }`,
    allowed: APPLICANTS,
    // Each applicant sees their own codes only: A has minted for licenceA, B none.
    check: (data, role, fx) => {
      const ids = data.myUseCodes.edges.map((e: any) => e.node.identifier);
      if (role === 'applicantA') expect(ids).toContain(fx.licenceA);
      else expect(ids).toEqual([]);
    },
  },

  'Query.matters': {
    document: `{ matters { code version kind materials { kind name required commitment toleranceDays } } }`,
    // The published 办事指南: anyone reads it.
    allowed: EVERYONE,
    check: (data, _role, fx) => expect(data.matters.map((m: any) => m.code)).toContain(fx.matterX),
  },
  'Query.matter': {
    document: `query($code: String!) { matter(code: $code) { code departmentId materials { kind source licenceTypes } } }`,
    variables: (fx) => ({ code: fx.matterX }),
    allowed: EVERYONE,
    check: (data, _role, fx) => expect(data.matter).toMatchObject({ code: fx.matterX, departmentId: X }),
  },
  'Query.bundles': {
    document: `{ bundles { code matterCodes matters { code } } }`,
    allowed: EVERYONE,
    check: (data) => expect(data.bundles.length).toBeGreaterThan(0),
  },
  'Query.proofList': {
    document: `{ proofList { code name legalBasis issuingUnit } }`,
    allowed: EVERYONE,
    check: (data) => expect(data.proofList.length).toBeGreaterThan(0),
  },
  'Query.grants': {
    document: `query($d: String) { grants(departmentId: $d) { departmentId matter resourceKind resource } }`,
    variables: () => ({ d: X }),
    // A department's own grants; another department is refused, applicants read none.
    allowed: DEPARTMENT_X,
    check: (data) => {
      expect(data.grants.length).toBeGreaterThan(0);
      expect(data.grants.every((g: any) => g.departmentId === X)).toBe(true);
    },
  },

  'Mutation.openApplication': {
    document: `mutation($input: OpenApplicationInput!) { openApplication(input: $input) { id departmentId } }`,
    variables: (fx) => ({ input: { applicant: { codeType: 'CITIZEN_ID', code: fx.holderCodeA, name: '林美华' }, matter: fx.matterX, unitNumber: fx.unitA } }),
    // The window: handlers and admins of the matter's department, not its issuers.
    allowed: HANDLING_X,
    check: (data) => expect(data.openApplication.departmentId).toBe(X),
  },
  'Mutation.authoriseApplication': {
    document: `mutation($id: ID!) { authoriseApplication(applicationId: $id) { id state } }`,
    variables: async (fx) => ({ id: await fx.newApplication() }),
    allowed: ['applicantA'],
    hidden: ['applicantB'],
    check: (data) => expect(data.authoriseApplication.state).toBe('LIVE'),
  },
  'Mutation.authoriseApplicationWithUseCode': {
    document: `mutation($id: ID!, $code: String!) { authoriseApplicationWithUseCode(applicationId: $id, code: $code) { id state scope { source } } }`,
    variables: async (fx) => {
      const id = await fx.newApplication();
      const identifier = await fx.plannedLicence(id, 'real-estate-certificate');
      const holderA = { kind: 'applicant', holderCodeType: '111', holderCode: fx.holderCodeA } as const;
      const { code } = await fx.services.useCodes.mint(holderA, { identifier, expiresAt: new Date(Date.now() + 86_400_000) });
      return { id, code };
    },
    // The window of a department working the application presents the applicant's code; A signs in with authoriseApplication instead.
    allowed: HANDLING_X,
    check: (data) => expect(data.authoriseApplicationWithUseCode.state).toBe('LIVE'),
  },
  'Mutation.withdrawAuthorisation': {
    document: `mutation($id: ID!) { withdrawAuthorisation(applicationId: $id) { state } }`,
    variables: async (fx) => ({ id: await fx.newApplication(true) }),
    allowed: ['applicantA'],
    hidden: ['applicantB'],
    check: (data) => expect(data.withdrawAuthorisation.state).toBe('WITHDRAWN'),
  },
  'Mutation.finishMatter': {
    document: `mutation($id: ID!, $matter: String!) { finishMatter(applicationId: $id, matter: $matter) { id finishedAt } }`,
    variables: async (fx) => ({ id: await fx.newFinishable(), matter: fx.matterX }),
    allowed: DEPARTMENT_X,
    check: (data) => expect(data.finishMatter.finishedAt).toBeTruthy(),
  },
  'Mutation.requestMaterials': {
    document: `mutation($id: ID!, $kinds: [String!]!) { requestMaterials(applicationId: $id, kinds: $kinds) { kind requested } }`,
    variables: async (fx) => ({ id: await fx.newApplication(), kinds: ['property-sale-contract'] }),
    allowed: HANDLING_X,
    check: (data) => expect(data.requestMaterials.find((l: any) => l.kind === 'property-sale-contract').requested).toBe(true),
  },
  'Mutation.uploadMaterial': {
    document: `mutation($file: Upload!, $id: ID!, $kind: String!) { uploadMaterial(applicationId: $id, kind: $kind, file: $file) { id kind sha256 } }`,
    variables: async (fx) => ({ id: await fx.newApplication(), kind: 'property-sale-contract' }),
    upload: (fx) => fx.pdf,
    // The applicant hands it in, or the window takes it over the counter.
    allowed: [...HANDLING_X, 'applicantA'],
  },
  'Mutation.fetchSharedLicence': {
    document: `mutation($input: FetchSharedLicenceInput!) { fetchSharedLicence(input: $input) { identifier receipt { sequence entryHash } } }`,
    variables: async (fx) => ({
      input: { applicationId: fx.applicationX, matter: fx.matterX, identifier: await fx.plannedLicence(fx.applicationX, 'real-estate-certificate'), useCause: '办理不动产转移登记' },
    }),
    // Only a window of the matter's department, for this application, with A's authorisation and X's grant.
    allowed: HANDLING_X,
  },
  'Mutation.fetchSharedLicenceCopy': {
    document: `mutation($input: FetchSharedLicenceInput!) { fetchSharedLicenceCopy(input: $input) { identifier receipt { sequence } } }`,
    variables: async (fx) => ({
      input: { applicationId: fx.applicationX, matter: fx.matterX, identifier: await fx.plannedLicence(fx.applicationX, 'real-estate-certificate'), useCause: '办理不动产转移登记' },
    }),
    allowed: HANDLING_X,
  },
  'Mutation.applySeal': {
    document: `mutation($file: Upload!, $sealId: String!) { applySeal(file: $file, sealId: $sealId, placement: { field: "Seal2" }) { sealId size } }`,
    variables: (fx) => ({ sealId: fx.sealX }),
    upload: (fx) => fx.pdf,
    // Stamping is signing: the roles that issue.
    allowed: ISSUING_X,
  },
  'Mutation.issueLicence': {
    document: `mutation($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { ${LICENCE} departmentId } } } }`,
    variables: () => ({ input: { type: REAL_ESTATE_CERTIFICATE.code, departmentId: X, face: SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face } }),
    allowed: ISSUING_X,
    check: (data) => expect(data.issueLicence).toMatchObject({ __typename: 'IssueLicenceSuccess', data: { status: 'VALID', departmentId: X } }),
  },
  'Mutation.makeSeal': {
    document: `mutation($input: MakeSealInput!) { makeSeal(input: $input) { ${SEAL} } }`,
    variables: () => ({ input: { departmentId: X, title: '矩阵专用章' } }),
    allowed: SEAL_ADMIN_X,
    check: (data) => expect(data.makeSeal).toMatchObject({ departmentId: X, state: 'ACTIVE' }),
  },
  'Mutation.recordEvidence': {
    document: `mutation($input: RecordEvidenceInput!) { recordEvidence(input: $input) { evidenceId type } }`,
    variables: () => ({ input: { type: 'realestate.first-registration', data: registration(unitNumber()), waitSeconds: 0 } }),
    allowed: DEPARTMENT_X,
  },
  'Mutation.resumeSeal': {
    document: `mutation($id: String!) { resumeSeal(id: $id) { ${SEAL} } }`,
    variables: async (fx) => ({ id: await fx.newSeal('suspended') }),
    allowed: SEAL_ADMIN_X,
    check: (data) => expect(data.resumeSeal.state).toBe('ACTIVE'),
  },
  'Mutation.revokeLicence': {
    document: `mutation($id: LicenceIdentifier!) { revokeLicence(identifier: $id, reason: "矩阵测试") { ${LICENCE} } }`,
    variables: async (fx) => ({ id: await fx.newLicence() }),
    allowed: ISSUING_X,
    check: (data) => expect(data.revokeLicence.status).toBe('REVOKED'),
  },
  'Mutation.revokeSeal': {
    document: `mutation($id: String!) { revokeSeal(id: $id, reason: "矩阵测试") { ${SEAL} } }`,
    variables: async (fx) => ({ id: await fx.newSeal() }),
    allowed: SEAL_ADMIN_X,
    check: (data) => expect(data.revokeSeal.state).toBe('REVOKED'),
  },
  'Mutation.suspendSeal': {
    document: `mutation($id: String!) { suspendSeal(id: $id, reason: "矩阵测试") { ${SEAL} } }`,
    variables: async (fx) => ({ id: await fx.newSeal() }),
    allowed: SEAL_ADMIN_X,
    check: (data) => expect(data.suspendSeal.state).toBe('SUSPENDED'),
  },
  'Mutation.changeLicence': {
    document: `mutation($id: LicenceIdentifier!, $input: ChangeLicenceInput!) { changeLicence(identifier: $id, input: $input) { __typename ... on ChangeLicenceSuccess { data { ${LICENCE} } } } }`,
    variables: async (fx) => ({
      id: await fx.newLicence(),
      input: { face: { ...SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face, otherStatus: '矩阵测试变更' }, reason: '矩阵测试' },
    }),
    allowed: ISSUING_X,
    check: (data) => expect(data.changeLicence).toMatchObject({ __typename: 'ChangeLicenceSuccess', data: { status: 'VALID' } }),
  },
  'Mutation.suspendLicence': {
    document: `mutation($id: LicenceIdentifier!) { suspendLicence(identifier: $id, reason: "矩阵测试") { ${LICENCE} } }`,
    variables: async (fx) => ({ id: await fx.newLicence() }),
    allowed: ISSUING_X,
    check: (data) => expect(data.suspendLicence.status).toBe('SUSPENDED'),
  },
  'Mutation.resumeLicence': {
    document: `mutation($id: LicenceIdentifier!) { resumeLicence(identifier: $id, reason: "矩阵测试") { ${LICENCE} } }`,
    variables: async (fx) => ({ id: await fx.newLicence('suspended') }),
    allowed: ISSUING_X,
    check: (data) => expect(data.resumeLicence.status).toBe('VALID'),
  },
  'Mutation.applyLicenceRenewal': {
    document: `mutation($id: LicenceIdentifier!) { applyLicenceRenewal(identifier: $id) { ${LICENCE} renewal { state } } }`,
    variables: async (fx) => ({ id: await fx.newRenewable() }),
    // Only the holder applies; another applicant cannot tell the licence exists.
    allowed: ['applicantA'],
    hidden: ['applicantB'],
    check: (data) => expect(data.applyLicenceRenewal.renewal.state).toBe('PENDING'),
  },
  'Mutation.grantLicenceRenewal': {
    document: `mutation($id: LicenceIdentifier!) { grantLicenceRenewal(identifier: $id) { ${LICENCE} renewal { state } } }`,
    variables: async (fx) => ({ id: await fx.newRenewable(true) }),
    allowed: ISSUING_X,
    check: (data) => expect(data.grantLicenceRenewal.renewal.state).toBe('GRANTED'),
  },
  'Mutation.refuseLicenceRenewal': {
    document: `mutation($id: LicenceIdentifier!) { refuseLicenceRenewal(identifier: $id, reason: "矩阵测试") { ${LICENCE} renewal { state } } }`,
    variables: async (fx) => ({ id: await fx.newRenewable(true) }),
    allowed: ISSUING_X,
    check: (data) => expect(data.refuseLicenceRenewal.renewal.state).toBe('REFUSED'),
  },
  'Mutation.mintUseCode': {
    document: `mutation($input: MintUseCodeInput!) { mintUseCode(input: $input) { code useCode { identifier state } } }`,
    variables: (fx) => ({ input: { identifier: fx.licenceA, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), purpose: '矩阵测试' } }),
    allowed: ['applicantA'],
    hidden: ['applicantB'],
    check: (data, _role, fx) => expect(data.mintUseCode.useCode).toMatchObject({ identifier: fx.licenceA, state: 'ACTIVE' }),
  },
  'Mutation.withdrawUseCode': {
    document: `mutation($id: ID!) { withdrawUseCode(id: $id) { id state } }`,
    variables: async (fx) => ({ id: await fx.newUseCode() }),
    allowed: ['applicantA'],
    hidden: ['applicantB'],
    check: (data) => expect(data.withdrawUseCode.state).toBe('WITHDRAWN'),
  },
  'Mutation.presentUseCode': {
    document: `mutation($input: PresentUseCodeInput!) { presentUseCode(input: $input) { status { identifier status } copy { url } } }`,
    variables: (fx) => ({ input: { code: fx.useCodeA, recipient: '矩阵测试银行', purpose: '核验' } }),
    // Whoever holds the code: a bank clerk needs no account.
    allowed: EVERYONE,
    check: (data, _role, fx) => {
      expect(data.presentUseCode.status.identifier).toBe(fx.licenceA);
      expect(data.presentUseCode.copy.url).toMatch(/^http/);
    },
  },
  'Mutation.verifyPdf': {
    document: `mutation($file: Upload!) { verifyPdf(file: $file) { verdict licence { status } } }`,
    upload: (fx) => fx.pdf,
    // Anyone may verify; nothing uploaded is kept.
    allowed: EVERYONE,
    check: (data) => expect(data.verifyPdf.verdict).toBe('VALID'),
  },
};
