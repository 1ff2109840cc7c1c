import { NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import {
  crlReasonCode,
  crlReasonName,
  issueCertificate,
  parseCertificate,
  type CertificateInfo,
  type CertificateProfile,
  type CrlReason,
  type DistinguishedName,
  type KeyAlgorithm,
  type KeyStore,
  type OcspCertStatus,
} from '../../../signer/index.ts';
import type { Database } from '../../runtime/database.ts';
import { bytes } from '../../util.ts';
import { CERTIFICATE_COLUMNS, toCertificateRecord as toRecord, type CertificateRecord, type CertificateRole, type CertificateRow } from './certificate-record.ts';
import { CA_ROLES, validity } from './policy.ts';
import { REVOCATION_CHANNEL } from './revocation-watch.ts';
import type { pkiUrls } from './urls.ts';

/** A CA of the service: its row and its parsed certificate. */
export interface Ca {
  readonly record: CertificateRecord;
  readonly info: CertificateInfo;
}

/**
 * The `certificate` table as the PKI service uses it: issuing (key + certificate + row),
 * finding the current certificate of a role, the CAs (cached: their rows change only by
 * revocation, which callers read fresh), chains and OCSP statuses.
 */
export class CertificateStore {
  readonly #db: Pick<Database, 'prisma' | 'pool'>;
  readonly #prisma: PrismaClient;
  readonly #keys: KeyStore;
  readonly #urls: ReturnType<typeof pkiUrls>;
  readonly #cas = new Map<string, Ca>();

  constructor(p: Readonly<{ db: Pick<Database, 'prisma' | 'pool'>; keys: KeyStore; urls: ReturnType<typeof pkiUrls> }>) {
    this.#db = p.db;
    this.#prisma = p.db.prisma;
    this.#keys = p.keys;
    this.#urls = p.urls;
  }

  /** @throws {@link NotFoundError} */
  async get(id: string): Promise<CertificateRecord> {
    const row = await this.#prisma.certificate.findUnique({ where: { id } });
    if (!row) throw new NotFoundError({ entity: 'certificate', id });
    return toRecord(row);
  }

  async findBySha256(sha256: string): Promise<CertificateRecord | undefined> {
    const row = await this.#prisma.certificate.findUnique({ where: { sha256 } });
    return row ? toRecord(row) : undefined;
  }

  /**
   * Generates a key, issues a certificate of `profile` for it (signed by `issuer`, or by
   * itself for a root) with the CRL, OCSP and caIssuers URLs of the issuer, and stores both.
   */
  async issue(p: {
    profile: CertificateProfile;
    role: CertificateRole;
    algorithm: KeyAlgorithm;
    subject: DistinguishedName;
    issuer?: Ca;
    lifetime?: number;
    notBefore?: Date;
    notAfter?: Date;
    departmentId?: string;
  }): Promise<CertificateRecord> {
    const notBefore = p.notBefore ?? new Date(Date.now() - validity.backdate);
    const notAfter = p.notAfter ?? new Date(notBefore.getTime() + p.lifetime!);
    const key = await this.#keys.generate(p.algorithm);
    const signer = await this.#keys.signingKey(p.issuer ? p.issuer.record.keyId! : key.id);
    const der = await issueCertificate({
      profile: p.profile,
      subject: p.subject,
      publicKey: key.publicKey,
      notBefore,
      notAfter,
      issuer: p.issuer ? { certificate: p.issuer.info, key: signer } : { key: signer },
      ...(p.issuer && p.profile !== 'ocsp-responder'
        ? { urls: { crl: this.#urls.crl(p.issuer.record.id), ocsp: this.#urls.ocsp, caIssuers: this.#urls.caCertificate(p.issuer.record.id) } }
        : {}),
    });
    return this.create(parseCertificate(der), { role: p.role, issuerId: p.issuer?.record.id, departmentId: p.departmentId, keyId: key.id });
  }

  async create(info: CertificateInfo, p: { role: CertificateRole; issuerId?: string | undefined; departmentId?: string | undefined; keyId?: string | undefined }): Promise<CertificateRecord> {
    const row = await this.#prisma.certificate.create({
      data: {
        role: p.role,
        serial: info.serial,
        issuerId: p.issuerId ?? null,
        subject: info.subject,
        departmentId: p.departmentId ?? null,
        keyId: p.keyId ?? null,
        der: bytes(info.der),
        sha256: info.sha256,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
      },
    });
    return toRecord(row);
  }

  /** Stores a certificate of an imported chain (no key), or finds it if already stored. */
  async storeForeign(der: Uint8Array, issuerId: string | undefined): Promise<CertificateRecord> {
    const info = parseCertificate(der);
    return (await this.findBySha256(info.sha256)) ?? this.create(info, { role: 'imported', issuerId });
  }

  /** The newest certificate of a role (with its key here) that is unrevoked and valid now, and for `validFor` ms more. */
  async active(where: { role: CertificateRole; departmentId?: string; issuerId?: string }, validFor = 0): Promise<CertificateRecord | undefined> {
    const row = await this.#prisma.certificate.findFirst({
      where: { ...where, revokedAt: null, keyId: { not: null }, notAfter: { gt: new Date(Date.now() + validFor) }, notBefore: { lte: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRecord(row) : undefined;
  }

  remember(record: CertificateRecord): Ca {
    const ca = { record, info: parseCertificate(record.der) };
    this.#cas.set(record.id, ca);
    return ca;
  }

  /** @throws {@link NotFoundError} No such CA (or the id names a certificate that is not a CA). */
  async ca(caId: string): Promise<Ca> {
    const cached = this.#cas.get(caId);
    if (cached) return cached;
    const row = await this.#prisma.certificate.findUnique({ where: { id: caId } });
    if (!row || !CA_ROLES.includes(row.role as CertificateRole)) throw new NotFoundError({ entity: 'certificate authority', id: caId });
    return this.remember(toRecord(row));
  }

  async isOwnCa(id: string): Promise<boolean> {
    if (this.#cas.has(id)) return true;
    const row = await this.#prisma.certificate.findUnique({ where: { id }, select: { role: true } });
    return row !== null && CA_ROLES.includes(row.role as CertificateRole);
  }

  async caIdOf(info: CertificateInfo): Promise<string> {
    for (const ca of this.#cas.values()) if (ca.info.sha256 === info.sha256) return ca.record.id;
    const row = await this.#prisma.certificate.findUnique({ where: { sha256: info.sha256 }, select: { id: true } });
    if (!row) throw new NotFoundError({ entity: 'certificate authority', id: info.subject });
    return row.id;
  }

  /** Every CA of the service (CAs made by another process appear on the next call). */
  async allCas(): Promise<Ca[]> {
    const rows = await this.#prisma.certificate.findMany({ where: { role: { in: [...CA_ROLES] } }, select: { id: true } });
    return Promise.all(rows.map((r) => this.ca(r.id)));
  }

  /** @throws {@link NotFoundError} */
  async department(id: string): Promise<{ id: string; name: string; uscc: string }> {
    const department = await this.#prisma.department.findUnique({ where: { id } });
    if (!department) throw new NotFoundError({ entity: 'department', id });
    return department;
  }

  /**
   * The certificate and its issuers up to the root (or the top of an imported chain), in
   * one round trip: Prisma cannot express the recursive query.
   */
  async path(certificateId: string): Promise<CertificateRecord[]> {
    const { rows } = await this.#db.pool.query<CertificateRow>(
      `WITH RECURSIVE path AS (
         SELECT c.*, 0 AS depth FROM certificate c WHERE c.id = $1
         UNION ALL
         SELECT c.*, path.depth + 1 FROM certificate c JOIN path ON c.id = path.issuer_id WHERE path.depth < 8
       )
       SELECT ${CERTIFICATE_COLUMNS} FROM path ORDER BY depth`,
      [certificateId],
    );
    return rows.map(toRecord);
  }

  async revokedAmong(ids: readonly string[]): Promise<CertificateRecord[]> {
    const { rows } = await this.#db.pool.query<CertificateRow>(`SELECT ${CERTIFICATE_COLUMNS} FROM certificate WHERE id = ANY($1) AND revoked_at IS NOT NULL`, [ids]);
    return rows.map(toRecord);
  }

  /** Records a revocation and NOTIFYs it in the same transaction: every process hears of it exactly when it commits. */
  async markRevoked(id: string, reason: CrlReason): Promise<void> {
    await this.#prisma.$transaction([
      this.#prisma.certificate.update({ where: { id }, data: { revokedAt: new Date(), revocationReason: crlReasonCode[reason] } }),
      this.#prisma.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${id})`,
    ]);
  }

  async revokedBy(caId: string): Promise<CertificateRecord[]> {
    return (await this.#prisma.certificate.findMany({ where: { issuerId: caId, revokedAt: { not: null } } })).map(toRecord);
  }

  /** OCSP status of the certificate `serial` issued by CA `caId`: unknown if the CA never issued it. */
  async status(caId: string, serial: string): Promise<OcspCertStatus> {
    return (await this.statuses(caId, [serial])).get(serial) ?? { status: 'unknown' };
  }

  /** The OCSP statuses of several serials of one CA in one query (an OCSP request carries up to 32); unknown serials are absent. */
  async statuses(caId: string, serials: readonly string[]): Promise<Map<string, OcspCertStatus>> {
    const rows = await this.#prisma.certificate.findMany({
      where: { issuerId: caId, serial: { in: [...serials] } },
      select: { serial: true, revokedAt: true, revocationReason: true },
    });
    return new Map(
      rows.map((row): [string, OcspCertStatus] => [
        row.serial,
        row.revokedAt ? { status: 'revoked', revokedAt: row.revokedAt, reason: row.revocationReason === null ? 'unspecified' : crlReasonName(row.revocationReason) } : { status: 'good' },
      ]),
    );
  }
}
