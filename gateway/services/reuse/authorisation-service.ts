import { ForbiddenError, InvalidInputError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { requireDepartment, type Actor } from '../actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import type { UseCodeService } from '../use-codes/index.ts';
import { actorName, departmentsOf, HANDLING_ROLES, isApplicantOf, requireReader, type ApplicationService } from './application-service.ts';
import { AuthorisationRequiredError, UseCodeNotForApplicationError } from './errors.ts';
import { authorisationScope, type MaterialPlanner } from './material-planner.ts';
import type { Application, Authorisation, AuthorisationScopeLine } from './model.ts';

export interface AuthorisationServiceOptions {
  readonly prisma: PrismaClient;
  readonly applications: ApplicationService;
  readonly planner: MaterialPlanner;
  readonly catalogue: CatalogueService;
  readonly audit: AuditTrail;
  readonly useCodes: UseCodeService;
}

/** What the applicant is shown before authorising: every line to be fetched, and until when by default. */
export interface AuthorisationRequest {
  readonly application: Application;
  readonly scope: readonly AuthorisationScopeLine[];
  readonly defaultExpiresAt: Date;
}

/** An authorisation lasts at most this long. */
const MAX_DAYS = 90;
/** Past the promised time limit, a default authorisation lasts this many more days (补正, 容缺). */
const GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The applicant's authorisation of an application (授权): with their own sign-in they see
 * which materials will be fetched, from whom, for which matter and until when, and agree;
 * they may withdraw it at any time, and it ends by itself. Fetching anything shared needs
 * a live one ({@link requireLive}).
 */
export class AuthorisationService {
  readonly #prisma: PrismaClient;
  readonly #applications: ApplicationService;
  readonly #planner: MaterialPlanner;
  readonly #catalogue: CatalogueService;
  readonly #audit: AuditTrail;
  readonly #useCodes: UseCodeService;

  constructor(options: Readonly<AuthorisationServiceOptions>) {
    this.#prisma = options.prisma;
    this.#applications = options.applications;
    this.#planner = options.planner;
    this.#catalogue = options.catalogue;
    this.#audit = options.audit;
    this.#useCodes = options.useCodes;
  }

  /** What authorising would cover, for whoever may read the application. @throws `NotFoundError` */
  async request(actor: Actor, applicationId: string): Promise<AuthorisationRequest> {
    const application = await this.#applications.get(actor, applicationId);
    return { application, scope: await this.#scope(application), defaultExpiresAt: defaultExpiry(application, new Date()) };
  }

  /**
   * The applicant authorises the application as it stands now, until `expiresAt` (default:
   * the promised time limit plus 30 days; at most 90 days ahead). A new authorisation
   * replaces a live one.
   *
   * @throws `ForbiddenError` anyone but the application's applicant.
   * @throws `InvalidInputError` `expiresAt` not in the future or too far.
   */
  async authorise(actor: Actor, applicationId: string, options: { expiresAt?: Date } = {}): Promise<Authorisation> {
    const application = await this.#applications.get(actor, applicationId);
    if (!isApplicantOf(actor, application)) throw new ForbiddenError({ action: 'authorise an application', reason: 'only the applicant, signed in as themselves, may authorise it' });
    const now = new Date();
    const expiresAt = options.expiresAt ?? defaultExpiry(application, now);
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + MAX_DAYS * DAY_MS) {
      throw new InvalidInputError({ field: 'expiresAt', message: `expiresAt: after now and within ${MAX_DAYS} days` });
    }
    const scope = await this.#scope(application);
    const row = await this.#prisma.$transaction(async (tx) => {
      await tx.applicationAuthorisation.updateMany({ where: { applicationId, withdrawnAt: null }, data: { withdrawnAt: now } });
      return tx.applicationAuthorisation.create({ data: { applicationId, via: 'token', scope: scope as unknown as Prisma.InputJsonValue, grantedAt: now, expiresAt } });
    });
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.authorise', targets: [applicationId, row.id], outcome: 'ok' });
    return toAuthorisation(row, now);
  }

  /**
   * The window authorises the application with a use code (用证码) the applicant minted
   * and handed over, instead of signing in. The code stands for the applicant's consent to
   * one licence only, so the authorisation covers only the plan's lines that licence
   * satisfies, and ends when the code does (or at the default end, if sooner). Like a
   * signed-in authorisation it replaces a live one; the code itself is not used up.
   *
   * @throws `ForbiddenError` anyone but a handler or admin of a department working the application.
   * @throws `NotFoundError` no such application, or one the department does not work.
   * @throws `InvalidCodeError` | `UseCodeRefusedError` a mistyped, unknown, expired or withdrawn code.
   * @throws {@link UseCodeNotForApplicationError} a code another holder minted, or for a licence the plan does not share.
   */
  async authoriseWithUseCode(actor: Actor, applicationId: string, code: string): Promise<Authorisation> {
    const application = await this.#applications.get(actor, applicationId);
    if (actor.kind !== 'department' || !departmentsOf(application).has(actor.departmentId)) {
      throw new ForbiddenError({ action: 'authorise an application with a use code', reason: 'only the window of a department working the application presents a use code' });
    }
    requireDepartment(actor, actor.departmentId, 'authorise an application with a use code', HANDLING_ROLES);
    const useCode = await this.#useCodes.lookUp(code);
    if (useCode.holderCodeType !== application.applicant.codeType || useCode.holderCode !== application.applicant.code) {
      throw new UseCodeNotForApplicationError({ applicationId, reason: 'not-applicants' });
    }
    const scope = (await this.#scope(application)).filter((l) => l.resolution === 'SHARED_LICENCE' && l.source === useCode.identifier);
    if (scope.length === 0) throw new UseCodeNotForApplicationError({ applicationId, reason: 'not-in-plan' });
    const now = new Date();
    const expiresAt = new Date(Math.min(useCode.expiresAt.getTime(), defaultExpiry(application, now).getTime()));
    const row = await this.#prisma.$transaction(async (tx) => {
      await tx.applicationAuthorisation.updateMany({ where: { applicationId, withdrawnAt: null }, data: { withdrawnAt: now } });
      return tx.applicationAuthorisation.create({ data: { applicationId, via: 'use-code', scope: scope as unknown as Prisma.InputJsonValue, grantedAt: now, expiresAt } });
    });
    // Ids only: the code is the holder's secret.
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.authorise-use-code', targets: [applicationId, row.id, useCode.id], outcome: 'ok' });
    return toAuthorisation(row, now);
  }

  /** The applicant withdraws every live authorisation of the application. @throws `ForbiddenError` | `NotFoundError` */
  async withdraw(actor: Actor, applicationId: string): Promise<Authorisation | null> {
    const application = await this.#applications.get(actor, applicationId);
    if (!isApplicantOf(actor, application)) throw new ForbiddenError({ action: 'withdraw an authorisation', reason: 'only the applicant may withdraw it' });
    const now = new Date();
    await this.#prisma.applicationAuthorisation.updateMany({ where: { applicationId, withdrawnAt: null }, data: { withdrawnAt: now } });
    await this.#audit.record({ actorKind: actor.kind, actorName: actorName(actor), action: 'application.withdraw-authorisation', targets: [applicationId], outcome: 'ok' });
    return this.latest(actor, applicationId);
  }

  /** The newest authorisation of the application, live or not, for whoever may read it. */
  async latest(actor: Actor, applicationId: string): Promise<Authorisation | null> {
    requireReader(actor, await this.#applications.load(applicationId));
    const row = await this.#prisma.applicationAuthorisation.findFirst({ where: { applicationId }, orderBy: { grantedAt: 'desc' } });
    return row ? toAuthorisation(row, new Date()) : null;
  }

  /**
   * The live authorisation of the application.
   * @throws {@link AuthorisationRequiredError} none was given, the last was withdrawn, or it expired.
   */
  async requireLive(applicationId: string, now = new Date()): Promise<Authorisation> {
    const row = await this.#prisma.applicationAuthorisation.findFirst({ where: { applicationId }, orderBy: { grantedAt: 'desc' } });
    if (!row) throw new AuthorisationRequiredError({ applicationId, state: 'missing' });
    const a = toAuthorisation(row, now);
    if (a.state !== 'live') throw new AuthorisationRequiredError({ applicationId, state: a.state });
    return a;
  }

  async #scope(application: Application): Promise<AuthorisationScopeLine[]> {
    const plan = await this.#planner.plan(application);
    const names = new Map(await Promise.all(application.matters.map(async (m) => [m.matter, (await this.#catalogue.matter(m.matter, m.matterVersion)).content.name] as const)));
    return authorisationScope(application, plan, names);
  }
}

const defaultExpiry = (application: Application, now: Date): Date =>
  new Date(Math.min(Math.max(application.dueAt.getTime(), now.getTime()) + GRACE_DAYS * DAY_MS, now.getTime() + MAX_DAYS * DAY_MS));

function toAuthorisation(row: { id: string; applicationId: string; via: string; scope: unknown; grantedAt: Date; expiresAt: Date; withdrawnAt: Date | null }, now: Date): Authorisation {
  return {
    id: row.id,
    applicationId: row.applicationId,
    via: row.via as 'token' | 'use-code',
    scope: row.scope as AuthorisationScopeLine[],
    grantedAt: row.grantedAt,
    expiresAt: row.expiresAt,
    withdrawnAt: row.withdrawnAt,
    state: row.withdrawnAt ? 'withdrawn' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'live',
  };
}
