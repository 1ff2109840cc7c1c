import { createHash } from 'node:crypto';
import { InvalidInputError, NotFoundError, ForbiddenError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import {
  addDocumentTimestamp,
  addValidationData,
  applySeal,
  checkFaceData,
  isIsoDate,
  isoDateOf,
  newLicenceMetadata,
  renderLicence,
  type TimestampAuthority,
} from '../../../signer/index.ts';
import { publicRoute } from '../../runtime/config.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import { LicenceStateError } from '../errors.ts';
import type { LicenceTypeService } from '../departments/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import type { PkiService } from '../pki/index.ts';
import type { SealService } from '../seals/index.ts';

/** 证照状态 as the registry reports it; `expired` is derived from the validity period. */
export type LicenceStatus = 'valid' | 'revoked' | 'superseded' | 'expired';

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
  readonly documentSha256: string;
  readonly documentSize: number;
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
  readonly documentSha256: string;
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
}

const licenceInclude = {
  type: { select: { name: true } },
  department: { select: { uscc: true, name: true } },
  document: { select: { sha256: true, size: true } },
} satisfies Prisma.LicenceInclude;
type LicenceRow = Prisma.LicenceGetPayload<{ include: typeof licenceInclude }>;

/** Who in a department may issue or revoke: a handler (窗口) may read but not decide. */
const ISSUING_ROLES: readonly DepartmentRole[] = ['issuer', 'admin'];

/** At most this many seal places kept for after issuance. */
const MAX_RESERVED_SEALS = 4;

/**
 * Issues and manages licences. Issuance renders the PDF (with an empty signature field for
 * every seal when there are joint seals), applies the issuer's seal as a certification
 * signature (DocMDP P=2) with a signature time-stamp, any joint seals as approval
 * signatures into their own fields, then validation data (B-LT) and a document time-stamp (B-LTA);
 * the licence row, its PDF and its ledger outbox row are stored in one transaction.
 */
export class LicenceService {
  readonly #prisma: PrismaClient;
  readonly #types: LicenceTypeService;
  readonly #seals: SealService;
  readonly #pki: PkiService;
  readonly #ledger: LedgerService;
  readonly #publicUrl: URL;
  readonly #log: Logger;
  // One long-lived TSA client: the signer sizes /Contents from its first token.
  readonly #tsa: TimestampAuthority;

  constructor(options: Readonly<LicenceServiceOptions>) {
    this.#prisma = options.prisma;
    this.#types = options.types;
    this.#seals = options.seals;
    this.#pki = options.pki;
    this.#ledger = options.ledger;
    this.#publicUrl = options.publicUrl;
    this.#log = options.log;
    this.#tsa = options.pki.timestampAuthority();
  }

  statusUrl(identifier: string): string {
    return publicRoute(this.#publicUrl, `licences/${encodeURIComponent(identifier)}`);
  }

  /**
   * Issues a licence and returns it with its signed PDF. Everything is checked before
   * anything is written; on any failure nothing is stored and no serial is consumed.
   *
   * @throws `FaceDataError` (every face problem), `InvalidCodeError`, {@link NotFoundError}
   *   (type, department, seal), {@link ForbiddenError} (not this department's to issue),
   *   `SealUnusableError` / `CertificateRevokedError` (a seal that may not sign).
   */
  async issue(actor: Actor, input: IssueLicenceInput): Promise<{ licence: Licence; pdf: Uint8Array }> {
    requireDepartment(actor, input.departmentId, 'issue a licence', ISSUING_ROLES);
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

    // Serial, rendering, signing and storing share one transaction: the serial row stays
    // locked until the licence is stored, so serials have no gaps and a failure consumes none.
    const { licence, pdf } = await this.#prisma.$transaction(
      async (tx) => {
        const serial = await nextSerial(tx, type.code, department.uscc);
        const metadata = newLicenceMetadata(type, {
          face: input.face,
          issuer: department.name,
          issuerCode: department.uscc,
          issueDate,
          serial,
          ...(input.number ? { number: input.number } : {}),
        });
        const issuedAt = new Date();
        // With joint seals, the rendered PDF holds every seal's empty field: the issuer
        // certifies them all, and each joint seal fills its own (see renderLicence).
        const rendered = await renderLicence(type, metadata, {
          statusUrl: this.statusUrl(metadata.identifier),
          createdAt: issuedAt,
          jointSeals: signers.length - 1 + reservedSeals,
        });
        let pdf = rendered.pdf;
        const rect = rendered.sealRect;
        for (const [i, signer] of signers.entries()) {
          const field = rendered.sealFields[i];
          pdf = await applySeal(pdf, {
            identity: signer.identity,
            image: signer.picture,
            ...(field !== undefined ? { field } : { page: rect.pageIndex, x: rect.x, y: rect.y, width: rect.width }),
            tsa: this.#tsa,
            reason: i === 0 ? `颁发${type.name}` : '联合审批',
            location: locations[i]!,
            ...(i === 0 ? { certify: true } : {}),
          });
        }
        pdf = await addValidationData(pdf, { revocation: this.#pki.revocationSource() });
        pdf = await addDocumentTimestamp(pdf, { tsa: this.#tsa });
        const sha256 = createHash('sha256').update(pdf).digest('hex');
        const row = await tx.licence.create({
          data: {
            identifier: metadata.identifier,
            typeCode: type.code,
            number: metadata.number,
            serial: Number(serial),
            version: 1,
            holderName: metadata.holder,
            holderCode: metadata.holderCode,
            holderCodeType: metadata.holderCodeType,
            departmentId: department.id,
            issuedAt,
            validFrom: new Date(`${metadata.validFrom}T00:00:00+08:00`),
            validUntil: metadata.validUntil ? new Date(`${metadata.validUntil}T00:00:00+08:00`) : null,
            faceData: metadata.face as Prisma.InputJsonValue,
            document: { create: { pdf: new Uint8Array(pdf), sha256, size: pdf.length } },
          },
        });
        await this.#ledger.enqueue(tx, {
          type: 'licence.issued',
          evidenceId: evidenceIdOf(metadata.identifier, 'issued'),
          identifier: metadata.identifier,
          documentSha256: sha256,
          typeCode: metadata.typeCode,
          issuerCode: metadata.issuerCode,
          holderHash: this.#ledger.holderHash(metadata.holderCodeType, metadata.holderCode),
          version: 1,
          at: issuedAt.toISOString(),
        });
        return { licence: row, pdf };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    this.#log.info('issued a licence', { identifier: licence.identifier, type: type.code, department: department.id });
    return { licence: await this.get(actor, licence.identifier), pdf };
  }

  /**
   * A licence with its registry status. The issuing department and the operator see it.
   * @throws {@link NotFoundError} | {@link ForbiddenError}
   */
  async get(actor: Actor, identifier: string): Promise<Licence> {
    const row = await this.#row(identifier);
    requireDepartment(actor, row.departmentId, 'read a licence');
    return this.#toLicence(row);
  }

  /** A department's licences, newest first. */
  async listByDepartment(actor: Actor, departmentId: string, page: { limit?: number; offset?: number } = {}): Promise<Licence[]> {
    requireDepartment(actor, departmentId, 'list licences');
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
    const rows = await this.#prisma.licence.findMany({
      where: { departmentId },
      include: licenceInclude,
      orderBy: { issuedAt: 'desc' },
      take: limit,
      skip: Math.max(page.offset ?? 0, 0),
    });
    return Promise.all(rows.map((r) => this.#toLicence(r)));
  }

  /** The signed PDF. Only its issuing department and the operator get it here. */
  async document(actor: Actor, identifier: string): Promise<Uint8Array> {
    const row = await this.#row(identifier);
    requireDepartment(actor, row.departmentId, 'download a licence');
    const doc = await this.#prisma.licenceDocument.findUniqueOrThrow({ where: { licenceId: row.id } });
    return doc.pdf;
  }

  /** What the public status page shows; anyone may ask. @throws {@link NotFoundError} */
  async publicStatus(identifier: string): Promise<PublicLicenceStatus> {
    const row = await this.#row(identifier);
    const licence = await this.#toLicence(row);
    return {
      identifier: licence.identifier,
      typeName: licence.typeName,
      holderMasked: maskName(licence.holder),
      issuer: row.department.name,
      issuedAt: licence.issuedAt,
      validFrom: licence.validFrom,
      validUntil: licence.validUntil,
      status: licence.status,
      documentSha256: licence.documentSha256,
      anchor: licence.anchor,
    };
  }

  /** The registry entry of the licence whose signed PDF has this SHA-256, if it is one of ours. */
  async findByDocumentHash(sha256: string): Promise<PublicLicenceStatus | undefined> {
    const doc = await this.#prisma.licenceDocument.findUnique({ where: { sha256 }, select: { licence: { select: { identifier: true } } } });
    return doc ? this.publicStatus(doc.licence.identifier) : undefined;
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
        where: { id: row.id, status: 'valid' },
        data: { status: 'revoked', statusReason: reason, statusChangedAt: at },
      });
      if (count !== 1) throw new LicenceStateError({ identifier, status: row.status, message: `licence ${identifier} is ${row.status}; only a valid licence can be revoked` });
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
    this.#log.info('revoked a licence', { identifier });
    return this.get(actor, identifier);
  }

  async #row(identifier: string): Promise<LicenceRow> {
    const row = await this.#prisma.licence.findUnique({ where: { identifier }, include: licenceInclude });
    if (!row) throw new NotFoundError({ entity: 'licence', id: identifier });
    return row;
  }

  async #toLicence(row: LicenceRow): Promise<Licence> {
    const anchor = await this.#prisma.outbox.findUnique({
      where: { evidenceId: evidenceIdOf(row.identifier, 'issued') },
      select: { transactionId: true, blockNumber: true },
    });
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
      documentSha256: row.document!.sha256,
      documentSize: row.document!.size,
      statusUrl: this.statusUrl(row.identifier),
      anchor: anchor?.transactionId ? { transactionId: anchor.transactionId, blockNumber: anchor.blockNumber?.toString() ?? null } : null,
    };
  }
}

/** The next 流水号 for a type and issuer, 7 digits; locks the counter row until the transaction ends. */
async function nextSerial(tx: Prisma.TransactionClient, typeCode: string, issuerCode: string): Promise<string> {
  const rows = await tx.$queryRaw<{ serial: number }[]>`
    INSERT INTO licence_serial (type_code, issuer_code, next) VALUES (${typeCode}, ${issuerCode}, 2)
    ON CONFLICT (type_code, issuer_code) DO UPDATE SET next = licence_serial.next + 1
    RETURNING next - 1 AS serial`;
  return String(rows[0]!.serial).padStart(7, '0');
}

/** The ledger's idempotency key for a licence event. */
const evidenceIdOf = (identifier: string, event: 'issued' | 'revoked'): string => `licence:${identifier}:${event}`;

/** 林美华 → 林*华, 陈明 → 陈*, an organisation keeps its name (it is public in the business register). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length > 6) return name;
  if (chars.length <= 2) return chars[0] + '*';
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
