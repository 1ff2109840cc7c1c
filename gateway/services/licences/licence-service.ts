import { InvalidInputError, NotFoundError, ForbiddenError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import {
  checkFaceData,
  isIsoDate,
  isoDateOf,
  newLicenceMetadata,
  type LicenceMetadata,
  type LicenceType,
  type TimestampAuthority,
} from '../../../signer/index.ts';
import { publicRoute } from '../../runtime/config.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { ChangeFeed } from '../../runtime/change-feed.ts';
import { ReadCache } from '../../runtime/read-cache.ts';
import { requireApplicant, requireDepartment, requireHolderOrDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import { LicenceStateError, NoSm2SealError } from '../errors.ts';
import type { LicenceTypeService } from '../departments/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import type { PkiService } from '../pki/index.ts';
import type { SealService } from '../seals/index.ts';
import { metrics } from '../../runtime/metrics.ts';
import { isPageToken, maskHolder, newPageToken } from './public-view.ts';
import { signLicence } from './sign-licence.ts';
import { ofdSealSigners } from './ofd-seals.ts';
import { sealLicenceOfd } from './seal-licence-ofd.ts';
import { LicenceChanges } from './licence-changes.ts';
import { documentEvidenceIdOf, evidenceIdOf } from './licence-evidence.ts';
import { isOverdue, LicenceRenewals, toRenewal, type Renewal } from './licence-renewals.ts';
import { storeVersion } from './licence-rows.ts';
import { printFileOf } from './print-file.ts';
import { SerialRegister, type SerialAllocation, type SerialVoid } from './serial-register.ts';

/** 证照状态 as the registry reports it; `expired` is derived from the validity period. */
export type LicenceStatus = 'valid' | 'suspended' | 'revoked' | 'superseded' | 'expired';

/** The file formats a licence is issued in: a PAdES-signed PDF, an SM2-sealed OFD (GB/T 33190, GB/T 38540), or both. */
export type LicenceFormat = 'pdf' | 'ofd' | 'both';
export const LICENCE_FORMATS: readonly LicenceFormat[] = ['pdf', 'ofd', 'both'];

/** One stored file of a licence and its SHA-256 (what the ledger anchors). */
export interface LicenceFile {
  readonly format: 'pdf' | 'ofd';
  readonly sha256: string;
  readonly size: number;
}

/** Another version of the same licence (变更), with its status page. */
export interface LicenceVersionLink {
  readonly identifier: string;
  readonly version: number;
  readonly statusUrl: string;
}

export interface IssueLicenceInput {
  /** Licence type code (证照类型代码) or name (证照名称). */
  readonly type: string;
  /** The issuing department (颁发机构). */
  readonly departmentId: string;
  /** 照面信息, keyed as in the type's schema. */
  readonly face: Readonly<Record<string, unknown>>;
  /** 证照编号; default: the serial. */
  readonly number?: string;
  /** 颁证日期 'YYYY-MM-DD'; default today in China Standard Time. */
  readonly issueDate?: string;
  /** 联办件: seals of other departments appended after the issuer's certification seal. */
  readonly jointSealIds?: readonly string[];
  /**
   * Places for joint seals that their departments apply after issuance (`seal apply --field
   * Seal<n>`): each gets an empty signature field in the certified revision, after those of
   * `jointSealIds`, so that filling it keeps the certification valid. @default 0
   */
  readonly reservedSeals?: number;
  /**
   * 'ofd' or 'both': the licence is also sealed as OFD with the department's active SM2
   * seal (and joint departments' SM2 seals, where they have one), sharing the PDF's
   * identifier, serial, face and dates. The registry keeps the PDF in every case (paper
   * print, changes and material reuse work on it); 'ofd' hands out only the OFD. @default 'pdf'
   */
  readonly format?: LicenceFormat;
}

export interface Licence {
  readonly id: string;
  /** 证照标识 (GB/T 36904). */
  readonly identifier: string;
  readonly typeCode: string;
  /** 证照名称. */
  readonly typeName: string;
  /** 证照编号. */
  readonly number: string;
  readonly version: number;
  /** 持证主体. */
  readonly holder: string;
  readonly holderCode: string;
  readonly holderCodeType: string;
  readonly departmentId: string;
  readonly issuedAt: Date;
  /** 有效期起始 / 截止 ('YYYY-MM-DD'; validUntil null = 长期). */
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: LicenceStatus;
  readonly statusReason: string | null;
  /** When the status last changed (revoked, superseded, suspended, resumed); null while as issued. */
  readonly statusChangedAt: Date | null;
  /** The version that superseded this one (变更), when it is superseded. */
  readonly supersededBy: LicenceVersionLink | null;
  /** The version this one superseded, when it came from a change. */
  readonly supersedes: LicenceVersionLink | null;
  /** The latest renewal application (延续) and its decision, if any. */
  readonly renewal: Renewal | null;
  readonly documentSha256: string;
  readonly documentSize: number;
  /** SHA-256 and size of the sealed OFD, when the licence was issued as OFD too. */
  readonly ofdSha256: string | null;
  readonly ofdSize: number | null;
  /** The formats stored: 'pdf', and 'ofd' when issued as OFD too. */
  readonly formats: readonly ('pdf' | 'ofd')[];
  /** The licence's public status page, as printed in its QR code. */
  readonly statusUrl: string;
  /** Ledger transaction that anchors the issued document, once the outbox worker anchored it. */
  readonly anchor: { readonly transactionId: string; readonly blockNumber: string | null } | null;
}

/** What anyone may see on a licence's status page: no face data, the holder masked. */
export interface PublicLicenceStatus {
  readonly identifier: string;
  readonly typeName: string;
  readonly holderMasked: string;
  readonly issuer: string;
  readonly issuedAt: Date;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: LicenceStatus;
  /** When the status last changed; null while as issued. */
  readonly statusChangedAt: Date | null;
  /** The version that superseded this one (变更): its status page is where to look now. */
  readonly supersededBy: LicenceVersionLink | null;
  /** The latest renewal (延续), without the refusal's reason: e.g. 视为准予延续 and its date. */
  readonly renewal: Omit<Renewal, 'reason'> | null;
  readonly documentSha256: string;
  /** Every stored format with its SHA-256, the PDF first. */
  readonly files: readonly LicenceFile[];
  readonly anchor: Licence['anchor'];
}

export interface LicenceServiceOptions {
  readonly prisma: PrismaClient;
  readonly types: LicenceTypeService;
  readonly seals: SealService;
  readonly pki: PkiService;
  readonly ledger: LedgerService;
  readonly publicUrl: URL;
  readonly log: Logger;
  /**
   * The database's change feed: with it, {@link LicenceService.get} serves registry entries
   * from memory until a change to them is committed (by any process). Without it, every
   * read goes to the database.
   */
  readonly feed?: ChangeFeed;
  /** Longest a cached registry entry is served, a bound besides the feed. @default 60000 */
  readonly readCacheTtlMs?: number;
}

const licenceInclude = {
  type: { select: { name: true } },
  department: { select: { uscc: true, name: true } },
  document: { select: { sha256: true, size: true, ofdSha256: true, ofdSize: true } },
  successor: { select: { identifier: true, version: true, pageToken: true } },
  supersedes: { select: { identifier: true, version: true, pageToken: true } },
  renewals: { orderBy: { appliedAt: 'desc' }, take: 1 },
} satisfies Prisma.LicenceInclude;
type LicenceRow = Prisma.LicenceGetPayload<{ include: typeof licenceInclude }>;
type Anchor = { transactionId: string | null; blockNumber: bigint | null } | null;
/** A registry entry as read: the row and its document's ledger anchor. */
interface RegistryEntry {
  readonly row: LicenceRow;
  readonly anchor: Anchor;
}

/** Who in a department may issue or revoke: a handler (窗口) may read but not decide. */
const ISSUING_ROLES: readonly DepartmentRole[] = ['issuer', 'admin'];

/** At most this many seal places kept for after issuance. */
const MAX_RESERVED_SEALS = 4;

/**
 * Issues and manages licences. Issuance checks everything it can, takes the serial from
 * the {@link SerialRegister} (a short transaction), renders and signs outside any
 * transaction ({@link signLicence}: with joint seals, every seal's empty field is in the
 * certified revision and each joint seal fills its own), then stores the licence row, its PDF, its ledger
 * outbox row and the serial's settlement in one transaction.
 */
export class LicenceService {
  readonly #prisma: PrismaClient;
  readonly #types: LicenceTypeService;
  readonly #seals: SealService;
  readonly #pki: PkiService;
  readonly #ledger: LedgerService;
  readonly #publicUrl: URL;
  readonly #log: Logger;
  readonly #serials: SerialRegister;
  // One long-lived TSA client: the signer sizes /Contents from its first token.
  readonly #tsa: TimestampAuthority;
  /** 变更, 暂扣 and 恢复 (each returns what to read back through {@link get}). */
  readonly changes: LicenceChanges;
  /** 延续: applications, decisions and deemed grants. */
  readonly renewals: LicenceRenewals;
  readonly #cache: ReadCache<RegistryEntry>;

  constructor(options: Readonly<LicenceServiceOptions>) {
    this.#cache = new ReadCache({ prefix: 'licence', feed: options.feed, ttlMs: options.readCacheTtlMs ?? 60_000 });
    const changed = (identifier: string): void => this.#cache.evict(identifier);
    this.#prisma = options.prisma;
    this.#types = options.types;
    this.#seals = options.seals;
    this.#pki = options.pki;
    this.#ledger = options.ledger;
    this.#publicUrl = options.publicUrl;
    this.#log = options.log;
    this.#serials = new SerialRegister({ prisma: options.prisma, log: options.log });
    this.#tsa = options.pki.timestampAuthority();
    this.changes = new LicenceChanges({ ...options, tsa: this.#tsa, statusUrl: (token) => this.statusUrl(token), changed });
    this.renewals = new LicenceRenewals({ ...options, changed });
  }

  /** The status page of the licence with this page token: the URL in its QR code. */
  statusUrl(pageToken: string): string {
    return publicRoute(this.#publicUrl, `licences/${encodeURIComponent(pageToken)}`);
  }

  /**
   * Issues a licence and returns it with its signed PDF. Everything that can be checked
   * is checked before anything is written: such a refusal stores nothing and consumes no
   * serial. A failure after the serial is allocated (a seal revoked meanwhile, a joint
   * seal that cannot sign, the store failing) stores no licence and enters the serial as
   * void (作废) with the failure's code and message; see {@link voids}.
   *
   * @throws `FaceDataError` (every face problem), `InvalidCodeError`, {@link NotFoundError}
   *   (type, department, seal), {@link ForbiddenError} (not this department's to issue),
   *   `SealUnusableError` / `CertificateRevokedError` (a seal that may not sign),
   *   {@link NoSm2SealError} (OFD asked of a department without an SM2 seal), `InvalidInputError`
   *   (field `format`). With `format` 'ofd' or 'both' the result also holds the sealed OFD.
   */
  async issue(actor: Actor, input: IssueLicenceInput): Promise<{ licence: Licence; pdf: Uint8Array; ofd?: Uint8Array }> {
    requireDepartment(actor, input.departmentId, 'issue a licence', ISSUING_ROLES);
    const format = input.format ?? 'pdf';
    if (!LICENCE_FORMATS.includes(format)) throw new InvalidInputError({ field: 'format', message: `format: one of ${LICENCE_FORMATS.join(', ')}, not '${String(format)}'` });
    const type = await this.#types.resolve(input.type);
    const department = await this.#prisma.department.findUnique({ where: { id: input.departmentId } });
    if (!department) throw new NotFoundError({ entity: 'department', id: input.departmentId });
    if (!(await this.#types.mayIssue(department.id, type.code))) {
      throw new ForbiddenError({ action: 'issue a licence', reason: `department ${department.id} does not issue ${type.name} (${type.code})` });
    }
    const issueDate = input.issueDate ?? isoDateOf(new Date());
    if (!isIsoDate(issueDate)) throw new InvalidInputError({ field: 'issueDate', message: `issueDate: '${issueDate}' is not a date YYYY-MM-DD` });
    checkFaceData(type, input.face, { at: new Date(`${issueDate}T23:59:59+08:00`) });

    const issuerSeal = await this.#seals.activeSealOf(department.id);
    if (!issuerSeal) throw new NotFoundError({ entity: 'active seal of department', id: department.id });
    const signers = [
      await this.#seals.signer(actor, issuerSeal.id),
      ...(await Promise.all((input.jointSealIds ?? []).map((id) => this.#seals.signer(actor, id)))),
    ];
    if (new Set(signers.map((s) => s.seal.departmentId)).size !== signers.length) {
      throw new InvalidInputError({ field: 'jointSealIds', message: 'jointSealIds: each joint seal must belong to another department' });
    }
    const reservedSeals = input.reservedSeals ?? 0;
    if (!Number.isInteger(reservedSeals) || reservedSeals < 0 || reservedSeals > MAX_RESERVED_SEALS) {
      throw new InvalidInputError({ field: 'reservedSeals', message: `reservedSeals: a whole number from 0 to ${MAX_RESERVED_SEALS}` });
    }
    const locations = await Promise.all(signers.map(async (s) => (await this.#prisma.department.findUniqueOrThrow({ where: { id: s.seal.departmentId } })).name));
    const ofdSeals = format === 'pdf' ? undefined : await ofdSealSigners(this.#seals, this.#log, actor, signers.map((s) => s.seal.departmentId));

    // The serial is taken in its own short transaction; rendering, signing (whose keys and
    // revocation source query the database) and gathering validation data run outside any
    // transaction, so no issuance holds the counter's lock or a pooled connection while it
    // waits for another. From here on a failure enters the serial as void with its reason.
    const allocation = await this.#serials.allocate({ typeCode: type.code, issuerCode: department.uscc }, (serial) =>
      newLicenceMetadata(type, {
        face: input.face,
        issuer: department.name,
        issuerCode: department.uscc,
        issueDate,
        serial,
        ...(input.number ? { number: input.number } : {}),
      }),
    );
    const metadata = allocation.made;
    const issuedAt = new Date();
    const pageToken = newPageToken();
    let licence: { identifier: string };
    let pdf: Uint8Array;
    let ofd: Uint8Array | undefined;
    try {
      pdf = await signLicence(type, metadata, {
        signers,
        locations,
        reservedSeals,
        statusUrl: this.statusUrl(pageToken),
        issuedAt,
        tsa: this.#tsa,
        revocation: this.#pki.revocationSource(),
      });
      if (ofdSeals) ofd = await sealLicenceOfd(type, metadata, { seals: ofdSeals, statusUrl: this.statusUrl(pageToken), issuedAt });
      licence = await this.#store(allocation, metadata, { pdf, ...(ofd ? { ofd } : {}), pageToken, departmentId: department.id, issuedAt });
    } catch (e) {
      await this.#serials.void(allocation, e);
      throw e;
    }
    this.#log.info('issued a licence', { identifier: licence.identifier, type: type.code, department: department.id, format });
    metrics().licencesIssued.inc();
    return { licence: await this.get(actor, licence.identifier), pdf, ...(ofd ? { ofd } : {}) };
  }

  /** One transaction, every query through it: the licence row, its PDF, its outbox row, and its serial settled. */
  async #store(
    allocation: SerialAllocation<unknown>,
    metadata: LicenceMetadata,
    p: { pdf: Uint8Array; ofd?: Uint8Array; pageToken: string; departmentId: string; issuedAt: Date },
  ): Promise<{ identifier: string }> {
    return this.#prisma.$transaction(
      async (tx) => {
        const row = await storeVersion(tx, this.#ledger, metadata, { ...p, serial: Number(allocation.serial), version: 1 });
        await this.#serials.settle(tx, allocation);
        return row;
      },
      { maxWait: 60_000, timeout: 60_000 },
    );
  }

  /**
   * A licence with its registry status. The issuing department, the operator and its
   * holder see it; another applicant is told it does not exist.
   * @throws {@link NotFoundError} | {@link ForbiddenError}
   */
  async get(actor: Actor, identifier: string): Promise<Licence> {
    // Kept only once anchored and with no renewal pending: neither changes by a write then.
    const { row, anchor } = await this.#cache.get(
      identifier,
      async () => {
        const row = await this.#row(identifier);
        return { row, anchor: await this.#anchorOf(row) };
      },
      (entry) => entry.anchor?.transactionId != null && entry.row.renewals[0]?.state !== 'pending',
    );
    requireHolderOrDepartment(actor, row, 'read a licence', () => new NotFoundError({ entity: 'licence', id: identifier }));
    return this.#licenceOf(row, anchor);
  }

  /** How often {@link get} was answered from memory (for tests and diagnostics; not on /metrics). */
  cacheStats(): ReturnType<ReadCache<RegistryEntry>['stats']> {
    return this.#cache.stats();
  }

  /** The signed-in applicant's own licences (一证通办), newest first. @throws {@link ForbiddenError} for any other actor */
  async listOwn(actor: Actor, page: { limit?: number; offset?: number } = {}): Promise<Licence[]> {
    const holder = requireApplicant(actor, 'list own licences');
    // Only the licences this list shows: the sweep settles the rest, not every reader.
    await this.renewals.settleDue(holder);
    const rows = await this.#prisma.licence.findMany({
      where: holder,
      include: licenceInclude,
      orderBy: { issuedAt: 'desc' },
      take: Math.min(Math.max(page.limit ?? 50, 1), 500),
      skip: Math.max(page.offset ?? 0, 0),
    });
    return Promise.all(rows.map((r) => this.#toLicence(r)));
  }

  /** A department's licences, newest first. */
  async listByDepartment(actor: Actor, departmentId: string, page: { limit?: number; offset?: number } = {}): Promise<Licence[]> {
    requireDepartment(actor, departmentId, 'list licences');
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
    await this.renewals.settleDue({ departmentId });
    const rows = await this.#prisma.licence.findMany({
      where: { departmentId },
      include: licenceInclude,
      orderBy: { issuedAt: 'desc' },
      take: limit,
      skip: Math.max(page.offset ?? 0, 0),
    });
    return Promise.all(rows.map((r) => this.#toLicence(r)));
  }

  /** The signed PDF, for its issuing department, the operator and its holder. */
  async document(actor: Actor, identifier: string): Promise<Uint8Array> {
    const row = await this.#row(identifier);
    requireHolderOrDepartment(actor, row, 'download a licence', () => new NotFoundError({ entity: 'licence', id: identifier }));
    const doc = await this.#prisma.licenceDocument.findUniqueOrThrow({ where: { licenceId: row.id }, select: { pdf: true } });
    return doc.pdf;
  }

  /**
   * The sealed OFD, for the same callers as {@link document}.
   * @throws {@link NotFoundError} also when the licence was not issued as OFD.
   */
  async ofdDocument(actor: Actor, identifier: string): Promise<Uint8Array> {
    const row = await this.#row(identifier);
    requireHolderOrDepartment(actor, row, 'download a licence', () => new NotFoundError({ entity: 'licence', id: identifier }));
    const doc = await this.#prisma.licenceDocument.findUniqueOrThrow({ where: { licenceId: row.id }, select: { ofd: true } });
    if (!doc.ofd) throw new NotFoundError({ entity: 'OFD of licence (issued as PDF only)', id: identifier });
    return doc.ofd;
  }

  /**
   * The print file for the paper licence (纸质证照): the identifier, number and face data
   * of the signed PDF laid out for the type's pre-printed form (see `renderPrintFile`). For
   * the issuing department's issuer or admin and the operator, while the licence is valid.
   * @throws {@link ForbiddenError}; {@link LicenceStateError} not valid (revoked, superseded, suspended, expired).
   */
  async printFile(actor: Actor, identifier: string): Promise<Uint8Array> {
    const row = await this.#row(identifier);
    requireDepartment(actor, row.departmentId, 'print a paper licence', ISSUING_ROLES);
    const licence = await this.#toLicence(row);
    if (licence.status !== 'valid') throw new LicenceStateError({ identifier, status: licence.status, message: `licence ${identifier} is ${licence.status}; only a valid licence is printed on paper` });
    const [type, doc] = await Promise.all([this.#types.resolve(row.typeCode), this.#prisma.licenceDocument.findUniqueOrThrow({ where: { licenceId: row.id } })]);
    return printFileOf(type, doc.pdf, { statusUrl: this.statusUrl(row.pageToken), issuedAt: row.issuedAt });
  }

  /** Whether {@link printFile} would serve this caller this licence now (so an API may offer the link). */
  mayPrint(actor: Actor, licence: Pick<Licence, 'departmentId' | 'status'>): boolean {
    if (licence.status !== 'valid') return false;
    try {
      requireDepartment(actor, licence.departmentId, 'print a paper licence', ISSUING_ROLES);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * What the public status page shows, by the page token of the licence's QR code; anyone
   * may ask. The identifier is not a key here: it is sequential, and a bare identifier,
   * existing or not, gets the same {@link NotFoundError}.
   * @throws {@link NotFoundError}
   */
  async publicStatus(pageToken: string): Promise<PublicLicenceStatus> {
    const found = isPageToken(pageToken) ? await this.#prisma.licence.findUnique({ where: { pageToken }, include: licenceInclude }) : null;
    if (!found) throw new NotFoundError({ entity: 'licence status page', id: 'open the link in the licence\'s QR code' });
    return this.#toPublic(await this.#settled(found));
  }

  /** The registry entry of the licence whose signed PDF or sealed OFD has this SHA-256, if it is one of ours. */
  async findByDocumentHash(sha256: string): Promise<PublicLicenceStatus | undefined> {
    const doc = await this.#prisma.licenceDocument.findFirst({ where: { OR: [{ sha256 }, { ofdSha256: sha256 }] }, select: { licence: { include: licenceInclude } } });
    return doc ? this.#toPublic(await this.#settled(doc.licence)) : undefined;
  }

  /**
   * Serials consumed without a licence (作废), newest first, for the operator and auditors;
   * a department sees those of its own issuing code.
   */
  async voids(actor: Actor, filter: { typeCode?: string; departmentId?: string; limit?: number } = {}): Promise<SerialVoid[]> {
    let issuerCode: string | undefined;
    if (filter.departmentId || actor.kind !== 'operator') {
      const departmentId = filter.departmentId ?? (actor.kind === 'department' ? actor.departmentId : '');
      requireDepartment(actor, departmentId, 'list void serials');
      const department = await this.#prisma.department.findUnique({ where: { id: departmentId } });
      if (!department) throw new NotFoundError({ entity: 'department', id: departmentId });
      issuerCode = department.uscc;
    }
    return this.#serials.voids({ ...(filter.typeCode ? { typeCode: filter.typeCode } : {}), ...(issuerCode ? { issuerCode } : {}), ...(filter.limit ? { limit: filter.limit } : {}) });
  }

  /**
   * Revokes a licence (注销/吊销): its status page says so at once, and the revocation is
   * queued for the ledger in the same transaction.
   * @throws {@link LicenceStateError} not valid any more; {@link ForbiddenError}
   */
  async revoke(actor: Actor, identifier: string, reason: string): Promise<Licence> {
    const row = await this.#row(identifier);
    requireDepartment(actor, row.departmentId, 'revoke a licence', ISSUING_ROLES);
    if (!reason.trim() || reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: 1-200 characters' });
    const at = new Date();
    await this.#prisma.$transaction(async (tx) => {
      const { count } = await tx.licence.updateMany({
        where: { id: row.id, status: { in: ['valid', 'suspended'] } },
        data: { status: 'revoked', statusReason: reason, statusChangedAt: at },
      });
      if (count !== 1) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; only a valid or suspended licence can be revoked` });
      await this.#ledger.enqueue(tx, {
        type: 'licence.revoked',
        evidenceId: evidenceIdOf(identifier, 'revoked'),
        identifier,
        typeCode: row.typeCode,
        issuerCode: row.department.uscc,
        version: row.version,
        at: at.toISOString(),
      });
    });
    this.#cache.evict(identifier);
    this.#log.info('revoked a licence', { identifier });
    return this.get(actor, identifier);
  }

  async #row(identifier: string): Promise<LicenceRow> {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, include: licenceInclude });
    if (!row) throw new NotFoundError({ entity: 'licence', id: identifier });
    return this.#settled(row);
  }

  /** The row with its renewal settled when the issuer's time limit has run out (视为准予延续 is decided on read). */
  async #settled(row: LicenceRow): Promise<LicenceRow> {
    if (!isOverdue(row.renewals[0])) return row;
    await this.renewals.settleDue(row.id);
    return this.#prisma.licence.findUniqueOrThrow({ where: { id: row.id }, include: licenceInclude });
  }

  async #toLicence(row: LicenceRow): Promise<Licence> {
    return this.#licenceOf(row, await this.#anchorOf(row));
  }

  #anchorOf(row: LicenceRow): Promise<Anchor> {
    return this.#prisma.outbox.findUnique({
      where: { evidenceId: documentEvidenceIdOf(row.identifier, row.version) },
      select: { transactionId: true, blockNumber: true },
    });
  }

  /** Expiry is judged at each call, so a cached row turns `expired` on time. */
  #licenceOf(row: LicenceRow, anchor: Anchor): Licence {
    const validUntil = row.validUntil ? isoDateOf(row.validUntil) : null;
    const expired = row.status === 'valid' && row.validUntil !== null && row.validUntil.getTime() + 86_400_000 <= Date.now();
    return {
      id: row.id,
      identifier: row.identifier,
      typeCode: row.typeCode,
      typeName: row.type.name,
      number: row.number,
      version: row.version,
      holder: row.holderName,
      holderCode: row.holderCode,
      holderCodeType: row.holderCodeType,
      departmentId: row.departmentId,
      issuedAt: row.issuedAt,
      validFrom: isoDateOf(row.validFrom),
      validUntil,
      status: expired ? 'expired' : (row.status as LicenceStatus),
      statusReason: row.statusReason,
      statusChangedAt: row.statusChangedAt,
      supersededBy: row.successor ? this.#link(row.successor) : null,
      supersedes: row.supersedes ? this.#link(row.supersedes) : null,
      renewal: row.renewals[0] ? toRenewal(row.renewals[0]) : null,
      documentSha256: row.document!.sha256,
      documentSize: row.document!.size,
      ofdSha256: row.document!.ofdSha256,
      ofdSize: row.document!.ofdSize,
      formats: row.document!.ofdSha256 ? ['pdf', 'ofd'] : ['pdf'],
      statusUrl: this.statusUrl(row.pageToken),
      anchor: anchor?.transactionId ? { transactionId: anchor.transactionId, blockNumber: anchor.blockNumber?.toString() ?? null } : null,
    };
  }

  async #toPublic(row: LicenceRow): Promise<PublicLicenceStatus> {
    const licence = await this.#toLicence(row);
    return {
      identifier: licence.identifier,
      typeName: licence.typeName,
      holderMasked: maskHolder(licence.holder, licence.holderCodeType),
      issuer: row.department.name,
      issuedAt: licence.issuedAt,
      validFrom: licence.validFrom,
      validUntil: licence.validUntil,
      status: licence.status,
      statusChangedAt: licence.statusChangedAt,
      supersededBy: licence.supersededBy,
      renewal: licence.renewal ? (({ reason: _reason, ...r }) => r)(licence.renewal) : null,
      documentSha256: licence.documentSha256,
      files: [
        { format: 'pdf', sha256: licence.documentSha256, size: licence.documentSize },
        ...(licence.ofdSha256 ? [{ format: 'ofd' as const, sha256: licence.ofdSha256, size: licence.ofdSize ?? 0 }] : []),
      ],
      anchor: licence.anchor,
    };
  }

  #link(v: { identifier: string; version: number; pageToken: string }): LicenceVersionLink {
    return { identifier: v.identifier, version: v.version, statusUrl: this.statusUrl(v.pageToken) };
  }
}
