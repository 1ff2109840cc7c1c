import { createHash, createHmac, randomInt } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { checkNote, NOTE_LIMITS } from '../../../signer/index.ts';
import { HttpError } from '../../http/respond.ts';
import { RateLimiter, type RouteLimits } from '../../http/rate-limit.ts';
import { publicRoute } from '../../runtime/config.ts';
import type { Logger } from '../../runtime/logger.ts';
import { DAY } from '../../util.ts';
import { isHolderOf, requireApplicant, type Actor } from '../actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { storedOriginal, type AnnotatedCopies, type CopyFormat } from '../copies/index.ts';
import { LicenceStateError } from '../errors.ts';
import type { LicenceService, PublicLicenceStatus } from '../licences/index.ts';
import { CROCKFORD, displayUseCode, newUseCode, parseUseCode } from './code-format.ts';
import { UseCodeRateLimitedError, UseCodeRefusedError } from './errors.ts';

/** 'active' until it expires or its holder withdraws it. */
export type UseCodeState = 'active' | 'expired' | 'withdrawn';

/** A use code as its holder lists it: never the code itself, which is not stored. */
export interface UseCodeInfo {
  readonly id: string;
  /** 证照标识 of the licence it opens. */
  readonly identifier: string;
  /** The code's last four characters. */
  readonly hint: string;
  readonly purpose: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly withdrawnAt: Date | null;
  readonly state: UseCodeState;
  /** How many times it was presented. */
  readonly presentations: number;
}

/** A code just minted: the only time the code is seen. */
export interface MintedUseCode {
  readonly useCode: UseCodeInfo;
  /** `7K3M-9Q2X-W4HD`: to read out, type, or print. */
  readonly code: string;
  /** The code as a URL, for a QR code: `<public URL>/use-codes/<code>`. */
  readonly url: string;
}

/** One presentation, as the holder sees it: who said they received the copy, and why. */
export interface UseCodePresentationInfo {
  readonly id: string;
  readonly useCodeId: string;
  readonly at: Date;
  /** 接收方 as the presenter stated it. */
  readonly recipient: string;
  /** 用途 as the presenter stated it. */
  readonly purpose: string;
  /** Null when no copy was made (the licence was not valid at the time). */
  readonly copyValidUntil: Date | null;
  readonly copySha256: string | null;
  /** The copy's format; null when no copy was made. */
  readonly copyFormat: CopyFormat | null;
}

export interface MintUseCodeInput {
  /** 证照标识 of one of the holder's own licences. */
  readonly identifier: string;
  /** When the code stops working: in the future, at most {@link MAX_USE_CODE_DAYS} days ahead. */
  readonly expiresAt: Date;
  /** What the holder means it for (at most 200 characters), shown in their own list only. */
  readonly purpose?: string | undefined;
}

export interface PresentUseCodeInput {
  /** The code as typed or scanned; hyphens, spaces and case do not matter. */
  readonly code: string;
  /** 接收方: who receives the copy, 1-100 characters. */
  readonly recipient: string;
  /** 用途: for what, 1-200 characters. */
  readonly purpose: string;
  /** The copy's format: 'ofd' for a licence issued as OFD too. @default 'pdf' */
  readonly format?: CopyFormat | undefined;
}

/** A use code that is live now, as {@link UseCodeService.lookUp} finds it. */
export interface LiveUseCode {
  readonly id: string;
  /** 证照标识 of the licence it opens. */
  readonly identifier: string;
  /** Who minted it: the licence's holder. */
  readonly holderCodeType: string;
  readonly holderCode: string;
  readonly expiresAt: Date;
}

/** What a presenter gets: the licence's public status and, while the licence is valid, an annotated copy made for them. */
export interface UseCodePresentation {
  readonly status: PublicLicenceStatus;
  /** The presentation's id, which the copy's download link names; null when no copy was made (the licence is not valid). */
  readonly copyId: string | null;
  readonly copyValidUntil: Date | null;
  /** The copy's format; null when no copy was made. */
  readonly copyFormat: CopyFormat | null;
}

export interface UseCodeServiceOptions {
  readonly prisma: PrismaClient;
  readonly licences: LicenceService;
  readonly copies: AnnotatedCopies;
  readonly audit: AuditTrail;
  /** HMAC key for the stored codes, derived from the KEK: a copy of the database alone cannot test guesses. */
  readonly key: Uint8Array;
  readonly publicUrl: URL;
  readonly log: Logger;
  /** Presentations per client address, and copies made at once. @default 5 at once, then one every 6 s; 2 copies at a time */
  readonly presentLimits?: RouteLimits;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The longest a use code may live. */
export const MAX_USE_CODE_DAYS = 30;
const MAX_LIST = 100;
const DEFAULT_PRESENT_LIMITS: RouteLimits = { ratePerSecond: 1 / 6, burst: 5, concurrency: 2 };

/**
 * 用证码: a licence's holder mints a short code for one of their licences, valid for at
 * most {@link MAX_USE_CODE_DAYS} days; whoever presents it (a bank clerk, a landlord) sees
 * the licence's public status and receives an annotated copy (加注件) naming them and
 * their purpose. The holder lists and withdraws their codes and reads every presentation.
 *
 * Codes are stored only as an HMAC. Minting, withdrawing and each presentation are
 * written to the audit trail (ids only); a refused presentation (unknown, expired,
 * withdrawn, rate-limited) writes nothing.
 */
export class UseCodeService {
  readonly #prisma: PrismaClient;
  readonly #licences: LicenceService;
  readonly #copies: AnnotatedCopies;
  readonly #audit: AuditTrail;
  readonly #key: Buffer;
  readonly #publicUrl: URL;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #now: () => Date;

  constructor(options: Readonly<UseCodeServiceOptions>) {
    this.#prisma = options.prisma;
    this.#licences = options.licences;
    this.#copies = options.copies;
    this.#audit = options.audit;
    this.#key = Buffer.from(options.key);
    this.#publicUrl = options.publicUrl;
    this.#log = options.log;
    this.#limiter = new RateLimiter(options.presentLimits ?? DEFAULT_PRESENT_LIMITS);
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Mints a code for one of the signed-in applicant's own licences, valid now.
   * @throws {@link ForbiddenError} for anyone but an applicant; {@link NotFoundError} for a
   *   licence that is not theirs (the same answer as for none); {@link LicenceStateError}
   *   when the licence is not valid; `InvalidInputError` (`expiresAt`, `purpose`).
   */
  async mint(actor: Actor, input: MintUseCodeInput): Promise<MintedUseCode> {
    const holder = requireApplicant(actor, 'mint a use code');
    const now = this.#now();
    if (!(input.expiresAt instanceof Date) || !(input.expiresAt.getTime() > now.getTime() + 60_000) || input.expiresAt.getTime() > now.getTime() + MAX_USE_CODE_DAYS * DAY) {
      throw new InvalidInputError({ field: 'expiresAt', message: `expiresAt: from a minute to ${MAX_USE_CODE_DAYS} days from now` });
    }
    const purpose = input.purpose?.trim() || null;
    if (purpose !== null && [...purpose].length > NOTE_LIMITS.purpose) {
      throw new InvalidInputError({ field: 'purpose', message: `purpose: at most ${NOTE_LIMITS.purpose} characters` });
    }
    const licence = await this.#ownLicence(actor, input.identifier);
    const status = await this.#licences.publicStatus(licence.pageToken);
    if (status.status !== 'valid') {
      throw new LicenceStateError({ identifier: licence.identifier, status: status.status, message: `licence ${licence.identifier} is ${status.status}; a use code opens only a valid licence` });
    }
    const code = newUseCode();
    const row = await this.#prisma.useCode.create({
      data: {
        id: newId(),
        codeHmac: this.#hmac(code),
        hint: code.slice(-4),
        licenceId: licence.id,
        holderCodeType: holder.holderCodeType,
        holderCode: holder.holderCode,
        purpose,
        createdAt: now,
        expiresAt: input.expiresAt,
      },
    });
    await this.#record(actor, 'useCode.mint', [row.id, licence.identifier]);
    this.#log.info('minted a use code', { useCodeId: row.id, identifier: licence.identifier });
    return {
      useCode: this.#info(row, licence.identifier, 0),
      code: displayUseCode(code),
      url: publicRoute(this.#publicUrl, `use-codes/${displayUseCode(code)}`),
    };
  }

  /** The signed-in applicant's codes, newest first, for one licence or all. @throws {@link ForbiddenError} */
  async listOwn(actor: Actor, filter: { identifier?: string | undefined; limit?: number; offset?: number } = {}): Promise<UseCodeInfo[]> {
    const holder = requireApplicant(actor, 'list use codes');
    const rows = await this.#prisma.useCode.findMany({
      where: { ...holder, ...(filter.identifier ? { licenceId: (await this.#ownLicence(actor, filter.identifier)).id } : {}) },
      include: { _count: { select: { presentations: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: Math.min(Math.max(filter.limit ?? 50, 1), MAX_LIST),
      skip: Math.max(filter.offset ?? 0, 0),
    });
    const identifiers = await this.#identifiers(rows.map((r) => r.licenceId));
    return rows.map((r) => this.#info(r, identifiers.get(r.licenceId)!, r._count.presentations));
  }

  /**
   * Withdraws one of the applicant's codes: it opens nothing from now on. Withdrawing a
   * withdrawn or expired code changes nothing and returns it as it is.
   * @throws {@link ForbiddenError} | {@link NotFoundError} (not theirs, or none)
   */
  async withdraw(actor: Actor, id: string): Promise<UseCodeInfo> {
    const row = await this.#ownCode(actor, id);
    if (this.#state(row) === 'active') {
      await this.#prisma.useCode.updateMany({ where: { id, withdrawnAt: null }, data: { withdrawnAt: this.#now() } });
      await this.#record(actor, 'useCode.withdraw', [id]);
    }
    const fresh = await this.#ownCode(actor, id);
    const identifiers = await this.#identifiers([fresh.licenceId]);
    return this.#info(fresh, identifiers.get(fresh.licenceId)!, fresh._count.presentations);
  }

  /** Who presented one of the applicant's codes, newest first. @throws {@link ForbiddenError} | {@link NotFoundError} */
  async presentations(actor: Actor, useCodeId: string, page: { limit?: number; offset?: number } = {}): Promise<UseCodePresentationInfo[]> {
    await this.#ownCode(actor, useCodeId);
    const rows = await this.#prisma.useCodePresentation.findMany({
      where: { useCodeId },
      omit: { copy: true },
      orderBy: { id: 'desc' },
      take: Math.min(Math.max(page.limit ?? 50, 1), MAX_LIST),
      skip: Math.max(page.offset ?? 0, 0),
    });
    return rows.map((r) => ({ id: r.id.toString(), useCodeId: r.useCodeId, at: r.at, recipient: r.recipient, purpose: r.purpose, copyValidUntil: r.copyValidUntil, copySha256: r.copySha256, copyFormat: copyFormatOf(r.copyFormat) }));
  }

  /**
   * Presents a code: anyone may, within the rate for their address. Answers the licence's
   * public status (no face data, the holder masked) and, while the licence is valid, makes
   * an annotated copy naming the recipient and purpose, valid until the code expires (or
   * the licence does, if sooner), and records the presentation for the holder.
   * @param client - The presenter's address as {@link clientKey} gives it: the rate's key.
   * @throws {@link UseCodeRateLimitedError}; `InvalidCodeError` (a typo: wrong length or check
   *   character); {@link UseCodeRefusedError} (unknown, expired, withdrawn); `InvalidInputError`
   *   (`recipient`, `purpose`); `FormatUnavailableError` (an OFD copy of a licence issued as
   *   PDF only). None of them writes anything.
   */
  async present(input: PresentUseCodeInput, client: string): Promise<UseCodePresentation> {
    try {
      this.#limiter.take(client);
    } catch (e) {
      throw e instanceof HttpError ? new UseCodeRateLimitedError({ retryAfterSeconds: Number(e.headers['retry-after'] ?? 1) }) : e;
    }
    const code = parseUseCode(input.code);
    const recipient = String(input.recipient ?? '').trim();
    const purpose = String(input.purpose ?? '').trim();
    const now = this.#now();
    // The presenter's own input first, with stand-ins for what the code decides.
    checkNote({ recipient, purpose, validUntil: new Date(now.getTime() + DAY), reference: 'check', issuedAt: now });
    const row = await this.#prisma.useCode.findUnique({ where: { codeHmac: this.#hmac(code) } });
    if (!row) throw new UseCodeRefusedError({ code: 'USE_CODE_UNKNOWN', message: 'no such use code; ask the holder for a new one' });
    const state = this.#state(row);
    if (state === 'withdrawn') throw new UseCodeRefusedError({ code: 'USE_CODE_WITHDRAWN', message: 'the holder withdrew this use code' });
    if (state === 'expired') throw new UseCodeRefusedError({ code: 'USE_CODE_EXPIRED', message: `this use code expired at ${row.expiresAt.toISOString()}` });

    const licence = await this.#prisma.licence.findUniqueOrThrow({ where: { id: row.licenceId }, select: { id: true, identifier: true, pageToken: true } });
    const status = await this.#licences.publicStatus(licence.pageToken);
    let made: { id: bigint; copy: Uint8Array; format: CopyFormat; validUntil: Date } | undefined;
    if (status.status === 'valid') {
      const original = await storedOriginal(this.#prisma, licence, input.format ?? 'pdf');
      const validUntil = new Date(Math.min(row.expiresAt.getTime(), status.validUntil ? new Date(`${status.validUntil}T23:59:59+08:00`).getTime() : Infinity));
      // The copy prints the presentation's id, so the id is drawn before the row is written.
      const [{ id }] = (await this.#prisma.$queryRaw<{ id: bigint }[]>`SELECT nextval(pg_get_serial_sequence('use_code_presentation', 'id')) AS id`) as [{ id: bigint }];
      const copy = await this.#slot(() => this.#copies.annotatedCopy(original, { recipient, purpose, validUntil, reference: `${row.id}/${id}`, issuedAt: now }));
      made = { id, copy: copy.bytes, format: copy.format, validUntil };
    }
    const presentation = await this.#prisma.$transaction(async (tx) => {
      // The copy took a while: a withdrawal meanwhile wins. Locking the code's row makes a
      // concurrent withdraw wait for this transaction, so the holder's list is never behind.
      const [still] = await tx.$queryRaw<{ active: boolean }[]>`SELECT (withdrawn_at IS NULL) AS active FROM use_code WHERE id = ${row.id} FOR UPDATE`;
      if (!still?.active) throw new UseCodeRefusedError({ code: 'USE_CODE_WITHDRAWN', message: 'the holder withdrew this use code' });
      return tx.useCodePresentation.create({
        data: {
          ...(made ? { id: made.id, copyValidUntil: made.validUntil, copy: new Uint8Array(made.copy), copySha256: createHash('sha256').update(made.copy).digest('hex'), copyFormat: made.format } : {}),
          useCodeId: row.id,
          at: now,
          recipient,
          purpose,
        },
        select: { id: true },
      });
    });
    await this.#record({ kind: 'public' }, 'useCode.present', [row.id, licence.identifier, presentation.id.toString()]);
    this.#log.info('a use code was presented', { useCodeId: row.id, presentationId: presentation.id.toString(), copy: made?.format ?? null });
    return { status, copyId: made ? presentation.id.toString() : null, copyValidUntil: made?.validUntil ?? null, copyFormat: made?.format ?? null };
  }

  /**
   * The live use code a code opens, read only: for an application's authorisation, where
   * the caller (a window) then checks whose it is and what it opens. Writes nothing.
   * @throws `InvalidCodeError` (a typo); {@link UseCodeRefusedError} (unknown, expired, withdrawn).
   */
  async lookUp(code: string): Promise<LiveUseCode> {
    const row = await this.#prisma.useCode.findUnique({ where: { codeHmac: this.#hmac(parseUseCode(code)) } });
    if (!row) throw new UseCodeRefusedError({ code: 'USE_CODE_UNKNOWN', message: 'no such use code; ask the holder for a new one' });
    const state = this.#state(row);
    if (state === 'withdrawn') throw new UseCodeRefusedError({ code: 'USE_CODE_WITHDRAWN', message: 'the holder withdrew this use code' });
    if (state === 'expired') throw new UseCodeRefusedError({ code: 'USE_CODE_EXPIRED', message: `this use code expired at ${row.expiresAt.toISOString()}` });
    const licence = await this.#prisma.licence.findUniqueOrThrow({ where: { id: row.licenceId }, select: { identifier: true } });
    return { id: row.id, identifier: licence.identifier, holderCodeType: row.holderCodeType, holderCode: row.holderCode, expiresAt: row.expiresAt };
  }

  /** The annotated copy made at a presentation and its format, for its signed download link (which is the authorisation). */
  async copy(presentationId: string): Promise<{ readonly bytes: Uint8Array; readonly format: CopyFormat } | undefined> {
    if (!/^\d{1,18}$/.test(presentationId)) return undefined;
    const row = await this.#prisma.useCodePresentation.findUnique({ where: { id: BigInt(presentationId) }, select: { copy: true, copyFormat: true } });
    const format = copyFormatOf(row?.copyFormat ?? null);
    return row?.copy && format ? { bytes: row.copy, format } : undefined;
  }

  async #slot<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.#limiter.slot(work);
    } catch (e) {
      throw e instanceof HttpError && e.code === 'RATE_LIMITED' ? new UseCodeRateLimitedError({ retryAfterSeconds: 1 }) : e;
    }
  }

  /** The applicant's own licence by identifier; another's, or none, is not found. */
  async #ownLicence(actor: Actor, identifier: string) {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, select: { id: true, identifier: true, pageToken: true, departmentId: true, holderCodeType: true, holderCode: true } });
    if (!row || !isHolderOf(actor, row)) throw new NotFoundError({ entity: 'licence', id: identifier });
    return row;
  }

  async #ownCode(actor: Actor, id: string) {
    const holder = requireApplicant(actor, 'manage a use code');
    const row = await this.#prisma.useCode.findUnique({ where: { id }, include: { _count: { select: { presentations: true } } } });
    if (!row || row.holderCodeType !== holder.holderCodeType || row.holderCode !== holder.holderCode) throw new NotFoundError({ entity: 'use code', id });
    return row;
  }

  async #identifiers(licenceIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.#prisma.licence.findMany({ where: { id: { in: [...new Set(licenceIds)] } }, select: { id: true, identifier: true } });
    return new Map(rows.map((r) => [r.id, r.identifier]));
  }

  #state(row: { expiresAt: Date; withdrawnAt: Date | null }): UseCodeState {
    if (row.withdrawnAt) return 'withdrawn';
    return row.expiresAt.getTime() <= this.#now().getTime() ? 'expired' : 'active';
  }

  #info(
    row: { id: string; hint: string; purpose: string | null; createdAt: Date; expiresAt: Date; withdrawnAt: Date | null },
    identifier: string,
    presentations: number,
  ): UseCodeInfo {
    return { id: row.id, identifier, hint: row.hint, purpose: row.purpose, createdAt: row.createdAt, expiresAt: row.expiresAt, withdrawnAt: row.withdrawnAt, state: this.#state(row), presentations };
  }

  #hmac(code: string): string {
    return createHmac('sha256', this.#key).update(code).digest('hex');
  }

  /** Ids only: the holder's code is personal data and stays out of the audit trail. */
  async #record(actor: Actor, action: string, targets: readonly string[]): Promise<void> {
    await this.#audit.record({ actorKind: actor.kind, actorName: actor.kind, action, targets, outcome: 'ok' });
  }
}

/** The stored copy_format column, which a CHECK constraint keeps to these two. */
const copyFormatOf = (stored: string | null): CopyFormat | null => (stored === 'ofd' ? 'ofd' : stored === 'pdf' ? 'pdf' : null);

/** 'uc-' and 12 random Crockford Base32 characters. */
function newId(): string {
  let id = 'uc-';
  for (let i = 0; i < 12; i++) id += CROCKFORD[randomInt(CROCKFORD.length)]!.toLowerCase();
  return id;
}
