import { createHash } from 'node:crypto';
import { ForbiddenError, NotFoundError, isZhengyinError } from '../../../common/index.ts';
import { canonicalJson } from '../../../ledger/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { isoDateOf } from '../../../signer/index.ts';
import { requireDepartment, type Actor } from '../actor.ts';
import type { GrantService } from '../catalogue/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import type { AccessLog } from '../access-log/index.ts';
import { storedOriginal, type AnnotatedCopies, type CopyFormat } from '../copies/index.ts';
import { FormatUnavailableError } from '../errors.ts';
import { actorName, HANDLING_ROLES, type ApplicationService } from './application-service.ts';
import type { AuthorisationService } from './authorisation-service.ts';
import { AuthorisationRequiredError, UseCauseError } from './errors.ts';
import type { MaterialPlanner } from './material-planner.ts';
import { recordRelease, type ReleaseReceipt } from './release.ts';

export interface SharingServiceOptions {
  readonly prisma: PrismaClient;
  readonly applications: ApplicationService;
  readonly authorisations: AuthorisationService;
  readonly planner: MaterialPlanner;
  readonly grants: GrantService;
  readonly ledger: LedgerService;
  /** Makes annotated copies (加注件), signed by the installation's own certificate. */
  readonly copies: AnnotatedCopies;
  readonly accessLog: AccessLog;
}

export interface FetchLicenceInput {
  readonly applicationId: string;
  /** The matter of the application the fetch serves (事项编码). */
  readonly matter: string;
  /** 证照标识 of the licence, as the plan names it. */
  readonly identifier: string;
  /** 用证事由, 1-200 characters. */
  readonly useCause: string;
}

export interface FetchLicenceCopyInput extends FetchLicenceInput {
  /** The copy's format: 'ofd' for a licence issued as OFD too. @default 'pdf' */
  readonly format?: CopyFormat | undefined;
}

/** A released licence's content (照面信息) and what it was released for. */
export interface SharedLicence {
  readonly identifier: string;
  readonly typeCode: string;
  readonly typeName: string;
  readonly version: number;
  readonly holder: string;
  readonly holderCodeType: string;
  readonly holderCode: string;
  /** The issuing department: who the content comes from. */
  readonly issuer: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly face: Readonly<Record<string, unknown>>;
  /** Who received it, for which application and matter, why and until when (the 加注 of a shared copy). */
  readonly recipient: string;
  readonly applicationId: string;
  readonly matter: string;
  readonly useCause: string;
  readonly usableUntil: Date;
  readonly receipt: ReleaseReceipt;
}

/** A licence's annotated copy (加注件) as released: the file, its format and hash, and what it was released for. */
export interface SharedLicenceCopy {
  readonly identifier: string;
  readonly applicationId: string;
  readonly matter: string;
  readonly useCause: string;
  readonly recipient: string;
  readonly usableUntil: Date;
  readonly format: CopyFormat;
  /** The copy: a PAdES-signed PDF or an SM2-sealed OFD, as `format` says. */
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`, hex: the receipt's responseSha256. */
  readonly sha256: string;
  readonly receipt: ReleaseReceipt;
}

/** 用证事由 checked as every sharing query carries it: at most 200 characters, not blank. */
export function checkUseCause(useCause: string | undefined | null): string {
  const cause = (useCause ?? '').trim();
  if (!cause) throw new UseCauseError('useCause: every fetch states why (用证事由), 1-200 characters');
  if ([...cause].length > 200) throw new UseCauseError('useCause: at most 200 characters');
  return cause;
}

/**
 * Releases shared content to a handling department: only for a matter of an application
 * it works, only under the applicant's live authorisation, only a licence the plan names
 * and its grants let it receive, only with a use cause. Every release is written with a
 * receipt binding request and response; every refusal is counted (电子监察), releasing
 * nothing.
 */
export class SharingService {
  readonly #prisma: PrismaClient;
  readonly #applications: ApplicationService;
  readonly #authorisations: AuthorisationService;
  readonly #planner: MaterialPlanner;
  readonly #grants: GrantService;
  readonly #ledger: LedgerService;
  readonly #copies: AnnotatedCopies;
  readonly #accessLog: AccessLog;

  constructor(options: Readonly<SharingServiceOptions>) {
    this.#prisma = options.prisma;
    this.#applications = options.applications;
    this.#authorisations = options.authorisations;
    this.#planner = options.planner;
    this.#grants = options.grants;
    this.#ledger = options.ledger;
    this.#copies = options.copies;
    this.#accessLog = options.accessLog;
  }

  /**
   * A licence's face data, for one matter of one application.
   *
   * @throws {@link UseCauseError} missing or over 200 characters.
   * @throws `ForbiddenError` not a handler of the matter's department (another department's application).
   * @throws `NotFoundError` no such application, matter of it, or licence in its plan.
   * @throws {@link AuthorisationRequiredError} no live authorisation.
   * @throws `NotGrantedError` the department's grants do not name the licence type for the matter.
   */
  async fetchLicence(actor: Actor, input: FetchLicenceInput): Promise<SharedLicence> {
    return this.#refusalsCounted(actor, input, 'licence', () => this.#fetchLicence(actor, input));
  }

  /**
   * A licence's signed PDF, or its sealed OFD when asked and issued so, as an annotated
   * copy (加注件): the original's pages under a note naming the recipient, the application,
   * the use cause and until when, the original attached unchanged, signed by the platform
   * (not by the issuing department). Checked and logged as {@link fetchLicence}; the
   * receipt binds the request (with the format) to the copy's bytes.
   *
   * @throws as {@link fetchLicence}; `GlyphMissingError` for a use cause the font cannot print;
   *   {@link FormatUnavailableError} an OFD copy of a licence issued as PDF only (nothing written).
   */
  async fetchLicenceCopy(actor: Actor, input: FetchLicenceCopyInput): Promise<SharedLicenceCopy> {
    const format = input.format ?? 'pdf';
    return this.#refusalsCounted(actor, input, format === 'ofd' ? 'licence-copy-ofd' : 'licence-copy', async () => {
      const { application, step, authorisation, row, useCause, recipient } = await this.#check(actor, input);
      const original = await storedOriginal(this.#prisma, row, format);
      const department = await this.#prisma.department.findUniqueOrThrow({ where: { id: step.departmentId }, select: { name: true } });
      const copy = await this.#copies.annotatedCopy(original, { recipient: department.name, purpose: useCause, validUntil: authorisation.expiresAt, reference: application.id, issuedAt: new Date() });
      const request = { kind: 'licence-copy', format, applicationId: application.id, matter: step.matter, identifier: row.identifier, useCause, recipient, at: new Date().toISOString() };
      const copySha256 = createHash('sha256').update(copy.bytes).digest('hex');
      const resource = `${format === 'ofd' ? 'licence-copy-ofd' : 'licence-copy'}:${row.identifier}`;
      const receipt = await this.#release(row, { recipient, step, application, useCause, resource, requestSha256: sha256(request), responseSha256: copySha256 });
      return { identifier: row.identifier, applicationId: application.id, matter: step.matter, useCause, recipient, usableUntil: authorisation.expiresAt, format: copy.format, bytes: copy.bytes, sha256: copySha256, receipt };
    });
  }

  async #fetchLicence(actor: Actor, input: FetchLicenceInput): Promise<SharedLicence> {
    const { application, step, authorisation, row, useCause, recipient } = await this.#check(actor, input);
    const content = {
      identifier: row.identifier,
      typeCode: row.typeCode,
      typeName: row.type.name,
      version: row.version,
      holder: row.holderName,
      holderCodeType: row.holderCodeType,
      holderCode: row.holderCode,
      issuer: row.departmentId,
      validFrom: isoDateOf(row.validFrom),
      validUntil: row.validUntil ? isoDateOf(row.validUntil) : null,
      face: row.faceData as Record<string, unknown>,
      recipient,
      applicationId: application.id,
      matter: step.matter,
      useCause,
      usableUntil: authorisation.expiresAt,
    };
    const request = { kind: 'licence', applicationId: application.id, matter: step.matter, identifier: row.identifier, useCause, recipient, at: new Date().toISOString() };
    const receipt = await this.#release(row, {
      recipient,
      step,
      application,
      useCause,
      resource: `licence:${row.identifier}`,
      requestSha256: sha256(request),
      responseSha256: sha256({ ...content, usableUntil: content.usableUntil.toISOString() }),
    });
    return { ...content, receipt };
  }

  /** Application, matter, department, authorisation, grant, plan and use cause: everything a release needs, or the refusal. */
  async #check(actor: Actor, input: FetchLicenceInput) {
    if (actor.kind !== 'department') throw new ForbiddenError({ action: 'fetch shared content', reason: 'shared content goes to a handling department only' });
    const useCause = checkUseCause(input.useCause);
    const application = await this.#applications.load(input.applicationId);
    const step = application.matters.find((m) => m.matter === input.matter);
    if (!step) throw new NotFoundError({ entity: 'matter of application', id: `${input.applicationId}/${input.matter}` });
    requireDepartment(actor, step.departmentId, 'fetch shared content', HANDLING_ROLES);
    const authorisation = await this.#authorisations.requireLive(application.id);
    const row = await this.#prisma.licence.findUnique({ where: { identifier: input.identifier }, include: { type: { select: { name: true } } } });
    if (!row) throw new NotFoundError({ entity: 'licence', id: input.identifier });
    if (row.departmentId !== step.departmentId) await this.#grants.requireGrant(step.departmentId, 'licence-type', row.typeCode, step.matter);
    const plan = await this.#planner.plan(application);
    const line = plan.find((l) => l.matter === step.matter && l.licence?.identifier === row.identifier);
    if (!line) throw new NotFoundError({ entity: `licence in the material plan of matter ${step.matter}`, id: input.identifier });
    // The applicant agreed to what they were shown: a material the plan only later drew from someone else needs a new authorisation.
    if (!authorisation.scope.some((s) => s.matter === line.matter && s.kind === line.kind)) {
      throw new AuthorisationRequiredError({ applicationId: application.id, state: 'out-of-scope' });
    }
    return { application, step, authorisation, row, useCause, recipient: actorName(actor) };
  }

  async #release(
    row: { holderCodeType: string; holderCode: string },
    p: { recipient: string; step: { departmentId: string; matter: string }; application: { id: string }; useCause: string; resource: string; requestSha256: string; responseSha256: string },
  ): Promise<ReleaseReceipt> {
    return this.#prisma.$transaction((tx) =>
      recordRelease(tx, this.#accessLog, {
        subjectHash: this.#ledger.holderHash(row.holderCodeType, row.holderCode),
        departmentId: p.step.departmentId,
        matter: p.step.matter,
        applicationId: p.application.id,
        resource: p.resource,
        useCause: p.useCause,
        requestSha256: p.requestSha256,
        responseSha256: p.responseSha256,
      }),
    );
  }

  /** Runs a fetch; a refusal of a department is counted for supervision before it is thrown on. */
  async #refusalsCounted<T>(actor: Actor, input: FetchLicenceInput, kind: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      // A format the licence lacks is a mistaken request, not access refused: supervision does not count it.
      if (actor.kind === 'department' && isZhengyinError(e) && !(e instanceof FormatUnavailableError)) {
        await this.#prisma.shareAccess.create({
          data: {
            departmentId: actor.departmentId,
            matter: String(input.matter).slice(0, 100),
            applicationId: /^[0-9a-f-]{36}$/.test(input.applicationId) ? input.applicationId : null,
            resource: `${kind}:${String(input.identifier).slice(0, 100)}`,
            outcome: 'refused',
            code: e.code,
          },
        });
      }
      throw e;
    }
  }
}

const sha256 = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');
