import { DEMO_APPLICANTS } from '../../../gateway/services/demo-data.ts';
import { DEPARTMENT_WRITER_ATTRIBUTE, OPERATOR, type Services } from '../../../gateway/services/index.ts';
import type { TokenService } from '../../../gateway/services/tokens/index.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../../signer/index.ts';
import type { Actor } from '../../../gateway/services/actor.ts';
import { unitNumber } from '../../ledger/fixtures.ts';
import type { OidcProvider } from '../../support/oidc-provider.ts';
import { X, Y, type Role } from './roles.ts';

/** What the matrix's rows call operations on: made once, before the first cell. */
export interface MatrixFixtures {
  readonly services: Services;
  /** A bearer token per role; none for anonymous. */
  readonly tokens: Readonly<Record<Role, string | undefined>>;
  /** Applicant A's 不动产权证书, issued by X. */
  readonly licenceA: string;
  /** Its status page token (the last segment of the QR code's URL). */
  readonly pageTokenA: string;
  /** SHA-256 of its signed PDF. */
  readonly documentA: string;
  /** Applicant A's and B's holder codes (公民身份号码, 统一社会信用代码). */
  readonly holderCodeA: string;
  readonly holderCodeB: string;
  /** Applicant B's 营业执照, issued by Y. */
  readonly licenceB: string;
  /** X's active seal. */
  readonly sealX: string;
  /** A signed licence of Y with a free signature field `Seal2`, for uploads. */
  readonly pdf: Uint8Array;
  /** The 不动产单元号 of an evidence record X made. */
  readonly unitX: string;
  /** A new licence of X held by applicant A, for a cell that changes one (revoke, change, …); suspended when asked. */
  newLicence(state?: 'valid' | 'suspended'): Promise<string>;
  /** A new 住房公积金缴存证明 of X held by applicant A (a licence with an end date), its renewal applied for when asked. */
  newRenewable(pending?: boolean): Promise<string>;
  /** The code of a use code applicant A minted for `licenceA`. */
  readonly useCodeA: string;
  /** A new use code of applicant A for `licenceA`: its id. */
  newUseCode(): Promise<string>;
  /** The 不动产转移登记 matter X handles, and the unit of A's flat it is about. */
  readonly matterX: string;
  readonly unitA: string;
  /** An application of applicant A at X for `matterX`, authorised by A (for reads and fetches). */
  readonly applicationX: string;
  /** A new application of A at X for `matterX`, authorised by A when asked. */
  newApplication(authorised?: boolean): Promise<string>;
  /** A new application at X, of someone who is not a matrix role, with every material handed in: ready to finish. */
  newFinishable(): Promise<string>;
  /** The licence the plan of an application shares for `kind`. */
  plannedLicence(applicationId: string, kind: string): Promise<string>;
  /** A new seal of X in the state given. */
  newSeal(state?: 'active' | 'suspended'): Promise<string>;
}

export const AUDIENCE = 'zhengyin-matrix';
const [PERSON, COMPANY] = DEMO_APPLICANTS;

/**
 * On the seeded demo: gives X the 不动产 domain in the ledger's writer policy, mints a token per
 * role and records what the rows need.
 */
export async function makeFixtures(p: { services: Services; tokens: TokenService; provider: OidcProvider; mspId: string }): Promise<MatrixFixtures> {
  const { services, provider } = p;
  const org = { mspId: p.mspId };
  await services.ledger.ledger.setPolicy({
    admins: [org],
    writers: { realestate: [org, { ...org, attribute: { name: DEPARTMENT_WRITER_ATTRIBUTE, value: X } }], fund: [org], licence: [org], accesslog: [org] },
  });
  const mint = async (departmentId: string, role: 'issuer' | 'handler' | 'admin') => (await p.tokens.mint(OPERATOR, { departmentId, role })).token;
  const tokens: Record<Role, string | undefined> = {
    anonymous: undefined,
    applicantA: await provider.token(AUDIENCE, { claims: { id_number: PERSON.code }, exp: Math.floor(Date.now() / 1000) + 3600 }),
    applicantB: await provider.token(AUDIENCE, { claims: { uscc: COMPANY.code }, exp: Math.floor(Date.now() / 1000) + 3600 }),
    xIssuer: await mint(X, 'issuer'),
    xHandler: await mint(X, 'handler'),
    xAdmin: await mint(X, 'admin'),
    yIssuer: await mint(Y, 'issuer'),
  };
  const rows = await services.licences.listByDepartment(OPERATOR, X, { limit: 100 });
  const a = rows.find((l) => l.holderCode === PERSON.code)!;
  const b = (await services.licences.listByDepartment(OPERATOR, Y, { limit: 100 })).find((l) => l.holderCode === COMPANY.code)!;
  const { pdf } = await services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: Y, face: SEED_EXAMPLES[0]!.face, reservedSeals: 1 });
  const unitX = unitNumber();
  await services.ledger.record(OPERATOR, { type: 'realestate.first-registration', data: registration(unitX) }, 30_000);
  const realEstate = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!;
  // X may issue the 缴存证明 too: renewal needs a licence with an end date, and X's own type has none.
  const fund = SEED_EXAMPLES.find((e) => e.typeCode === PROVIDENT_FUND_CERTIFICATE.code)!;
  const fundType = await services.licenceTypes.resolve(fund.typeCode);
  await services.licenceTypes.define(OPERATOR, fundType, [...(await services.licenceTypes.issuersOf(fund.typeCode)), X]);
  const holderA: Actor = { kind: 'applicant', holderCodeType: '111', holderCode: PERSON.code };
  const mintA = () => services.useCodes.mint(holderA, { identifier: a.identifier, expiresAt: new Date(Date.now() + 86_400_000), purpose: '矩阵测试' });
  const newLicence = async (state: 'valid' | 'suspended' = 'valid') => {
    const { identifier } = (await services.licences.issue(OPERATOR, { type: realEstate.typeCode, departmentId: X, face: realEstate.face })).licence;
    if (state === 'suspended') await services.licences.changes.suspend(OPERATOR, identifier, '矩阵测试');
    return identifier;
  };
  const matterX = '350200-BDC-0001';
  const unitA = String(realEstate.face.unitNumber);
  const handlerX: Actor = { kind: 'department', departmentId: X, role: 'handler' };
  const newApplication = async (authorised = false) => {
    const { id } = await services.applications.open(handlerX, { applicant: { codeType: '111', code: PERSON.code, name: PERSON.name }, matter: matterX, facts: { unitNumber: unitA } });
    if (authorised) await services.authorisations.authorise(holderA, id);
    return id;
  };
  // 王建国, the buyer: not a role of the matrix, so his handed-in materials never make A's reusable.
  const buyer = { codeType: '111', code: '350206199001010025', name: '王建国' } as const;
  const newFinishable = async () => {
    const { id } = await services.applications.open(handlerX, { applicant: buyer, matter: matterX, facts: { unitNumber: unitA } });
    const toUpload = (await services.applications.plan(handlerX, id)).filter((l) => l.resolution === 'UPLOAD').map((l) => l.kind);
    for (const kind of toUpload) {
      await services.materials.upload(handlerX, { applicationId: id, kind, fileName: `${kind}.pdf`, mediaType: 'application/pdf', bytes: Buffer.from(`%材料 ${kind}\n`) });
    }
    return id;
  };
  return {
    services,
    tokens,
    licenceA: a.identifier,
    pageTokenA: new URL(a.statusUrl).pathname.split('/').pop()!,
    documentA: a.documentSha256,
    licenceB: b.identifier,
    holderCodeA: PERSON.code,
    holderCodeB: COMPANY.code,
    sealX: (await services.seals.activeSealOf(X))!.id,
    pdf,
    unitX,
    newLicence,
    newRenewable: async (pending = false) => {
      const face = { ...fund.face, name: PERSON.name, idNumber: PERSON.code };
      const { identifier } = (await services.licences.issue(OPERATOR, { type: fund.typeCode, departmentId: X, face })).licence;
      if (pending) await services.licences.renewals.apply(holderA, identifier);
      return identifier;
    },
    useCodeA: (await mintA()).code,
    newUseCode: async () => (await mintA()).useCode.id,
    matterX,
    unitA,
    applicationX: await newApplication(true),
    newApplication,
    newFinishable,
    plannedLicence: async (applicationId, kind) => {
      const line = (await services.applications.plan(OPERATOR, applicationId)).find((l) => l.kind === kind && l.licence);
      if (!line?.licence) throw new Error(`the plan of ${applicationId} shares no licence for ${kind}`);
      return line.licence.identifier;
    },
    newSeal: async (state = 'active') => {
      const seal = await services.seals.create(OPERATOR, { departmentId: X, title: '矩阵测试专用章' });
      if (state === 'suspended') await services.seals.suspend(OPERATOR, seal.id, '送检');
      return seal.id;
    },
  };
}

/** A 不动产 first registration of `unit`, as departments record it. */
export const registration = (unit: string) => ({
  unitNumber: unit,
  certificateNumber: '闽(2026)厦门市不动产权第0000042号',
  documentSha256: 'ab'.repeat(32),
  holderCodeType: '111',
  holderCode: PERSON.code,
  at: '2026-03-01T09:00:00+08:00',
});
