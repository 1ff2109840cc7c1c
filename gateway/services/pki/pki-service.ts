import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../../common/index.ts';
import {
  buildOcspResponse,
  certIdFor,
  certIdMatches,
  isCrlReason,
  KeyStore,
  LocalRevocationSource,
  parseCertificate,
  PkiInputError,
  respondOcsp,
  TimestampResponder,
  usccIdentifier,
  type CertificateInfo,
  type CrlReason,
  type KeyAlgorithm,
  type KeyEncryptionKey,
  type RevocationSource,
  type SigningIdentity,
  type SigningKey,
  type TimestampAuthority,
} from '../../../signer/index.ts';
import type { Database } from '../../runtime/database.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireDepartment, type Actor } from '../actor.ts';
import { DAY, truncate } from '../../util.ts';
import type { CertificateRecord } from './certificate-record.ts';
import { CertificateStore, type Ca } from './certificate-store.ts';
import { CrlPublisher, type IssuedCrl } from './crl-publisher.ts';
import { PrismaKeyStorage } from './key-storage.ts';
import { withPkiLock } from './pki-lock.ts';
import { assertUsable, assertValid, SIGNING_ROLES, validity } from './policy.ts';
import { RevocationWatch } from './revocation-watch.ts';
import { pkiUrls } from './urls.ts';
import { metrics } from '../../runtime/metrics.ts';

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

/** The roles and key of a hierarchy: SM2 (商用密码) for an SM2 key, the ECDSA one otherwise. */
function hierarchy(algorithm: KeyAlgorithm | undefined): { sm2: boolean; departmentCa: 'department-ca' | 'sm2-department-ca'; caAlgorithm: KeyAlgorithm } {
  return algorithm === 'SM2' ? { sm2: true, departmentCa: 'sm2-department-ca', caAlgorithm: 'SM2' } : { sm2: false, departmentCa: 'department-ca', caAlgorithm: 'EC-P256' };
}

/**
 * The service's certification authority over PostgreSQL: a root CA, one issuing CA per
 * department, seal-signing certificates, a TSA and an OCSP responder per CA; CRLs, OCSP
 * answers and time-stamps; PKCS#12 import. Beside it, made on first use, an SM2 hierarchy
 * (SM2 root → department SM2 CAs → SM2 seal certificates, each CA with an SM2 responder)
 * served by the same CRL and OCSP endpoints. Keys live sealed in key_record (see
 * `KeyStore`); nothing here returns a private key.
 *
 * Created by {@link PkiService.open}, which bootstraps idempotently: a second start on
 * the same database reuses the root, TSA and responders. Changes that must not happen
 * twice (first CA of a department, CRL numbers) run under a PostgreSQL advisory lock, so
 * a CLI command and the server can share the database.
 */
export class PkiService {
  readonly #db: Pick<Database, 'prisma' | 'pool'>;
  readonly #keys: KeyStore;
  readonly #certificates: CertificateStore;
  readonly #urls: ReturnType<typeof pkiUrls>;
  readonly #log: Logger;
  #watch!: RevocationWatch;
  readonly #crls: CrlPublisher;
  readonly #responders = new Map<string, Promise<{ record: CertificateRecord; info: CertificateInfo; key: SigningKey }>>();
  #root!: Ca;
  /** The SM2 root, made on first use (a department's first SM2 seal): most installations never need it. */
  #sm2Root: Promise<Ca> | undefined;
  #tsa: Promise<{ record: CertificateRecord; responder: TimestampResponder }> | undefined;

  private constructor(options: PkiServiceOptions) {
    this.#db = options.db;
    this.#keys = new KeyStore({ storage: new PrismaKeyStorage({ prisma: options.db.prisma }), kek: options.kek });
    this.#urls = pkiUrls(options.publicUrl);
    this.#certificates = new CertificateStore({ db: options.db, keys: this.#keys, urls: this.#urls });
    this.#crls = new CrlPublisher({ db: options.db, certificates: this.#certificates, keys: this.#keys, watch: () => this.#watch });
    this.#log = options.log;
  }

  /**
   * Opens the PKI and makes sure the root CA, its OCSP responder and the TSA exist.
   * @throws {@link KekMismatchError} The configured KEK is not the one this database's keys were sealed under.
   */
  static async open(options: PkiServiceOptions): Promise<PkiService> {
    const service = new PkiService(options);
    await service.#bootstrap();
    service.#watch = await RevocationWatch.start({ pool: options.db.pool, log: options.log });
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
    return this.#certificates.get(id);
  }

  /** The key algorithm of a certificate's key held here (undefined for a certificate without one). @throws {@link NotFoundError} */
  async keyAlgorithmOf(certificateId: string): Promise<KeyAlgorithm | undefined> {
    return parseCertificate((await this.#certificates.get(certificateId)).der).keyAlgorithm;
  }

  /** A CA certificate (root or department CA), DER: what the caIssuers URL serves. @throws {@link NotFoundError} */
  async caCertificate(caId: string): Promise<Uint8Array> {
    return (await this.#certificates.ca(caId)).record.der;
  }

  /**
   * The SM2 root CA certificate, DER (SM2-with-SM3, GB/T 20518): what relying parties
   * trust for the SM2 hierarchy. Created, with its OCSP responder, on first use.
   */
  async sm2RootCertificate(): Promise<Uint8Array> {
    return (await this.#sm2RootCa()).record.der;
  }

  /** The SM2 root's certificate id; creates the SM2 root on first use. */
  async sm2RootCertificateId(): Promise<string> {
    return (await this.#sm2RootCa()).record.id;
  }

  /**
   * The department's current issuing CA of a hierarchy, if it has one; creates nothing.
   * `algorithm` 'SM2' names the SM2 hierarchy; any other (or none) the ECDSA one.
   */
  async findDepartmentCa(departmentId: string, algorithm?: KeyAlgorithm): Promise<string | undefined> {
    return (await this.#certificates.active({ role: hierarchy(algorithm).departmentCa, departmentId }))?.id;
  }

  /**
   * The department's issuing CA, created (with its OCSP responder) on first use: ECDSA P-256
   * under the root, or with `algorithm` 'SM2' an SM2 CA under the SM2 root (made if needed).
   * @returns The CA certificate's id.
   * @throws {@link NotFoundError} No such department.
   */
  async ensureDepartmentCa(departmentId: string, algorithm?: KeyAlgorithm): Promise<string> {
    const department = await this.#certificates.department(departmentId);
    const existing = await this.findDepartmentCa(departmentId, algorithm);
    if (existing) return existing;
    const { departmentCa, caAlgorithm, sm2 } = hierarchy(algorithm);
    const root = sm2 ? await this.#sm2RootCa() : this.#root;
    return withPkiLock(this.#db, async () => {
      const again = await this.findDepartmentCa(departmentId, algorithm);
      if (again) return again;
      const record = await this.#certificates.issue({
        profile: 'issuing-ca',
        role: departmentCa,
        algorithm: caAlgorithm,
        subject: { commonName: truncate(`${department.name}${sm2 ? 'SM2' : ''}签章CA`), organization: truncate(department.name), organizationIdentifier: usccIdentifier(department.uscc) },
        issuer: root,
        lifetime: validity.departmentCa,
        departmentId,
      });
      await this.#responderLocked(record.id);
      this.#log.info('created department CA', { departmentId, certificateId: record.id, algorithm: caAlgorithm });
      return record.id;
    });
  }

  /**
   * Issues a seal-signing certificate (keyUsage digitalSignature + nonRepudiation,
   * critical) for a new key of `options.algorithm`, under the department's CA (created if
   * needed): an SM2 key under the department's SM2 CA, any other under its ECDSA CA. The
   * subject names the department and its 统一社会信用代码.
   * @returns The certificate's id.
   * @throws {@link NotFoundError} No such department. {@link PkiInputError} Bad subject or validity.
   */
  async issueSealCertificate(departmentId: string, options: SealCertificateOptions = {}): Promise<string> {
    const department = await this.#certificates.department(departmentId);
    const ca = await this.#certificates.ca(await this.ensureDepartmentCa(departmentId, options.algorithm));
    const notBefore = options.notBefore ?? new Date(Date.now() - validity.backdate);
    const validDays = options.validDays ?? validity.seal / DAY;
    if (!(validDays > 0)) throw new PkiInputError({ field: 'validDays', message: 'validDays must be positive' });
    const record = await this.#certificates.issue({
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
   * Issues the seal maker's (制章者) signing certificate, directly under the root: the
   * installation itself signs every SES_Seal it makes (GB/T 38540-2020 §7.1). Not tied to
   * a department.
   * @returns The certificate id.
   */
  async issueSealMakerCertificate(options: Pick<SealCertificateOptions, 'algorithm' | 'validDays'> = {}): Promise<string> {
    return this.issueInstallationCertificate('电子印章制作 (zhengyin seal maker)', options);
  }

  /**
   * Issues a signing certificate of the installation itself, directly under the root (the
   * SM2 root for an SM2 key) and tied to no department, named `commonName` after its one
   * use (the seal maker; the signer of annotated copies).
   * @returns The certificate id.
   */
  async issueInstallationCertificate(commonName: string, options: Pick<SealCertificateOptions, 'algorithm' | 'validDays'> = {}): Promise<string> {
    const notBefore = new Date(Date.now() - validity.backdate);
    const validDays = options.validDays ?? validity.departmentCa / DAY;
    const root = hierarchy(options.algorithm).sm2 ? await this.#sm2RootCa() : this.#root;
    const record = await this.#certificates.issue({
      profile: 'seal',
      role: 'seal',
      algorithm: options.algorithm ?? 'EC-P256',
      subject: { commonName: truncate(commonName), organization: 'zhengyin' },
      issuer: root,
      notBefore,
      notAfter: new Date(Math.min(notBefore.getTime() + validDays * DAY, root.info.notAfter.getTime())),
    });
    return record.id;
  }

  /**
   * Imports a department's existing key and certificate from a PKCS#12 file (RSA or EC).
   * The certificate must be a signing certificate (not a CA; keyUsage, if present, with
   * digitalSignature or nonRepudiation) and valid now. Its chain is stored too, linked by
   * verified signatures. Importing the same certificate again returns its id.
   * @returns The imported certificate's id.
   * @throws {@link ForbiddenError} The actor may not act for the department; nothing stored.
   * @throws {@link Pkcs12Error} | {@link PkiInputError} | {@link CertificateExpiredError} | {@link NotFoundError}
   */
  async importPkcs12(actor: Actor, departmentId: string, file: Uint8Array, password: string): Promise<string> {
    requireDepartment(actor, departmentId, 'import a signing key');
    await this.#certificates.department(departmentId);
    let existingId: string | undefined;
    const imported = await this.#keys.importPkcs12(file, password, async (certificate) => {
      const info = parseCertificate(certificate);
      const existing = await this.#certificates.findBySha256(info.sha256);
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
    for (const der of [...imported.chain].reverse()) issuerId = (await this.#certificates.storeForeign(der, issuerId)).id;
    const info = parseCertificate(imported.certificate);
    const record = await this.#certificates.create(info, { role: 'imported', issuerId, departmentId, keyId: imported.key.id });
    this.#log.info('imported a PKCS#12 certificate', { departmentId, certificateId: record.id, subject: info.subject });
    return record.id;
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
    const path = await this.#certificates.path(certificateId);
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
        if (!this.#watch.isLive || this.#watch.anyRevoked(ids)) assertUsable(await this.#certificates.revokedAmong(ids), now);
        const signature = await inner.sign(data, digest);
        metrics().signaturesMade.inc();
        return signature;
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
    await this.#certificates.markRevoked(certificateId, reason);
    this.#watch.noteRevoked(certificateId);
    if (record.role === 'tsa') this.#tsa = undefined;
    if (record.role === 'ocsp' && record.issuerId) this.#responders.delete(record.issuerId);
    this.#log.info('revoked a certificate', { certificateId, reason });
    if (record.issuerId && (await this.#certificates.isOwnCa(record.issuerId))) await this.currentCrl(record.issuerId);
  }

  /**
   * The current CRL of CA `caId`, re-issued (with the next cRLNumber) when it is older
   * than a day or a certificate was revoked since; stored so that a number always has the
   * same bytes.
   * @throws {@link NotFoundError} No such CA.
   */
  async currentCrl(caId: string): Promise<IssuedCrl> {
    return this.#crls.current(caId);
  }

  /** Answers a DER OCSPRequest (RFC 6960) for any of the service's CAs; never throws for bad input. */
  async ocspRespond(requestDer: Uint8Array): Promise<Uint8Array> {
    return respondOcsp(requestDer, {
      validityMs: validity.ocspResponse,
      findIssuer: async (certId) => {
        const ca = (await this.#certificates.allCas()).find((c) => certIdMatches(certId, c.info));
        if (!ca) return undefined;
        const responder = await this.#responder(ca.record.id);
        return {
          signer: { certificate: responder.info, key: responder.key, chain: ca.record.role === 'root' || ca.record.role === 'sm2-root' ? [] : [ca.info] },
          status: (serial) => this.#certificates.status(ca.record.id, serial),
          statuses: (serials) => this.#certificates.statuses(ca.record.id, serials),
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
        const record = await this.#certificates.findBySha256(certificate.sha256);
        if (!record?.issuerId || !(await this.#certificates.isOwnCa(record.issuerId))) return undefined;
        return (await this.#certificates.ca(record.issuerId)).info;
      },
      crl: async (issuer) => (await this.currentCrl(await this.#certificates.caIdOf(issuer))).der,
      ocsp: async (certificate, issuer) => {
        const caId = await this.#certificates.caIdOf(issuer);
        const responder = await this.#responder(caId);
        const chain = (await this.#isRoot(caId)) ? [] : [issuer];
        const response = await buildOcspResponse({
          signer: { certificate: responder.info, key: responder.key, chain },
          answers: [{ certId: certIdFor(certificate, issuer), status: await this.#certificates.status(caId, certificate.serial) }],
          validityMs: validity.ocspResponse,
        });
        return { response, certificates: [responder.info, ...chain] };
      },
    });
  }

  async #bootstrap(): Promise<void> {
    await withPkiLock(this.#db, async () => {
      let root = await this.#certificates.active({ role: 'root' });
      if (root) {
        // Unsealing the root key proves the configured KEK is this database's (KekMismatchError otherwise).
        await this.#keys.signingKey(root.keyId!);
      } else {
        root = await this.#certificates.issue({
          profile: 'root-ca',
          role: 'root',
          algorithm: 'EC-P256',
          subject: { commonName: `证印根CA ${randomBytes(4).toString('hex')}`, organization: '证印 zhengyin' },
          lifetime: validity.root,
        });
        this.#log.info('created the root CA', { certificateId: root.id, subject: root.subject });
      }
      this.#root = this.#certificates.remember(root);
      await this.#responderLocked(root.id);
      await this.#tsaLocked();
    });
  }

  /** The SM2 root, issued (with its OCSP responder) when missing. */
  #sm2RootCa(): Promise<Ca> {
    this.#sm2Root ??= withPkiLock(this.#db, async () => {
      let root = await this.#certificates.active({ role: 'sm2-root' });
      if (!root) {
        root = await this.#certificates.issue({
          profile: 'root-ca',
          role: 'sm2-root',
          algorithm: 'SM2',
          subject: { commonName: `证印SM2根CA ${randomBytes(4).toString('hex')}`, organization: '证印 zhengyin' },
          lifetime: validity.root,
        });
        this.#log.info('created the SM2 root CA', { certificateId: root.id, subject: root.subject });
      }
      const ca = this.#certificates.remember(root);
      await this.#responderLocked(root.id);
      return ca;
    });
    this.#sm2Root.catch(() => (this.#sm2Root = undefined));
    return this.#sm2Root;
  }

  async #isRoot(caId: string): Promise<boolean> {
    const role = (await this.#certificates.ca(caId)).record.role;
    return role === 'root' || role === 'sm2-root';
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
    const ca = await this.#certificates.ca(caId);
    let record = await this.#certificates.active({ role: 'ocsp', issuerId: caId }, validity.ocspRenewBefore);
    if (!record) {
      record = await this.#certificates.issue({
        profile: 'ocsp-responder',
        role: 'ocsp',
        // An SM2 CA's responder signs SM2 too: a relying party on 商用密码 checks one algorithm.
        algorithm: ca.info.keyAlgorithm === 'SM2' ? 'SM2' : 'EC-P256',
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
    let record = await this.#certificates.active({ role: 'tsa' });
    if (!record) {
      record = await this.#certificates.issue({
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
