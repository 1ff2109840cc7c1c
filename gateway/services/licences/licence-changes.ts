import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { isIsoDate, isoDateOf, newLicenceMetadata, parseIdentifier, type TimestampAuthority } from '../../../signer/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import type { LicenceTypeService } from '../departments/index.ts';
import { LicenceStateError } from '../errors.ts';
import type { LedgerService } from '../ledger/index.ts';
import type { PkiService } from '../pki/index.ts';
import type { SealService } from '../seals/index.ts';
import { evidenceIdOf } from './licence-evidence.ts';
import { storeVersion } from './licence-rows.ts';
import { ofdSealSigners } from './ofd-seals.ts';
import { newPageToken } from './public-view.ts';
import { sealLicenceOfd } from './seal-licence-ofd.ts';
import { signLicence } from './sign-licence.ts';

export interface ChangeLicenceInput {
  /** The whole new 照面信息, keyed as in the type's schema; the holder's code must stay the same. */
  readonly face: Readonly<Record<string, unknown>>;
  /** Why (变更事项), 1-200 characters; the old version's status reason. */
  readonly reason: string;
  /** 证照编号 of the new version; default: the old version's. */
  readonly number?: string;
  /** 颁证日期 of the new version, 'YYYY-MM-DD'; default today in China Standard Time. */
  readonly issueDate?: string;
}

export interface LicenceChangesOptions {
  readonly prisma: PrismaClient;
  readonly types: LicenceTypeService;
  readonly seals: SealService;
  readonly pki: PkiService;
  readonly ledger: LedgerService;
  readonly tsa: TimestampAuthority;
  /** The status page URL of a page token. */
  readonly statusUrl: (pageToken: string) => string;
  readonly log: Logger;
  /** Told, after commit, of each licence whose registry entry a call changed (the read cache drops it). */
  readonly changed?: (identifier: string) => void;
}

const ISSUING_ROLES: readonly DepartmentRole[] = ['issuer', 'admin'];
const DAY_MS = 86_400_000;
const MAX_VERSION = 999;

/**
 * State changes of an issued licence by its issuing department (its issuer or admin, or the
 * operator): 变更 (a new version supersedes it), 暂扣 (suspend) and 恢复 (resume). Each
 * writes its ledger evidence through the outbox in the same transaction as the change;
 * a refused call writes nothing.
 */
export class LicenceChanges {
  readonly #prisma: PrismaClient;
  readonly #types: LicenceTypeService;
  readonly #seals: SealService;
  readonly #pki: PkiService;
  readonly #ledger: LedgerService;
  readonly #tsa: TimestampAuthority;
  readonly #statusUrl: (pageToken: string) => string;
  readonly #log: Logger;
  readonly #changed: (identifier: string) => void;

  constructor(options: Readonly<LicenceChangesOptions>) {
    this.#changed = options.changed ?? (() => undefined);
    this.#prisma = options.prisma;
    this.#types = options.types;
    this.#seals = options.seals;
    this.#pki = options.pki;
    this.#ledger = options.ledger;
    this.#tsa = options.tsa;
    this.#statusUrl = options.statusUrl;
    this.#log = options.log;
  }

  /**
   * 变更: issues the next version of a valid licence with changed face data — same serial,
   * 版本号 one higher (so a new 证照标识 and check character, GB/T 36904), a new status page
   * and a newly signed PDF (the issuer's seal; joint seals of the first version are not
   * applied again) and, when the old version has an OFD, a newly sealed OFD too (the
   * issuer's SM2 seal, as issuance seals it), so the new version keeps the formats. The old version becomes `superseded` with `reason`, and its status page
   * points to the new one. The validity period stays, except where the type reads its end
   * from a face field. Stored with its `licence.changed` evidence in one transaction; a
   * pending renewal application moves to the new version.
   *
   * @returns the new version's identifier, its signed PDF and, if made, its sealed OFD.
   * @throws `ForbiddenError`; {@link LicenceStateError} not valid, expired or at version 999;
   *   `NoSm2SealError` the old version has an OFD and the department no active SM2 seal;
   *   `FaceDataError`; `InvalidInputError` (reason, issueDate, a different holder code);
   *   `NotFoundError` (licence, active seal).
   */
  async change(actor: Actor, identifier: string, input: Readonly<ChangeLicenceInput>): Promise<{ identifier: string; pdf: Uint8Array; ofd?: Uint8Array }> {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, include: { department: true, document: { select: { ofdSha256: true } } } });
    if (!row) throw new NotFoundError({ entity: 'licence', id: identifier });
    requireDepartment(actor, row.departmentId, 'change a licence', ISSUING_ROLES);
    checkReason(input.reason);
    if (row.status !== 'valid') throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; only a valid licence can be changed` });
    if (row.validUntil && row.validUntil.getTime() + DAY_MS <= Date.now()) {
      throw new LicenceStateError({ identifier, status: 'expired', message: `licence ${identifier} has expired; it can be renewed before expiry, not changed after` });
    }
    if (row.version >= MAX_VERSION) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is at version ${MAX_VERSION}, the last GB/T 36904 allows` });
    const type = await this.#types.resolve(row.typeCode);
    const department = row.department;
    if (!(await this.#types.mayIssue(department.id, type.code))) {
      throw new ForbiddenError({ action: 'change a licence', reason: `department ${department.id} no longer issues ${type.name} (${type.code})` });
    }
    const issueDate = input.issueDate ?? isoDateOf(new Date());
    if (!isIsoDate(issueDate)) throw new InvalidInputError({ field: 'issueDate', message: `issueDate: '${issueDate}' is not a date YYYY-MM-DD` });

    const made = newLicenceMetadata(type, {
      face: input.face,
      issuer: department.name,
      issuerCode: department.uscc,
      issueDate,
      serial: parseIdentifier(row.identifier).serial,
      version: String(row.version + 1).padStart(3, '0'),
      number: input.number ?? row.number,
    });
    if (made.holderCode !== row.holderCode || made.holderCodeType !== row.holderCodeType) {
      throw new InvalidInputError({ field: type.holder.codeField, message: `${type.holder.codeField}: a change keeps the holder; another holder needs a new licence` });
    }
    // A change does not move the validity period, unless the type reads its end from the face.
    const metadata = {
      ...made,
      validFrom: isoDateOf(row.validFrom),
      validUntil: type.validity.kind === 'untilField' ? made.validUntil : row.validUntil ? isoDateOf(row.validUntil) : null,
    };

    const seal = await this.#seals.activeSealOf(department.id);
    if (!seal) throw new NotFoundError({ entity: 'active seal of department', id: department.id });
    const signer = await this.#seals.signer(actor, seal.id);
    // The old version's formats carry over; its SM2 seal is checked before anything is signed or written.
    const ofdSeals = row.document?.ofdSha256 ? await ofdSealSigners(this.#seals, this.#log, actor, [department.id]) : undefined;
    const issuedAt = new Date();
    const pageToken = newPageToken();
    const pdf = await signLicence(type, metadata, {
      signers: [signer],
      locations: [department.name],
      reservedSeals: 0,
      statusUrl: this.#statusUrl(pageToken),
      issuedAt,
      tsa: this.#tsa,
      revocation: this.#pki.revocationSource(),
    });
    const ofd = ofdSeals ? await sealLicenceOfd(type, metadata, { seals: ofdSeals, statusUrl: this.#statusUrl(pageToken), issuedAt }) : undefined;
    await this.#prisma.$transaction(
      async (tx) => {
        const { count } = await tx.licence.updateMany({
          where: { id: row.id, status: 'valid' },
          data: { status: 'superseded', statusReason: input.reason, statusChangedAt: issuedAt },
        });
        if (count !== 1) throw new LicenceStateError({ identifier, status: 'changed', message: `licence ${identifier} was changed, revoked or suspended meanwhile` });
        const created = await storeVersion(tx, this.#ledger, metadata, {
          serial: row.serial,
          version: row.version + 1,
          departmentId: department.id,
          issuedAt,
          pageToken,
          pdf,
          ...(ofd ? { ofd } : {}),
          supersedesId: row.id,
        });
        await tx.licenceRenewal.updateMany({ where: { licenceId: row.id, state: 'pending' }, data: { licenceId: created.id } });
      },
      { maxWait: 60_000, timeout: 60_000 },
    );
    this.#changed(identifier);
    this.#log.info('changed a licence', { identifier, newIdentifier: metadata.identifier });
    return { identifier: metadata.identifier, pdf, ...(ofd ? { ofd } : {}) };
  }

  /**
   * 暂扣: a valid licence is suspended with `reason`; it verifies and shows as suspended
   * until {@link resume}. Evidence `licence.suspended`.
   * @throws `ForbiddenError`; {@link LicenceStateError} not valid; `InvalidInputError` reason.
   */
  async suspend(actor: Actor, identifier: string, reason: string): Promise<void> {
    await this.#move(actor, identifier, reason, { from: 'valid', to: 'suspended', event: 'suspended', action: 'suspend a licence' });
  }

  /**
   * 恢复: a suspended licence is valid again, with `reason`. Evidence `licence.resumed`.
   * @throws `ForbiddenError`; {@link LicenceStateError} not suspended; `InvalidInputError` reason.
   */
  async resume(actor: Actor, identifier: string, reason: string): Promise<void> {
    await this.#move(actor, identifier, reason, { from: 'suspended', to: 'valid', event: 'resumed', action: 'resume a licence' });
  }

  async #move(actor: Actor, identifier: string, reason: string, p: { from: string; to: string; event: 'suspended' | 'resumed'; action: string }): Promise<void> {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, include: { department: { select: { uscc: true } } } });
    if (!row) throw new NotFoundError({ entity: 'licence', id: identifier });
    requireDepartment(actor, row.departmentId, p.action, ISSUING_ROLES);
    checkReason(reason);
    const at = new Date();
    await this.#prisma.$transaction(async (tx) => {
      const { count } = await tx.licence.updateMany({ where: { id: row.id, status: p.from }, data: { status: p.to, statusReason: reason, statusChangedAt: at } });
      if (count !== 1) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; only a ${p.from} licence can be ${p.event}` });
      await this.#ledger.enqueue(tx, {
        type: `licence.${p.event}`,
        evidenceId: evidenceIdOf(identifier, p.event, at),
        identifier,
        typeCode: row.typeCode,
        issuerCode: row.department.uscc,
        version: row.version,
        holderHash: this.#ledger.holderHash(row.holderCodeType, row.holderCode),
        at: at.toISOString(),
      });
    });
    this.#changed(identifier);
    this.#log.info(`${p.event} a licence`, { identifier });
  }
}

function checkReason(reason: string): void {
  if (typeof reason !== 'string' || !reason.trim() || reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: 1-200 characters' });
}
