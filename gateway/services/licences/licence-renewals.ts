import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { addToDate, isIsoDate, isoDateOf } from '../../../signer/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import { isHolderOf, requireDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import type { LicenceTypeService } from '../departments/index.ts';
import { LicenceStateError, RenewalStateError } from '../errors.ts';
import type { LedgerService } from '../ledger/index.ts';
import { evidenceIdOf } from './licence-evidence.ts';
import { cstMidnight } from './licence-rows.ts';

/** 延续 application states: 'deemed' is 视为准予延续, granted because the issuer did not decide in time. */
export type RenewalState = 'pending' | 'granted' | 'refused' | 'deemed';

/** An application to renew a licence (延续) and where it stands. */
export interface Renewal {
  readonly state: RenewalState;
  readonly appliedAt: Date;
  /** 有效期截止 the holder asked for, 'YYYY-MM-DD'. */
  readonly requestedUntil: string;
  /** The end of the issuer's time limit: undecided by then, the renewal counts as granted. */
  readonly decideBy: Date;
  /** When it was granted or refused; for 'deemed', the moment the time limit ran out. */
  readonly decidedAt: Date | null;
  /** The new 有效期截止 once granted or deemed, 'YYYY-MM-DD'. */
  readonly grantedUntil: string | null;
  /** Why it was refused (for the holder and the department; not on the public page). */
  readonly reason: string | null;
}

/** Days the issuer has to decide when the licence type names none: 20, counted as calendar days (local rules say 20 working days, which is longer). */
export const DEFAULT_RENEWAL_DECISION_DAYS = 20;

/** How often the running service settles renewals whose time limit ran out (reads settle them too). */
export const RENEWAL_SWEEP_MS = 10 * 60_000;

const ISSUING_ROLES: readonly DepartmentRole[] = ['issuer', 'admin'];
const DAY_MS = 86_400_000;
/** Statuses in which a renewal still changes the licence: a revoked or superseded one keeps its application undecided. */
const RENEWABLE: readonly string[] = ['valid', 'suspended'];

type RenewalRow = Prisma.LicenceRenewalGetPayload<object>;

export const toRenewal = (r: RenewalRow): Renewal => ({
  state: r.state as RenewalState,
  appliedAt: r.appliedAt,
  requestedUntil: isoDateOf(r.requestedUntil),
  decideBy: r.decideBy,
  decidedAt: r.decidedAt,
  grantedUntil: r.grantedUntil ? isoDateOf(r.grantedUntil) : null,
  reason: r.reason,
});

/** Whether a pending application's time limit has run out, so that reading it must settle it first. */
export const isOverdue = (r: Pick<RenewalRow, 'state' | 'decideBy'> | undefined, now = new Date()): boolean =>
  r?.state === 'pending' && r.decideBy.getTime() <= now.getTime();

export interface LicenceRenewalsOptions {
  readonly prisma: PrismaClient;
  readonly types: LicenceTypeService;
  readonly ledger: LedgerService;
  readonly log: Logger;
  /** Told, after commit, of each licence whose registry entry a call changed (the read cache drops it). */
  readonly changed?: (identifier: string) => void;
}

/**
 * 延续 (renewal) of licences, after 行政许可法 §50: the holder applies before the licence
 * expires; the issuing department grants (a new 有效期截止) or refuses within the licence
 * type's time limit (`renewalDecisionDays`, default {@link DEFAULT_RENEWAL_DECISION_DAYS}
 * calendar days); an application still undecided then counts as granted (视为准予延续)
 * from the end of the limit, with the validity asked for. Grants, granted or deemed, move
 * the registry's 有效期截止 and go to the ledger as `licence.renewed` in the same transaction.
 * The signed PDF keeps the validity it was issued with; the registry, the status page and
 * every verification tell the renewed one.
 *
 * Deemed grants are settled lazily (the licence service settles a licence's overdue
 * application before it reads it) and by {@link startSweep} in the running service.
 */
export class LicenceRenewals {
  readonly #prisma: PrismaClient;
  readonly #types: LicenceTypeService;
  readonly #ledger: LedgerService;
  readonly #log: Logger;
  readonly #changed: (identifier: string) => void;
  #sweep: NodeJS.Timeout | undefined;

  constructor(options: Readonly<LicenceRenewalsOptions>) {
    this.#changed = options.changed ?? (() => undefined);
    this.#prisma = options.prisma;
    this.#types = options.types;
    this.#ledger = options.ledger;
    this.#log = options.log;
  }

  /**
   * The holder applies to renew their licence. Only its holder may, while it is valid and
   * before it expires; a licence without an end date (长期) needs none.
   *
   * @param input.validUntil - The 有效期截止 asked for; default for a fixed-term type: one
   *   more term after the current end. Required for other types.
   * @throws {@link NotFoundError} not the caller's licence (another applicant cannot probe);
   *   `ForbiddenError` not an applicant; {@link LicenceStateError} not valid, expired or
   *   long-term; {@link RenewalStateError} an application is pending; `InvalidInputError`.
   */
  async apply(actor: Actor, identifier: string, input: { validUntil?: string } = {}): Promise<Renewal> {
    const found = await this.#prisma.licence.findUnique({ where: { identifier } });
    if (!found || !isHolderOf(actor, found)) {
      if (!found || actor.kind === 'applicant') throw new NotFoundError({ entity: 'licence', id: identifier });
      throw new ForbiddenError({ action: 'apply to renew a licence', reason: 'only its holder may apply to renew a licence' });
    }
    // An earlier application may just have become a deemed grant, moving the end of validity.
    const row = (await this.settleDue(found.id)) > 0 ? await this.#prisma.licence.findUniqueOrThrow({ where: { id: found.id } }) : found;
    const now = new Date();
    if (row.status !== 'valid') throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; only a valid licence can be renewed` });
    if (!row.validUntil) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is valid long-term (长期) and needs no renewal` });
    if (row.validUntil.getTime() + DAY_MS <= now.getTime()) {
      throw new LicenceStateError({ identifier, status: 'expired', message: `licence ${identifier} expired on ${isoDateOf(row.validUntil)}; a renewal must be applied for before it expires` });
    }
    const pending = await this.#prisma.licenceRenewal.findFirst({ where: { licenceId: row.id, state: 'pending' } });
    if (pending) throw new RenewalStateError({ identifier, state: 'pending', message: `licence ${identifier} has a renewal application pending until ${pending.decideBy.toISOString()}` });

    const type = await this.#types.resolve(row.typeCode);
    const current = isoDateOf(row.validUntil);
    const requested = input.validUntil ?? (type.validity.kind === 'fixedTerm' ? addToDate(current, { years: type.validity.years, months: type.validity.months }) : undefined);
    if (requested === undefined) throw new InvalidInputError({ field: 'validUntil', message: `validUntil: ${type.name} has no fixed term; say until when it should be renewed` });
    checkNewEnd(requested, current);
    const days = type.renewalDecisionDays ?? DEFAULT_RENEWAL_DECISION_DAYS;
    try {
      const created = await this.#prisma.licenceRenewal.create({
        data: { licenceId: row.id, appliedAt: now, requestedUntil: cstMidnight(requested), previousUntil: row.validUntil, decideBy: new Date(now.getTime() + days * DAY_MS) },
      });
      this.#changed(identifier);
      this.#log.info('renewal applied for', { identifier, decideBy: created.decideBy.toISOString() });
      return toRenewal(created);
    } catch (e) {
      // The partial unique index: another application got in first.
      if ((e as { code?: string }).code === 'P2002') throw new RenewalStateError({ identifier, state: 'pending', message: `licence ${identifier} has a renewal application pending` });
      throw e;
    }
  }

  /**
   * The issuing department grants the pending renewal: the licence is valid until
   * `validUntil` (default: what the holder asked for). Refused once the time limit has run
   * out — the renewal then already counts as granted.
   * @throws `ForbiddenError`; {@link RenewalStateError} nothing pending (never applied, decided, deemed); {@link LicenceStateError}
   */
  async grant(actor: Actor, identifier: string, input: { validUntil?: string } = {}): Promise<Renewal> {
    const { row, pending } = await this.#pendingFor(actor, identifier, 'grant a renewal');
    const until = input.validUntil ?? isoDateOf(pending.requestedUntil);
    checkNewEnd(until, isoDateOf(pending.previousUntil));
    const at = new Date();
    const decided = await this.#prisma.$transaction(async (tx) => {
      const { count } = await tx.licenceRenewal.updateMany({
        where: { id: pending.id, state: 'pending', decideBy: { gt: at } },
        data: { state: 'granted', decidedAt: at, decidedBy: deciderOf(actor), grantedUntil: cstMidnight(until) },
      });
      if (count !== 1) throw new RenewalStateError({ identifier, state: 'decided', message: `the renewal of ${identifier} was decided meanwhile or its time limit ran out` });
      await this.#extend(tx, row, { until, at, decision: 'granted', appliedAt: pending.appliedAt });
      return tx.licenceRenewal.findUniqueOrThrow({ where: { id: pending.id } });
    });
    this.#changed(identifier);
    this.#log.info('renewal granted', { identifier, validUntil: until });
    return toRenewal(decided);
  }

  /**
   * The issuing department refuses the pending renewal; the licence keeps its validity.
   * @throws as {@link grant}; `InvalidInputError` reason not 1-200 characters.
   */
  async refuse(actor: Actor, identifier: string, reason: string): Promise<Renewal> {
    if (!reason.trim() || reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: 1-200 characters' });
    const { pending } = await this.#pendingFor(actor, identifier, 'refuse a renewal');
    const at = new Date();
    const { count } = await this.#prisma.licenceRenewal.updateMany({
      where: { id: pending.id, state: 'pending', decideBy: { gt: at } },
      data: { state: 'refused', decidedAt: at, decidedBy: deciderOf(actor), reason },
    });
    if (count !== 1) throw new RenewalStateError({ identifier, state: 'decided', message: `the renewal of ${identifier} was decided meanwhile or its time limit ran out` });
    this.#changed(identifier);
    this.#log.info('renewal refused', { identifier });
    return toRenewal(await this.#prisma.licenceRenewal.findUniqueOrThrow({ where: { id: pending.id } }));
  }

  /** A licence's applications, newest first: for its holder, its department and the operator (callers check). */
  async history(licenceId: string): Promise<Renewal[]> {
    const rows = await this.#prisma.licenceRenewal.findMany({ where: { licenceId }, orderBy: { appliedAt: 'desc' } });
    return rows.map(toRenewal);
  }

  /**
   * Settles every pending application whose time limit has run out (of one licence by id,
   * of the licences a filter names, or all): each counts as granted (视为准予延续) from the end of its limit, with the validity
   * asked for, recorded on the ledger. Idempotent and safe to run from several gateways.
   * @returns how many it settled.
   */
  async settleDue(scope?: string | Prisma.LicenceWhereInput): Promise<number> {
    const now = new Date();
    const licence: Prisma.LicenceWhereInput = { status: { in: [...RENEWABLE] }, ...(typeof scope === 'object' ? scope : {}) };
    const due = await this.#prisma.licenceRenewal.findMany({
      where: { state: 'pending', decideBy: { lte: now }, licence, ...(typeof scope === 'string' ? { licenceId: scope } : {}) },
      include: { licence: { include: { department: { select: { uscc: true } } } } },
      take: 500,
    });
    let settled = 0;
    for (const r of due) {
      const done = await this.#prisma.$transaction(async (tx) => {
        const { count } = await tx.licenceRenewal.updateMany({
          where: { id: r.id, state: 'pending' },
          data: { state: 'deemed', decidedAt: r.decideBy, decidedBy: 'deemed', grantedUntil: r.requestedUntil },
        });
        if (count !== 1) return false; // another reader or gateway settled it
        await this.#extend(tx, r.licence, { until: isoDateOf(r.requestedUntil), at: r.decideBy, decision: 'deemed', appliedAt: r.appliedAt });
        return true;
      });
      if (done) {
        settled++;
        this.#changed(r.licence.identifier);
        this.#log.info('renewal deemed granted (视为准予延续)', { identifier: r.licence.identifier, validUntil: isoDateOf(r.requestedUntil) });
      }
    }
    return settled;
  }

  /** Settles overdue applications every `intervalMs` until {@link stopSweep}; the timer does not keep the process alive. */
  startSweep(intervalMs = RENEWAL_SWEEP_MS): void {
    if (this.#sweep) return;
    this.#sweep = setInterval(() => {
      this.settleDue().catch((e: unknown) => this.#log.warn('renewal sweep failed; reads still settle', { error: (e as Error).message }));
    }, intervalMs);
    this.#sweep.unref();
  }

  stopSweep(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  /** The licence's new 有效期截止 and its `licence.renewed` evidence, inside `tx`. */
  async #extend(
    tx: Prisma.TransactionClient,
    row: { id: string; identifier: string; typeCode: string; version: number; holderCodeType: string; holderCode: string; department: { uscc: string } },
    p: { until: string; at: Date; decision: 'granted' | 'deemed'; appliedAt: Date },
  ): Promise<void> {
    const { count } = await tx.licence.updateMany({ where: { id: row.id, status: { in: [...RENEWABLE] } }, data: { validUntil: cstMidnight(p.until) } });
    if (count !== 1) throw new LicenceStateError({ identifier: row.identifier, status: 'changed', message: `licence ${row.identifier} was revoked or changed meanwhile` });
    await this.#ledger.enqueue(tx, {
      type: 'licence.renewed',
      evidenceId: evidenceIdOf(row.identifier, 'renewed', p.appliedAt),
      identifier: row.identifier,
      typeCode: row.typeCode,
      issuerCode: row.department.uscc,
      version: row.version,
      holderHash: this.#ledger.holderHash(row.holderCodeType, row.holderCode),
      validUntil: p.until,
      decision: p.decision,
      at: p.at.toISOString(),
    });
  }

  /** The licence and its pending application, for its issuing department's issuer or admin (or the operator), overdue ones settled first. */
  async #pendingFor(actor: Actor, identifier: string, action: string) {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, include: { department: { select: { uscc: true } } } });
    if (!row) throw new NotFoundError({ entity: 'licence', id: identifier });
    requireDepartment(actor, row.departmentId, action, ISSUING_ROLES);
    await this.settleDue(row.id);
    const latest = await this.#prisma.licenceRenewal.findFirst({ where: { licenceId: row.id }, orderBy: { appliedAt: 'desc' } });
    if (latest?.state !== 'pending') {
      throw new RenewalStateError({ identifier, state: latest?.state ?? 'none', message: latest ? `the renewal of ${identifier} is already ${latest.state}` : `no renewal of ${identifier} was applied for` });
    }
    if (!RENEWABLE.includes(row.status)) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; its renewal cannot be decided` });
    return { row, pending: latest };
  }
}

/** A renewal's new end: a date after the current end. @throws `InvalidInputError` field validUntil */
function checkNewEnd(until: string, current: string): void {
  if (!isIsoDate(until)) throw new InvalidInputError({ field: 'validUntil', message: `validUntil: '${until}' is not a date YYYY-MM-DD` });
  if (until <= current) throw new InvalidInputError({ field: 'validUntil', message: `validUntil: ${until} is not after the current end of validity ${current}` });
}

const deciderOf = (actor: Actor): string => (actor.kind === 'department' ? `department:${actor.departmentId}` : actor.kind);
