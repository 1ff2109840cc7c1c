import { ForbiddenError, InvalidInputError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import type { Actor } from '../actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import { actorName, isApplicantOf, requireReader, type ApplicationService } from './application-service.ts';
import { AuthorisationRequiredError } from './errors.ts';
import { authorisationScope, type MaterialPlanner } from './material-planner.ts';
import type { Application, Authorisation, AuthorisationScopeLine } from './model.ts';

export interface AuthorisationServiceOptions {
  readonly prisma: PrismaClient;
  readonly applications: ApplicationService;
  readonly planner: MaterialPlanner;
  readonly catalogue: CatalogueService;
  readonly audit: AuditTrail;
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

  constructor(options: Readonly<AuthorisationServiceOptions>) {
    this.#prisma = options.prisma;
    this.#applications = options.applications;
    this.#planner = options.planner;
    this.#catalogue = options.catalogue;
    this.#audit = options.audit;
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
