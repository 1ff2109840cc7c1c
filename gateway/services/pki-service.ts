import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../common/index.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import {
  CertificateExpiredError,
  CertificateNotYetValidError,
  CertificateRevokedError,
  certIdFor,
  certIdMatches,
  crlReasonCode,
  issueCertificate,
  issueCrl,
  isCrlReason,
  KeyStore,
  LocalRevocationSource,
  parseCertificate,
  PkiInputError,
  buildOcspResponse,
  respondOcsp,
  TimestampResponder,
  usccIdentifier,
  type CertificateInfo,
  type CertificateProfile,
  type CrlReason,
  type DistinguishedName,
  type KeyAlgorithm,
  type KeyEncryptionKey,
  type OcspCertStatus,
  type RevocationSource,
  type SigningIdentity,
  type SigningKey,
  type TimestampAuthority,
} from '../../signer/index.ts';
import type { Database } from '../runtime/database.ts';
import type { Logger } from '../runtime/logger.ts';
import { pkiUrls } from './pki-urls.ts';
import { bytes, fromSql, PrismaKeyStorage, SQL_COLUMNS, toRecord, withPkiLock, type CertificateRecord, type CertificateRole, type SqlCertificateRow } from './pki-store.ts';
import { REVOCATION_CHANNEL, RevocationWatch } from './revocation-watch.ts';

export type { CertificateRecord, CertificateRole } from './pki-store.ts';

export interface PkiServiceOptions {
  readonly db: Pick<Database, 'prisma' | 'pool'>;
  readonly kek: KeyEncryptionKey;
  /** config.publicUrl: every URL written into a certificate derives from it. */
  readonly publicUrl: URL;
  readonly log: Logger;
}

/** What a seal-signing certificate says and how long it lasts. */
export interface SealCertificateOptions {
  /** @default `<department name>电子印章` */
  readonly commonName?: string;
  readonly organizationalUnit?: string;
  /** @default 'EC-P256' */
  readonly algorithm?: KeyAlgorithm;
  /** @default five minutes ago (clock skew between signer and relying parties) */
  readonly notBefore?: Date;
  /** @default notBefore + `validDays`; capped at the department CA's notAfter */
  readonly notAfter?: Date;
  /** @default 730 */
  readonly validDays?: number;
}

/** A CRL as issued and stored (the `crl` table). */
export interface IssuedCrl {
  readonly issuerId: string;
  readonly number: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly der: Uint8Array;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const YEAR = 365 * DAY;
const validity = {
  root: 20 * YEAR,
  departmentCa: 10 * YEAR,
  seal: 730 * DAY,
  tsa: 10 * YEAR,
  ocsp: YEAR,
  /** A responder certificate closer than this to its end is replaced. */
  ocspRenewBefore: 30 * DAY,
  crl: 7 * DAY,
  /** A CRL older than this is re-issued when asked for, leaving clients ≥ 6 days of nextUpdate. */
  crlRefreshAfter: DAY,
  ocspResponse: DAY,
  backdate: 5 * MINUTE,
};
const CA_ROLES: readonly CertificateRole[] = ['root', 'department-ca'];
const SIGNING_ROLES: readonly CertificateRole[] = ['seal', 'imported'];

interface Ca {
  readonly record: CertificateRecord;
  readonly info: CertificateInfo;
}

/**
 * The service's certification authority over PostgreSQL: a root CA, one issuing CA per
 * department, seal-signing certificates, a TSA and an OCSP responder per CA; CRLs, OCSP
 * answers and time-stamps; PKCS#12 import. Keys live sealed in key_record (see
 * `KeyStore`); nothing here returns a private key.
 *
 * Created by {@link PkiService.open}, which bootstraps idempotently: a second start on
 * the same database reuses the root, TSA and responders. Changes that must not happen
 * twice (first CA of a department, CRL numbers) run under a PostgreSQL advisory lock, so
 * a CLI command and the server can share the database.
 */
export class PkiService {
  readonly #prisma: PrismaClient;
  readonly #db: Pick<Database, 'prisma' | 'pool'>;
  readonly #keys: KeyStore;
  readonly #urls: ReturnType<typeof pkiUrls>;
  readonly #log: Logger;
  #watch!: RevocationWatch;
  readonly #cas = new Map<string, Ca>();
  /** The last CRL per CA, with the revocation-watch generation it was read under. */
  readonly #crls = new Map<string, { crl: IssuedCrl; generation: number }>();
  readonly #responders = new Map<string, Promise<{ record: CertificateRecord; info: CertificateInfo; key: SigningKey }>>();
  #root!: Ca;
  #tsa: Promise<{ record: CertificateRecord; responder: TimestampResponder }> | undefined;

  private constructor(options: PkiServiceOptions) {
    this.#db = options.db;
    this.#prisma = options.db.prisma;
    this.#keys = new KeyStore({ storage: new PrismaKeyStorage(options.db.prisma), kek: options.kek });
    this.#urls = pkiUrls(options.publicUrl);
    this.#log = options.log;
  }

  /**
   * Opens the PKI and makes sure the root CA, its OCSP responder and the TSA exist.
   * @throws {@link KekMismatchError} The configured KEK is not the one this database's keys were sealed under.
   */
  static async open(options: PkiServiceOptions): Promise<PkiService> {
    const service = new PkiService(options);
    await service.#bootstrap();
    service.#watch = await RevocationWatch.start(options.db.pool, options.log);
    return service;
  }

  /** Stops listening for revocations. */
  async close(): Promise<void> {
    await this.#watch.close();
  }

  /** The public URLs of the PKI endpoints. */
  get urls(): ReturnType<typeof pkiUrls> {
    return this.#urls;
  }

  get rootCertificateId(): string {
    return this.#root.record.id;
  }

  /** The root CA certificate, DER: what relying parties trust. */
  async rootCertificate(): Promise<Uint8Array> {
    return this.#root.record.der;
  }

  /** A certificate the service issued or imported. @throws {@link NotFoundError} */
  async getCertificate(id: string): Promise<CertificateRecord> {
    const row = await this.#prisma.certificate.findUnique({ where: { id } });
    if (!row) throw new NotFoundError({ entity: 'certificate', id });
    return toRecord(row);
  }

  /** A CA certificate (root or department CA), DER: what the caIssuers URL serves. @throws {@link NotFoundError} */
  async caCertificate(caId: string): Promise<Uint8Array> {
    return (await this.#ca(caId)).record.der;
  }

  /** The department's current issuing CA, if it has one; creates nothing. */
  async findDepartmentCa(departmentId: string): Promise<string | undefined> {
    return (await this.#activeCertificate({ role: 'department-ca', departmentId }))?.id;
  }

  /**
   * The department's issuing CA, created (with its OCSP responder) on first use.
   * @returns The CA certificate's id.
   * @throws {@link NotFoundError} No such department.
   */
  async ensureDepartmentCa(departmentId: string): Promise<string> {
    const department = await this.#department(departmentId);
    const existing = await this.findDepartmentCa(departmentId);
    if (existing) return existing;
    return withPkiLock(this.#db, async () => {
      const again = await this.findDepartmentCa(departmentId);
      if (again) return again;
      const record = await this.#issue({
        profile: 'issuing-ca',
        role: 'department-ca',
        algorithm: 'EC-P256',
        subject: { commonName: truncate(`${department.name}签章CA`), organization: truncate(department.name), organizationIdentifier: usccIdentifier(department.uscc) },
        issuer: this.#root,
        lifetime: validity.departmentCa,
        departmentId,
      });
      await this.#responderLocked(record.id);
      this.#log.info('created department CA', { departmentId, certificateId: record.id });
      return record.id;
    });
  }

  /**
   * Issues a seal-signing certificate (keyUsage digitalSignature + nonRepudiation,
   * critical) for a new key of `options.algorithm`, under the department's CA (created if
   * needed). The subject names the department and its 统一社会信用代码.
   * @returns The certificate's id.
   * @throws {@link NotFoundError} No such department. {@link PkiInputError} Bad subject or validity.
   */
  async issueSealCertificate(departmentId: string, options: SealCertificateOptions = {}): Promise<string> {
    const department = await this.#department(departmentId);
    const ca = await this.#ca(await this.ensureDepartmentCa(departmentId));
    const notBefore = options.notBefore ?? new Date(Date.now() - validity.backdate);
    const validDays = options.validDays ?? validity.seal / DAY;
    if (!(validDays > 0)) throw new PkiInputError({ field: 'validDays', message: 'validDays must be positive' });
    const record = await this.#issue({
      profile: 'seal',
      role: 'seal',
      algorithm: options.algorithm ?? 'EC-P256',
      subject: {
        commonName: options.commonName ?? truncate(`${department.name}电子印章`),
        organization: truncate(department.name),
        ...(options.organizationalUnit ? { organizationalUnit: options.organizationalUnit } : {}),
        organizationIdentifier: usccIdentifier(department.uscc),
      },
      issuer: ca,
      notBefore,
      notAfter: options.notAfter ?? new Date(notBefore.getTime() + validDays * DAY),
      departmentId,
    });
    return record.id;
  }

  /**
   * Imports a department's existing key and certificate from a PKCS#12 file (RSA or EC).
   * The certificate must be a signing certificate (not a CA; keyUsage, if present, with
   * digitalSignature or nonRepudiation) and valid now. Its chain is stored too, linked by
   * verified signatures. Importing the same certificate again returns its id.
   * @returns The imported certificate's id.
   * @throws {@link Pkcs12Error} | {@link PkiInputError} | {@link CertificateExpiredError} | {@link NotFoundError}
   */
  async importPkcs12(departmentId: string, file: Uint8Array, password: string): Promise<string> {
    await this.#department(departmentId);
    let existingId: string | undefined;
    const imported = await this.#keys.importPkcs12(file, password, async (certificate) => {
      const info = parseCertificate(certificate);
      const existing = await this.#prisma.certificate.findUnique({ where: { sha256: info.sha256 } });
      if (existing?.keyId) {
        if (existing.departmentId !== departmentId) {
          throw new PkiInputError({ field: 'file', message: `this certificate is already imported for department ${existing.departmentId}` });
        }
        existingId = existing.id;
        return false;
      }
      if (info.isCa) throw new PkiInputError({ field: 'file', message: 'the certificate is a CA certificate, not a signing certificate', standard: 'RFC 5280 §4.2.1.9' });
      if (info.keyUsage && !info.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) {
        throw new PkiInputError({ field: 'file', message: 'the certificate may not sign (keyUsage lacks digitalSignature and nonRepudiation)', standard: 'RFC 5280 §4.2.1.3' });
      }
      assertValid(info, { serial: info.serial, subject: info.subject }, new Date());
      return true;
    });
    if (!imported) return existingId!;
    // Store the chain from the top down so that each certificate can point at its issuer.
    let issuerId: string | undefined;
    for (const der of [...imported.chain].reverse()) issuerId = (await this.#storeForeign(der, issuerId)).id;
    const info = parseCertificate(imported.certificate);
    const row = await this.#prisma.certificate.create({
      data: certificateData(info, { role: 'imported', issuerId, departmentId, keyId: imported.key.id }),
    });
    this.#log.info('imported a PKCS#12 certificate', { departmentId, certificateId: row.id, subject: info.subject });
    return row.id;
  }

  /**
   * The key, certificate and chain of a seal-signing (or imported) certificate, for PAdES.
   * Refuses when the certificate or any issuer above it is revoked or outside its
   * validity; the returned key checks again at every `sign()` call, so a revocation made
   * after this call (by any process on the database) stops it too.
   * @throws {@link CertificateRevokedError} | {@link CertificateExpiredError} | {@link CertificateNotYetValidError} — nothing signed.
   * @throws {@link NotFoundError} | {@link PkiInputError} The certificate has no key here or is not a signing certificate.
   */
  async signingIdentity(certificateId: string): Promise<SigningIdentity> {
    const path = await this.#path(certificateId);
    const [leaf] = path;
    if (!leaf) throw new NotFoundError({ entity: 'certificate', id: certificateId });
    if (!SIGNING_ROLES.includes(leaf.role) || !leaf.keyId) {
      throw new PkiInputError({ field: 'certificateId', message: `certificate ${certificateId} (${leaf.role}) is not a signing certificate with a key in this service` });
    }
    assertUsable(path, new Date());
    const inner = await this.#keys.signingKey(leaf.keyId);
    const ids = path.map((r) => r.id);
    const key: SigningKey = {
      algorithm: inner.algorithm,
      sign: async (data, digest) => {
        const now = new Date();
        assertUsable(path, now);
        // In memory while the revocation watch is live; from the database otherwise.
        if (!this.#watch.isLive || this.#watch.anyRevoked(ids)) assertUsable(await this.#revokedAmong(ids), now);
        return inner.sign(data, digest);
      },
    };
    return { key, certificate: leaf.der, chain: path.slice(1).map((r) => r.der) };
  }

  /**
   * Revokes a certificate (RFC 5280 §5.3.1 reason) and re-issues its CA's CRL at once.
   * Revoking again keeps the first date and reason. A root cannot be revoked: remove it
   * from the trust stores instead.
   * @throws {@link NotFoundError} | {@link PkiInputError}
   */
  async revoke(certificateId: string, reason: CrlReason = 'unspecified'): Promise<void> {
    if (!isCrlReason(reason)) throw new PkiInputError({ field: 'reason', message: `unknown CRLReason "${reason}"`, standard: 'RFC 5280 §5.3.1' });
    const record = await this.getCertificate(certificateId);
    if (record.role === 'root') throw new PkiInputError({ field: 'certificateId', message: 'a root CA is not revoked; remove it from the trust stores' });
    if (record.revokedAt) return;
    // NOTIFY inside the transaction: every process hears of it exactly when it commits.
    await this.#prisma.$transaction([
      this.#prisma.certificate.update({ where: { id: certificateId }, data: { revokedAt: new Date(), revocationReason: crlReasonCode[reason] } }),
      this.#prisma.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${certificateId})`,
    ]);
    this.#watch.noteRevoked(certificateId);
    if (record.role === 'tsa') this.#tsa = undefined;
    if (record.role === 'ocsp' && record.issuerId) this.#responders.delete(record.issuerId);
    this.#log.info('revoked a certificate', { certificateId, reason });
    if (record.issuerId && (await this.#isOwnCa(record.issuerId))) await this.currentCrl(record.issuerId);
  }

  /**
   * The current CRL of CA `caId`, re-issued (with the next cRLNumber) when it is older
   * than a day or a certificate was revoked since; stored so that a number always has the
   * same bytes.
   * @throws {@link NotFoundError} No such CA.
   */
  async currentCrl(caId: string): Promise<IssuedCrl> {
    const generation = this.#watch?.generation;
    const cached = this.#crls.get(caId);
    if (cached && this.#watch?.isLive && cached.generation === generation && Date.now() - cached.crl.thisUpdate.getTime() < validity.crlRefreshAfter) {
      return cached.crl;
    }
    const crl = await this.#currentCrlFromDatabase(caId);
    if (generation !== undefined) this.#crls.set(caId, { crl, generation });
    return crl;
  }

  async #currentCrlFromDatabase(caId: string): Promise<IssuedCrl> {
    const ca = await this.#ca(caId);
    const fresh = await this.#freshCrl(caId);
    if (fresh) return fresh;
    return withPkiLock(this.#db, async () => {
      const again = await this.#freshCrl(caId);
      if (again) return again;
      const latest = await this.#prisma.crl.findFirst({ where: { issuerId: caId }, orderBy: { number: 'desc' } });
      const revoked = await this.#prisma.certificate.findMany({ where: { issuerId: caId, revokedAt: { not: null } } });
      // Strictly after the previous CRL, so that "revoked since" compares cleanly.
      const thisUpdate = new Date(Math.max(Date.now(), (latest?.thisUpdate.getTime() ?? 0) + 1));
      const number = (latest?.number ?? 0) + 1;
      const der = await issueCrl({
        issuer: { certificate: ca.info, key: await this.#keys.signingKey(ca.record.keyId!) },
        number,
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + validity.crl),
        revoked: revoked.map(toRecord).map((r) => ({ serial: r.serial, revokedAt: r.revokedAt!, reason: r.revocationReason ?? 'unspecified' })),
      });
      const row = await this.#prisma.crl.create({ data: { issuerId: caId, number, thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + validity.crl), der: bytes(der) } });
      return crlOf(row);
    });
  }

  /** Answers a DER OCSPRequest (RFC 6960) for any of the service's CAs; never throws for bad input. */
  async ocspRespond(requestDer: Uint8Array): Promise<Uint8Array> {
    return respondOcsp(requestDer, {
      validityMs: validity.ocspResponse,
      findIssuer: async (certId) => {
        const ca = (await this.#allCas()).find((c) => certIdMatches(certId, c.info));
        if (!ca) return undefined;
        const responder = await this.#responder(ca.record.id);
        return {
          signer: { certificate: responder.info, key: responder.key, chain: ca.record.role === 'root' ? [] : [ca.info] },
          status: (serial) => this.#status(ca.record.id, serial),
        };
      },
    });
  }

  /** Answers a DER TimeStampReq (RFC 3161) with a DER TimeStampResp; never throws for bad input. */
  async tsaRespond(requestDer: Uint8Array): Promise<Uint8Array> {
    return (await this.#currentTsa()).responder.respond(requestDer);
  }

  /** The built-in TSA for PAdES signature and document time-stamps. */
  timestampAuthority(): TimestampAuthority {
    return { timestamp: async (imprint, digest) => (await this.#currentTsa()).responder.token({ imprint, digest, certReq: true }) };
  }

  /** CRLs and OCSP responses from this CA for PAdES B-LT (certificates it did not issue get none). */
  revocationSource(): RevocationSource {
    return new LocalRevocationSource({
      issuerOf: async (certificate) => {
        const row = await this.#prisma.certificate.findUnique({ where: { sha256: certificate.sha256 } });
        if (!row?.issuerId || !(await this.#isOwnCa(row.issuerId))) return undefined;
        return (await this.#ca(row.issuerId)).info;
      },
      crl: async (issuer) => (await this.currentCrl(await this.#caIdOf(issuer))).der,
      ocsp: async (certificate, issuer) => {
        const caId = await this.#caIdOf(issuer);
        const responder = await this.#responder(caId);
        const chain = caId === this.#root.record.id ? [] : [issuer];
        const response = await buildOcspResponse({
          signer: { certificate: responder.info, key: responder.key, chain },
          answers: [{ certId: certIdFor(certificate, issuer), status: await this.#status(caId, certificate.serial) }],
          validityMs: validity.ocspResponse,
        });
        return { response, certificates: [responder.info, ...chain] };
      },
    });
  }

  async #bootstrap(): Promise<void> {
    await withPkiLock(this.#db, async () => {
      let root = await this.#activeCertificate({ role: 'root' });
      if (root) {
        // Unsealing the root key proves the configured KEK is this database's (KekMismatchError otherwise).
        await this.#keys.signingKey(root.keyId!);
      } else {
        root = await this.#issue({
          profile: 'root-ca',
          role: 'root',
          algorithm: 'EC-P256',
          subject: { commonName: `证印根CA ${randomBytes(4).toString('hex')}`, organization: '证印 zhengyin' },
          lifetime: validity.root,
        });
        this.#log.info('created the root CA', { certificateId: root.id, subject: root.subject });
      }
      this.#root = this.#remember(root);
      await this.#responderLocked(root.id);
      await this.#tsaLocked();
    });
  }

  async #issue(p: {
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
    const signer = p.issuer ? await this.#keys.signingKey(p.issuer.record.keyId!) : await this.#keys.signingKey(key.id);
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
    const row = await this.#prisma.certificate.create({
      data: certificateData(parseCertificate(der), { role: p.role, issuerId: p.issuer?.record.id, departmentId: p.departmentId, keyId: key.id }),
    });
    return toRecord(row);
  }

  /** Stores a certificate of an imported chain (no key), or finds it if already stored. */
  async #storeForeign(der: Uint8Array, issuerId: string | undefined): Promise<CertificateRecord> {
    const info = parseCertificate(der);
    const existing = await this.#prisma.certificate.findUnique({ where: { sha256: info.sha256 } });
    if (existing) return toRecord(existing);
    return toRecord(await this.#prisma.certificate.create({ data: certificateData(info, { role: 'imported', issuerId }) }));
  }

  async #activeCertificate(where: { role: CertificateRole; departmentId?: string; issuerId?: string }, validFor = 0): Promise<CertificateRecord | undefined> {
    const row = await this.#prisma.certificate.findFirst({
      where: { ...where, revokedAt: null, keyId: { not: null }, notAfter: { gt: new Date(Date.now() + validFor) }, notBefore: { lte: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRecord(row) : undefined;
  }

  #remember(record: CertificateRecord): Ca {
    const ca = { record, info: parseCertificate(record.der) };
    this.#cas.set(record.id, ca);
    return ca;
  }

  async #ca(caId: string): Promise<Ca> {
    const cached = this.#cas.get(caId);
    if (cached) return cached;
    const row = await this.#prisma.certificate.findUnique({ where: { id: caId } });
    if (!row || !CA_ROLES.includes(row.role as CertificateRole)) throw new NotFoundError({ entity: 'certificate authority', id: caId });
    return this.#remember(toRecord(row));
  }

  async #isOwnCa(id: string): Promise<boolean> {
    if (this.#cas.has(id)) return true;
    const row = await this.#prisma.certificate.findUnique({ where: { id }, select: { role: true } });
    return row !== null && CA_ROLES.includes(row.role as CertificateRole);
  }

  async #caIdOf(info: CertificateInfo): Promise<string> {
    for (const ca of this.#cas.values()) if (ca.info.sha256 === info.sha256) return ca.record.id;
    const row = await this.#prisma.certificate.findUnique({ where: { sha256: info.sha256 }, select: { id: true } });
    if (!row) throw new NotFoundError({ entity: 'certificate authority', id: info.subject });
    return row.id;
  }

  /** Every CA of the service (CAs made by another process appear on the next call). */
  async #allCas(): Promise<Ca[]> {
    const rows = await this.#prisma.certificate.findMany({ where: { role: { in: [...CA_ROLES] } }, select: { id: true } });
    return Promise.all(rows.map((r) => this.#ca(r.id)));
  }

  async #department(id: string): Promise<{ id: string; name: string; uscc: string }> {
    const department = await this.#prisma.department.findUnique({ where: { id } });
    if (!department) throw new NotFoundError({ entity: 'department', id });
    return department;
  }

  /**
   * The certificate and its issuers up to the root (or the top of an imported chain), in
   * one round trip: Prisma cannot express the recursive query.
   */
  async #path(certificateId: string): Promise<CertificateRecord[]> {
    const { rows } = await this.#db.pool.query<SqlCertificateRow>(
      `WITH RECURSIVE path AS (
         SELECT c.*, 0 AS depth FROM certificate c WHERE c.id = $1
         UNION ALL
         SELECT c.*, path.depth + 1 FROM certificate c JOIN path ON c.id = path.issuer_id WHERE path.depth < 8
       )
       SELECT ${SQL_COLUMNS} FROM path ORDER BY depth`,
      [certificateId],
    );
    return rows.map(fromSql);
  }

  async #revokedAmong(ids: readonly string[]): Promise<CertificateRecord[]> {
    const { rows } = await this.#db.pool.query<SqlCertificateRow>(`SELECT ${SQL_COLUMNS} FROM certificate WHERE id = ANY($1) AND revoked_at IS NOT NULL`, [ids]);
    return rows.map(fromSql);
  }

  async #status(caId: string, serial: string): Promise<OcspCertStatus> {
    const row = await this.#prisma.certificate.findUnique({ where: { issuerId_serial: { issuerId: caId, serial } } });
    if (!row) return { status: 'unknown' };
    const record = toRecord(row);
    return record.revokedAt ? { status: 'revoked', revokedAt: record.revokedAt, reason: record.revocationReason ?? 'unspecified' } : { status: 'good' };
  }

  async #freshCrl(caId: string): Promise<IssuedCrl | undefined> {
    const latest = await this.#prisma.crl.findFirst({ where: { issuerId: caId }, orderBy: { number: 'desc' } });
    if (!latest || Date.now() - latest.thisUpdate.getTime() >= validity.crlRefreshAfter) return undefined;
    const revokedSince = await this.#prisma.certificate.count({ where: { issuerId: caId, revokedAt: { gte: latest.thisUpdate } } });
    return revokedSince === 0 ? crlOf(latest) : undefined;
  }

  #responder(caId: string): Promise<{ record: CertificateRecord; info: CertificateInfo; key: SigningKey }> {
    const cached = this.#responders.get(caId);
    if (cached) {
      return cached.then((r) =>
        r.record.notAfter.getTime() - Date.now() > validity.ocspRenewBefore && !this.#watch?.anyRevoked([r.record.id]) ? r : this.#renewResponder(caId),
      );
    }
    return this.#renewResponder(caId);
  }

  #renewResponder(caId: string): Promise<{ record: CertificateRecord; info: CertificateInfo; key: SigningKey }> {
    const pending = withPkiLock(this.#db, () => this.#responderLocked(caId));
    pending.catch(() => this.#responders.delete(caId));
    this.#responders.set(caId, pending);
    return pending;
  }

  /** The CA's delegated OCSP responder (RFC 6960 §4.2.2.2), issued when missing or near its end. Caller holds the lock. */
  async #responderLocked(caId: string): Promise<{ record: CertificateRecord; info: CertificateInfo; key: SigningKey }> {
    const ca = await this.#ca(caId);
    let record = await this.#activeCertificate({ role: 'ocsp', issuerId: caId }, validity.ocspRenewBefore);
    if (!record) {
      record = await this.#issue({
        profile: 'ocsp-responder',
        role: 'ocsp',
        algorithm: 'EC-P256',
        subject: { commonName: truncate(`OCSP ${ca.info.commonName ?? ca.info.serial}`), organization: '证印 zhengyin' },
        issuer: ca,
        lifetime: validity.ocsp,
      });
    }
    const result = { record, info: parseCertificate(record.der), key: await this.#keys.signingKey(record.keyId!) };
    this.#responders.set(caId, Promise.resolve(result));
    return result;
  }

  async #currentTsa(): Promise<{ record: CertificateRecord; responder: TimestampResponder }> {
    const current = await this.#tsa?.catch(() => undefined);
    // Revoked (by any process) or expired: the next token comes from a new TSA certificate.
    if (current && (this.#watch?.anyRevoked([current.record.id]) || current.record.notAfter.getTime() <= Date.now())) this.#tsa = undefined;
    this.#tsa ??= withPkiLock(this.#db, () => this.#tsaLocked());
    this.#tsa.catch(() => (this.#tsa = undefined));
    return this.#tsa;
  }

  /** The TSA, issued by the root when missing, revoked or expired. Caller holds the lock. */
  async #tsaLocked(): Promise<{ record: CertificateRecord; responder: TimestampResponder }> {
    let record = await this.#activeCertificate({ role: 'tsa' });
    if (!record) {
      record = await this.#issue({
        profile: 'tsa',
        role: 'tsa',
        algorithm: 'EC-P256',
        subject: { commonName: '证印时间戳服务 zhengyin TSA', organization: '证印 zhengyin' },
        issuer: this.#root,
        lifetime: validity.tsa,
      });
    }
    const tsa = { record, responder: new TimestampResponder({ certificate: record.der, key: await this.#keys.signingKey(record.keyId!) }) };
    this.#tsa = Promise.resolve(tsa);
    return tsa;
  }
}

function certificateData(info: CertificateInfo, p: { role: CertificateRole; issuerId?: string | undefined; departmentId?: string | undefined; keyId?: string | undefined }) {
  return {
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
  };
}

function crlOf(row: { issuerId: string; number: number; thisUpdate: Date; nextUpdate: Date; der: Uint8Array }): IssuedCrl {
  return { issuerId: row.issuerId, number: row.number, thisUpdate: row.thisUpdate, nextUpdate: row.nextUpdate, der: new Uint8Array(row.der) };
}

/** Throws the first reason why the path cannot sign at `at` (RFC 5280 §6.1.3 (a)(2)-(3)). */
function assertUsable(path: readonly CertificateRecord[], at: Date): void {
  for (const record of path) {
    const ref = { certificateId: record.id, serial: record.serial, subject: record.subject };
    if (record.revokedAt && record.revokedAt <= at) {
      throw new CertificateRevokedError({ certificate: ref, revokedAt: record.revokedAt, reason: record.revocationReason ?? 'unspecified' });
    }
    assertValid(record, ref, at);
  }
}

function assertValid(period: { notBefore: Date; notAfter: Date }, ref: { certificateId?: string; serial: string; subject: string }, at: Date): void {
  if (at < period.notBefore) throw new CertificateNotYetValidError({ certificate: ref, notBefore: period.notBefore, at });
  if (at > period.notAfter) throw new CertificateExpiredError({ certificate: ref, notAfter: period.notAfter, at });
}

/** RFC 5280 upper bound for names in the subject (ub-common-name, ub-organization-name: 64). */
const truncate = (text: string): string => [...text].slice(0, 64).join('');
