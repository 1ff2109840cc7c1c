import { createHash } from 'node:crypto';
import { ForbiddenError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import type { Actor } from '../actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { CatalogueService, MaterialKind } from '../catalogue/index.ts';
import type { VerificationService } from '../verification/index.ts';
import { actorName, departmentsOf, HANDLING_ROLES, isApplicantOf, type ApplicationService } from './application-service.ts';
import { ApplicationStateError, MaterialNotToBeUploadedError, MaterialTooLargeError, ProofOutsideListError } from './errors.ts';
import type { MaterialPlanner } from './material-planner.ts';
import type { Application, PlanLine, PlannedMaterial } from './model.ts';
import { requireDepartment } from '../actor.ts';

export interface MaterialServiceOptions {
  readonly prisma: PrismaClient;
  readonly applications: ApplicationService;
  readonly planner: MaterialPlanner;
  readonly catalogue: CatalogueService;
  readonly verification: VerificationService;
  readonly audit: AuditTrail;
  /** Largest material accepted, in bytes. */
  readonly maxBytes: number;
}

export interface UploadMaterialInput {
  readonly applicationId: string;
  /** Material kind code. */
  readonly kind: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/**
 * What the applicant hands in (收件): a department may ask only for what the plan says is
 * to be uploaded, once per application; an upload is stored with its hash and, when it is
 * a signed PDF, its verification report, and is reusable for the same applicant's later
 * applications (verified and unexpired) and at once for every matter of the same one.
 */
export class MaterialService {
  readonly #prisma: PrismaClient;
  readonly #applications: ApplicationService;
  readonly #planner: MaterialPlanner;
  readonly #catalogue: CatalogueService;
  readonly #verification: VerificationService;
  readonly #audit: AuditTrail;
  readonly #maxBytes: number;

  constructor(options: Readonly<MaterialServiceOptions>) {
    this.#prisma = options.prisma;
    this.#applications = options.applications;
    this.#planner = options.planner;
    this.#catalogue = options.catalogue;
    this.#verification = options.verification;
    this.#audit = options.audit;
    this.#maxBytes = options.maxBytes;
  }

  get maxBytes(): number {
    return this.#maxBytes;
  }

  /**
   * A department asks the applicant for materials (一次性告知). Each kind must be "to be
   * uploaded" in a matter the department works; asking again for a kind already asked in
   * this application asks nothing new.
   *
   * @throws {@link MaterialNotToBeUploadedError} the plan fills it otherwise, naming from where.
   * @throws {@link ProofOutsideListError} a proof no longer on the proof list.
   * @throws `ForbiddenError` not a handler of a department working the application.
   * @returns the plan lines asked for.
   */
  async request(actor: Actor, applicationId: string, kinds: readonly string[]): Promise<PlanLine[]> {
    const application = await this.#applications.load(applicationId);
    const departments = actor.kind === 'department' ? [actor.departmentId] : [];
    if (actor.kind !== 'operator') {
      if (actor.kind !== 'department' || !departmentsOf(application).has(actor.departmentId)) {
        throw new ForbiddenError({ action: 'ask for materials', reason: 'only a department working this application may ask its applicant' });
      }
      requireDepartment(actor, actor.departmentId, 'ask for materials', HANDLING_ROLES);
    }
    if (application.finishedAt) throw new ApplicationStateError({ applicationId, message: `application ${applicationId} is finished` });
    const plan = await this.#planner.plan(application);
    const asked: PlanLine[] = [];
    for (const kind of new Set(kinds)) {
      const line = uploadLine(application, plan, kind, departments);
      asked.push(line);
    }
    for (const line of asked) {
      const step = application.matters.find((m) => m.matter === line.matter)!;
      await this.#prisma.materialRequest.createMany({ data: [{ applicationId, kind: line.kind, matter: line.matter, departmentId: step.departmentId }], skipDuplicates: true });
    }
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.request-materials', targets: [applicationId, ...asked.map((l) => l.kind)], outcome: 'ok' });
    return (await this.#planner.plan(application)).filter((l) => asked.some((a) => a.kind === l.kind && a.matter === l.matter));
  }

  /**
   * Stores a material for an application: the applicant with their own sign-in, or the
   * window of a department working it (checked against the original there, so verified).
   * The plan must say "to be uploaded" for the kind.
   *
   * @throws {@link MaterialTooLargeError} over the configured size.
   * @throws {@link MaterialNotToBeUploadedError} | {@link ProofOutsideListError} as for {@link request}.
   */
  async upload(actor: Actor, input: UploadMaterialInput): Promise<PlannedMaterial> {
    if (input.bytes.length > this.#maxBytes) throw new MaterialTooLargeError(this.#maxBytes);
    const application = await this.#applications.load(input.applicationId);
    const byApplicant = isApplicantOf(actor, application);
    if (!byApplicant) {
      if (actor.kind !== 'department' || !departmentsOf(application).has(actor.departmentId)) {
        throw new ForbiddenError({ action: 'upload a material', reason: 'only the applicant or a department working the application may' });
      }
      requireDepartment(actor, actor.departmentId, 'upload a material', HANDLING_ROLES);
    }
    if (application.finishedAt) throw new ApplicationStateError({ applicationId: application.id, message: `application ${application.id} is finished` });
    const line = uploadLine(application, await this.#planner.plan(application), input.kind, []);
    const kind = (await this.#catalogue.get('material', input.kind)).content as MaterialKind;
    const verification = await this.#verify(actor, input.bytes);
    const givenAt = new Date();
    const row = await this.#prisma.material.create({
      data: {
        holderCodeType: application.applicant.codeType,
        holderCode: application.applicant.code,
        kind: input.kind,
        applicationId: application.id,
        matter: line.matter,
        fileName: input.fileName.slice(0, 200),
        mediaType: input.mediaType.slice(0, 100) || 'application/octet-stream',
        content: new Uint8Array(input.bytes),
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        size: input.bytes.length,
        givenBy: byApplicant ? 'applicant' : `department:${(actor as { departmentId: string }).departmentId}`,
        verified: !byApplicant || verification?.passed === true,
        ...(verification ? { verification: verification.summary as Prisma.InputJsonValue } : {}),
        givenAt,
        expiresAt: kind.reusableForDays ? new Date(givenAt.getTime() + kind.reusableForDays * 86_400_000) : null,
      },
      select: { id: true, kind: true, sha256: true, givenAt: true, expiresAt: true, applicationId: true, matter: true, verified: true },
    });
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.upload-material', targets: [application.id, row.id, input.kind], outcome: 'ok' });
    return row;
  }

  /** A signed PDF's verification summary; undefined for anything else. */
  async #verify(actor: Actor, bytes: Uint8Array): Promise<{ passed: boolean; summary: Record<string, unknown> } | undefined> {
    const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
    if (!head.startsWith('%PDF-') || !Buffer.from(bytes).includes('/ByteRange')) return undefined;
    const { report } = await this.#verification.verify(actor, bytes);
    const d = report.document;
    return {
      passed: d.verdict === 'VALID' && d.signatureCount > 0,
      summary: { indication: d.indication, subIndication: d.subIndication, verdict: d.verdict, signatureCount: d.signatureCount, validationTime: report.validationTime },
    };
  }
}

/**
 * The plan line that lets a department ask for (or the applicant upload) `kind`: the first
 * UPLOAD line of it, in a matter of `departments` when given.
 * @throws {@link MaterialNotToBeUploadedError} | {@link ProofOutsideListError}
 */
function uploadLine(application: Application, plan: readonly PlanLine[], kind: string, departments: readonly string[]): PlanLine {
  const lines = plan.filter((l) => l.kind === kind);
  const department = (l: PlanLine) => application.matters.find((m) => m.matter === l.matter)!.departmentId;
  const open = (l: PlanLine) => application.matters.find((m) => m.matter === l.matter)!.finishedAt === null;
  const upload = lines.find((l) => l.resolution === 'UPLOAD' && open(l) && (departments.length === 0 || departments.includes(department(l)) || departments.includes(application.departmentId)));
  if (upload) return upload;
  const unlisted = lines.find((l) => l.proof && l.resolution === 'NOT_REQUIRED');
  if (unlisted) throw new ProofOutsideListError({ matter: unlisted.matter, proof: unlisted.proof!, departmentId: department(unlisted) });
  const other = lines[0];
  if (!other) {
    throw new MaterialNotToBeUploadedError({ applicationId: application.id, kind, resolution: 'NOT_LISTED', detail: 'no matter of this application lists it' });
  }
  const source = other.licence?.identifier ?? other.material?.id ?? other.ledger?.transactionId ?? other.producedBy;
  return raise(application, other, source);
}

function raise(application: Application, line: PlanLine, source: string | undefined): never {
  throw new MaterialNotToBeUploadedError({
    applicationId: application.id,
    kind: line.kind,
    resolution: line.resolution,
    ...(source ? { source } : {}),
    detail: line.resolution === 'UPLOAD' ? `it is asked for by another department's matter ${line.matter}` : `${line.resolution}${source ? ` from ${source}` : ''}: ${line.detail}`,
  });
}
