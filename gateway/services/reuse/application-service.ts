import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { parseIdNumber, parseUscc } from '../../../signer/index.ts';
import { isHolderOf, requireApplicant, requireDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { CatalogueService, Matter } from '../catalogue/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import { ApplicationStateError, ProofOutsideListError } from './errors.ts';
import { isUnitNumber } from './ledger-facts.ts';
import type { MaterialPlanner } from './material-planner.ts';
import { isProjectCode, PROJECT_STEPS } from './project-steps.ts';
import type { ApplicantRef, Application, ApplicationFacts, PlanLine } from './model.ts';
import { addWorkingDays } from './working-days.ts';

export interface ApplicationServiceOptions {
  readonly prisma: PrismaClient;
  readonly catalogue: CatalogueService;
  readonly planner: MaterialPlanner;
  readonly audit: AuditTrail;
  readonly ledger: LedgerService;
}

export interface OpenApplicationInput {
  readonly applicant: ApplicantRef;
  /** 事项编码; exactly one of matter and bundle. */
  readonly matter?: string;
  /** 一件事 code. */
  readonly bundle?: string;
  readonly facts?: ApplicationFacts;
}

/** Who works applications at the window: handlers, and admins who may do everything. */
export const HANDLING_ROLES: readonly DepartmentRole[] = ['handler', 'admin'];

const include = { matters: { orderBy: { position: 'asc' } } } satisfies Prisma.ApplicationInclude;
type Row = Prisma.ApplicationGetPayload<{ include: typeof include }>;

/**
 * Applications (办件): a handling department opens one for an applicant and a matter or a
 * bundle (一件事一次办), pinned to the catalogue versions current at that moment; each
 * matter's department finishes its step, naming the licences it issued, which the next
 * matters of the bundle then receive at once.
 */
export class ApplicationService {
  readonly #prisma: PrismaClient;
  readonly #catalogue: CatalogueService;
  readonly #planner: MaterialPlanner;
  readonly #audit: AuditTrail;
  readonly #ledger: LedgerService;

  constructor(options: Readonly<ApplicationServiceOptions>) {
    this.#prisma = options.prisma;
    this.#catalogue = options.catalogue;
    this.#planner = options.planner;
    this.#audit = options.audit;
    this.#ledger = options.ledger;
  }

  /**
   * Opens an application. A matter's own department opens it; a bundle's lead department
   * (牵头部门) opens a bundle. Every matter is pinned to its current version, and each
   * proof it asks for must be on the current proof list for its department.
   *
   * @throws `ForbiddenError` not a handler or admin of that department.
   * @throws {@link NotFoundError} no such current matter or bundle.
   * @throws {@link ProofOutsideListError} a matter asks for a proof outside the proof list.
   * @throws `InvalidInputError` / `InvalidCodeError` the applicant's code, the facts, matter and bundle both or neither.
   */
  async open(actor: Actor, input: OpenApplicationInput): Promise<Application> {
    if ((input.matter === undefined) === (input.bundle === undefined)) {
      throw new InvalidInputError({ field: 'matter', message: 'matter or bundle: exactly one of them' });
    }
    const applicant = checkApplicant(input.applicant);
    const facts = checkFacts(input.facts ?? {});
    const bundle = input.bundle !== undefined ? await this.#catalogue.get('bundle', input.bundle) : undefined;
    const single = input.matter !== undefined ? await this.#catalogue.matter(input.matter) : undefined;
    const subject = (bundle ?? single)!;
    const matters = bundle ? await Promise.all(bundle.content.matters.map((c) => this.#catalogue.matter(c))) : [single!];
    // A bundle is opened at its lead department's window (一窗受理), a matter at its own department's.
    const opener = bundle ? bundle.content.leadDepartment : single!.content.department;
    requireDepartment(actor, opener, 'open an application', HANDLING_ROLES);
    await this.#requireListedProofs(matters.map((m) => m.content));
    if (facts.projectCode === undefined && matters.some((m) => PROJECT_STEPS.has(m.key))) {
      throw new InvalidInputError({ field: 'projectCode', message: 'projectCode: a 工程建设项目 step records its decision under the project\'s 项目代码; give it' });
    }

    const openedAt = new Date();
    const promised = bundle ? (bundle.content.promisedTimeLimitDays ?? Math.max(...matters.map((m) => m.content.promisedTimeLimitDays))) : single!.content.promisedTimeLimitDays;
    const row = await this.#prisma.application.create({
      data: {
        departmentId: opener,
        applicantCodeType: applicant.codeType,
        applicantCode: applicant.code,
        applicantName: applicant.name,
        subjectKind: bundle ? 'bundle' : 'matter',
        subjectCode: subject.key,
        subjectVersion: subject.version,
        facts: facts as Prisma.InputJsonValue,
        openedAt,
        dueAt: addWorkingDays(openedAt, promised),
        matters: {
          create: matters.map((m, position) => ({
            position,
            matter: m.key,
            matterVersion: m.version,
            departmentId: m.content.department,
            dueAt: addWorkingDays(openedAt, m.content.promisedTimeLimitDays),
          })),
        },
      },
      include,
    });
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.open', targets: [row.id, subject.key], outcome: 'ok' });
    return toApplication(row);
  }

  /**
   * An application, for its applicant, the departments that work it and the operator;
   * another applicant or department is told it does not exist.
   * @throws {@link NotFoundError}
   */
  async get(actor: Actor, id: string): Promise<Application> {
    const application = await this.load(id);
    requireReader(actor, application);
    return application;
  }

  /** The application without any check, for the other reuse services (which check themselves). @throws {@link NotFoundError} */
  async load(id: string): Promise<Application> {
    const row = /^[0-9a-f-]{36}$/.test(id) ? await this.#prisma.application.findUnique({ where: { id }, include }) : null;
    if (!row) throw new NotFoundError({ entity: 'application', id });
    return toApplication(row);
  }

  /** Applications a department opened or works a matter of, newest first. @throws `ForbiddenError` */
  async listByDepartment(actor: Actor, departmentId: string, page: { limit?: number; offset?: number } = {}): Promise<Application[]> {
    requireDepartment(actor, departmentId, 'list applications');
    const rows = await this.#prisma.application.findMany({
      where: { OR: [{ departmentId }, { matters: { some: { departmentId } } }] },
      include,
      orderBy: { openedAt: 'desc' },
      take: Math.min(Math.max(page.limit ?? 50, 1), 500),
      skip: Math.max(page.offset ?? 0, 0),
    });
    return rows.map(toApplication);
  }

  /** The signed-in applicant's applications, newest first. @throws `ForbiddenError` for any other actor */
  async listOwn(actor: Actor, page: { limit?: number; offset?: number } = {}): Promise<Application[]> {
    const holder = requireApplicant(actor, 'list own applications');
    const rows = await this.#prisma.application.findMany({
      where: { applicantCodeType: holder.holderCodeType, applicantCode: holder.holderCode },
      include,
      orderBy: { openedAt: 'desc' },
      take: Math.min(Math.max(page.limit ?? 50, 1), 500),
      skip: Math.max(page.offset ?? 0, 0),
    });
    return rows.map(toApplication);
  }

  /** The material plan, for whoever may read the application. @throws {@link NotFoundError} */
  async plan(actor: Actor, id: string): Promise<PlanLine[]> {
    return this.#planner.plan(await this.get(actor, id));
  }

  /**
   * Finishes one matter of an application (办结): its department names the licences it
   * issued (each of a type the matter issues, issued by this department), which the next
   * matters of a bundle receive at once. Refused while a required material is still to be
   * uploaded. The plan as it stood is kept for supervision.
   *
   * @throws `ForbiddenError` not the matter's department.
   * @throws {@link ApplicationStateError} already finished, or a required material is missing.
   * @throws `InvalidInputError` a licence not of this matter's issuing.
   */
  async finishMatter(actor: Actor, input: { applicationId: string; matter: string; issued?: readonly string[]; decisionSha256?: string }): Promise<Application> {
    const application = await this.load(input.applicationId);
    const step = application.matters.find((m) => m.matter === input.matter);
    if (!step) throw new NotFoundError({ entity: 'matter of application', id: `${input.applicationId}/${input.matter}` });
    requireDepartment(actor, step.departmentId, 'finish a matter');
    if (step.finishedAt) throw new ApplicationStateError({ applicationId: application.id, message: `matter ${input.matter} of application ${application.id} is already finished` });
    const matter = (await this.#catalogue.matter(step.matter, step.matterVersion)).content;
    const issued = [...new Set(input.issued ?? [])];
    for (const identifier of issued) {
      const licence = await this.#prisma.licence.findUnique({ where: { identifier }, select: { departmentId: true, typeCode: true } });
      if (!licence || licence.departmentId !== step.departmentId || !(matter.issues ?? []).includes(licence.typeCode)) {
        throw new InvalidInputError({ field: 'issued', message: `issued: ${identifier} is not a licence this matter issues at ${step.departmentId}` });
      }
    }
    const decision = projectDecision(application, step.matter, input.decisionSha256);
    const plan = (await this.#planner.plan(application)).filter((l) => l.matter === step.matter);
    const missing = plan.filter((l) => l.resolution === 'UPLOAD' && l.required);
    if (missing.length > 0) {
      throw new ApplicationStateError({ applicationId: application.id, message: `matter ${step.matter} still needs: ${missing.map((l) => l.kind).join(', ')}` });
    }
    const at = new Date();
    await this.#prisma.$transaction(async (tx) => {
      const { count } = await tx.applicationMatter.updateMany({
        where: { applicationId: application.id, matter: step.matter, finishedAt: null },
        data: { finishedAt: at, issued: issued, outcome: plan.map((l) => ({ kind: l.kind, resolution: l.material?.applicationId === application.id && l.material.matter === step.matter ? 'UPLOADED' : l.resolution })) as Prisma.InputJsonValue },
      });
      if (count !== 1) throw new ApplicationStateError({ applicationId: application.id, message: `matter ${step.matter} of application ${application.id} is already finished` });
      const open = await tx.applicationMatter.count({ where: { applicationId: application.id, finishedAt: null } });
      if (open === 0) await tx.application.update({ where: { id: application.id }, data: { finishedAt: at } });
      // The step's decision goes to the ledger with the step, or neither does; earlier steps were enqueued first, so they anchor first.
      if (decision) {
        await this.#ledger.enqueue(tx, { ...decision, evidenceId: `${application.id}:${step.matter}`, department: step.departmentId, decision: 'approved', at: at.toISOString() });
      }
    });
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.finish-matter', targets: [application.id, step.matter, ...issued], outcome: 'ok' });
    return this.load(application.id);
  }

  async #requireListedProofs(matters: readonly Matter[]): Promise<void> {
    const proofs = new Map((await this.#catalogue.list({ kind: 'proof' })).map((p) => [p.key, p.content as { requestingDepartments: readonly string[] }]));
    for (const m of matters) {
      for (const r of m.materials) {
        if (r.proof && !(proofs.get(r.proof)?.requestingDepartments ?? []).includes(m.department)) {
          throw new ProofOutsideListError({ matter: m.code, proof: r.proof, departmentId: m.department });
        }
      }
    }
  }
}

/**
 * The ledger record a finished matter owes when it is a 工程建设项目 step, less what the
 * transaction fills in; undefined for any other matter.
 * @throws `InvalidInputError` no decision document hash.
 * @throws {@link ApplicationStateError} no 项目代码, or an earlier step of the application not finished (the contract takes them in order).
 */
function projectDecision(application: Application, matter: string, decisionSha256: string | undefined) {
  const type = PROJECT_STEPS.get(matter);
  if (type === undefined) return undefined;
  const projectCode = application.facts.projectCode;
  if (projectCode === undefined) throw new ApplicationStateError({ applicationId: application.id, message: `application ${application.id} has no 项目代码 to record the ${matter} decision under` });
  if (decisionSha256 === undefined || !/^[0-9a-f]{64}$/.test(decisionSha256)) {
    throw new InvalidInputError({ field: 'decisionSha256', message: 'decisionSha256: the SHA-256 (lower-case hex) of the decision document (许可证 or 验收意见)' });
  }
  const earlier = application.matters.filter((m) => PROJECT_STEPS.has(m.matter) && m.position < application.matters.find((x) => x.matter === matter)!.position && !m.finishedAt);
  if (earlier.length > 0) {
    throw new ApplicationStateError({ applicationId: application.id, message: `matter ${matter} follows ${earlier.map((m) => m.matter).join(', ')}, not finished yet` });
  }
  return { type, projectCode, documentSha256: decisionSha256 };
}

/** The departments that work an application: its opener and each matter's. */
export const departmentsOf = (application: Application): Set<string> => new Set([application.departmentId, ...application.matters.map((m) => m.departmentId)]);

/** Whether the actor is the application's applicant. */
export const isApplicantOf = (actor: Actor, application: Application): boolean =>
  isHolderOf(actor, { departmentId: '', holderCodeType: application.applicant.codeType, holderCode: application.applicant.code });

/**
 * Passes for the applicant, the operator and staff of a department working the
 * application; others get the {@link NotFoundError} a missing one gets.
 */
export function requireReader(actor: Actor, application: Application): void {
  if (isApplicantOf(actor, application) || actor.kind === 'operator') return;
  if (actor.kind === 'department' && departmentsOf(application).has(actor.departmentId)) return;
  if (actor.kind === 'department' || actor.kind === 'applicant') throw new NotFoundError({ entity: 'application', id: application.id });
  throw new ForbiddenError({ action: 'read an application', reason: 'sign in as a department or as the applicant' });
}

export const actorName = (actor: Actor): string =>
  actor.kind === 'department' ? `${actor.departmentId}${actor.role ? `:${actor.role}` : ''}` : actor.kind === 'applicant' ? 'applicant' : actor.kind;

function checkApplicant(a: ApplicantRef): ApplicantRef {
  const name = a.name.trim();
  if (!name || name.length > 100) throw new InvalidInputError({ field: 'applicant.name', message: 'applicant.name: 1-100 characters' });
  if (a.codeType === '111') return { codeType: '111', code: parseIdNumber(a.code, { field: 'applicant.code' }), name };
  if (a.codeType === '001') return { codeType: '001', code: parseUscc(a.code, 'applicant.code'), name };
  throw new InvalidInputError({ field: 'applicant.codeType', message: 'applicant.codeType: 111 (公民身份号码) or 001 (统一社会信用代码)', standard: 'GB/T 36903' });
}

function checkFacts(f: ApplicationFacts): ApplicationFacts {
  if (f.unitNumber !== undefined && !isUnitNumber(f.unitNumber)) {
    throw new InvalidInputError({ field: 'unitNumber', message: 'unitNumber: a 不动产单元号 of 28 digits and capital letters', standard: 'GB/T 37346-2019' });
  }
  if (f.projectCode !== undefined && !isProjectCode(f.projectCode)) {
    throw new InvalidInputError({ field: 'projectCode', message: 'projectCode: a 项目代码 such as 2026-350203-48-01-000123' });
  }
  return { ...(f.unitNumber === undefined ? {} : { unitNumber: f.unitNumber }), ...(f.projectCode === undefined ? {} : { projectCode: f.projectCode }) };
}

function toApplication(row: Row): Application {
  return {
    id: row.id,
    departmentId: row.departmentId,
    applicant: { codeType: row.applicantCodeType as '111' | '001', code: row.applicantCode, name: row.applicantName },
    subjectKind: row.subjectKind as 'matter' | 'bundle',
    subjectCode: row.subjectCode,
    subjectVersion: row.subjectVersion,
    facts: row.facts as ApplicationFacts,
    openedAt: row.openedAt,
    dueAt: row.dueAt,
    finishedAt: row.finishedAt,
    matters: row.matters.map((m) => ({
      position: m.position,
      matter: m.matter,
      matterVersion: m.matterVersion,
      departmentId: m.departmentId,
      dueAt: m.dueAt,
      finishedAt: m.finishedAt,
      issued: m.issued as string[],
    })),
  };
}
