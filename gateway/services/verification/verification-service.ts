import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { DEFAULT_LIMITS, sniffFormat, type VerificationReport } from '../../../verifier/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import { metrics } from '../../runtime/metrics.ts';
import { cpuPool } from '../../workers/index.ts';
import type { Actor } from '../actor.ts';
import type { LedgerService } from '../ledger/index.ts';
import type { LicenceService, PublicLicenceStatus } from '../licences/index.ts';
import type { PkiService } from '../pki/index.ts';
import type { SealService, SealState } from '../seals/index.ts';
import { NotAPdfError, PdfTooLargeError } from './errors.ts';

/** The registry's public entry of the licence a verified document is. */
export interface RegisteredLicence extends PublicLicenceStatus {
  /**
   * `document`: this very file is the issued one (the registry holds its SHA-256). A file
   * that only names a licence (its licence.json) is not matched: status pages are keyed by
   * page token so that identifiers cannot be walked, and a crafted file must not undo that.
   */
  readonly match: 'document';
  /** The licence's public status page (the URL in its QR code, which the file itself carries). */
  readonly statusUrl: string;
}

/** A seal of our registry (GB/T 38540) whose bound certificate made a signature. */
export interface RegisteredSeal {
  /** 电子印章标识 (esID). */
  readonly id: string;
  /** 印章名称. */
  readonly name: string;
  readonly departmentId: string;
  /** Its state now, not when it signed. */
  readonly state: SealState;
  readonly stateChangedAt: Date;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/** What the registry knows of one signature's signer, in the order of `report.signatures`. */
export interface SignatureRegistration {
  readonly fieldName: string | null;
  /** The signer's certificate is one our PKI issued or imported (matched by the SHA-256 of its DER). */
  readonly knownCertificate: boolean;
  /** When our PKI revoked that certificate; null when it has not. */
  readonly certificateRevokedAt: Date | null;
  /** The seal bound to that certificate, when there is one. */
  readonly seal: RegisteredSeal | null;
}

/** A ledger record that holds this file's SHA-256. */
export interface LedgerAnchor {
  readonly evidenceId: string;
  readonly type: string;
  readonly transactionId: string;
  readonly blockNumber: string | null;
  readonly recordedAt: string;
  /** The block-inclusion proof checked out (embedded ledger); null where the ledger cannot prove (Fabric). */
  readonly proofValid: boolean | null;
}

/** The verifier's report, and what our registries add when the document is one of ours. */
export interface VerificationResult {
  /** Exactly what the verifier's `verify` (PDF or OFD) reported, against this service's root CA. */
  readonly report: VerificationReport;
  /** The licence this document is, with its registry status; null when it is none of ours. */
  readonly licence: RegisteredLicence | null;
  /** One per `report.signatures` entry, same order. */
  readonly signatures: readonly SignatureRegistration[];
  /** Ledger records holding this file's SHA-256; null when the ledger could not be asked. */
  readonly ledger: readonly LedgerAnchor[] | null;
}

export interface VerificationServiceOptions {
  readonly prisma: PrismaClient;
  readonly pki: PkiService;
  readonly seals: SealService;
  readonly licences: LicenceService;
  readonly ledger: LedgerService;
  /** Largest document accepted, bytes; capped at the verifier's own `maxFileBytes`. */
  readonly maxBytes: number;
  readonly log: Logger;
}

/**
 * Verifies any PDF or OFD for anyone: the verifier's report against this service's root CA
 * (offline: no URL in an upload is ever fetched), then, when the file is one of ours, the
 * licence's registry status, the registered seal behind each signature and its state, and
 * the ledger records of the file. The enrichment is what the public status page shows (no
 * face data, the holder masked) whoever asks. Nothing of the upload is stored.
 */
export class VerificationService {
  readonly #prisma: PrismaClient;
  readonly #pki: PkiService;
  readonly #seals: SealService;
  readonly #licences: LicenceService;
  readonly #ledger: LedgerService;
  readonly #log: Logger;
  readonly maxBytes: number;

  constructor(options: Readonly<VerificationServiceOptions>) {
    this.#prisma = options.prisma;
    this.#pki = options.pki;
    this.#seals = options.seals;
    this.#licences = options.licences;
    this.#ledger = options.ledger;
    this.#log = options.log;
    this.maxBytes = Math.min(options.maxBytes, DEFAULT_LIMITS.maxFileBytes);
  }

  /**
   * Verifies `document`, a PDF or an OFD (told apart by its bytes, as the verifier's
   * `verify` does). Any actor may; the enrichment is the public view for every actor, the
   * same for both formats: the registry and the ledger know a file by its SHA-256, and a
   * signer by its certificate's.
   *
   * @param at - Validation time. @default now
   * @throws {@link PdfTooLargeError} over {@link VerificationService.maxBytes}.
   * @throws {@link NotAPdfError} neither a `%PDF-` header nor a zip package: not a PDF or
   *   an OFD at all. A damaged one is not refused: its report says UNREADABLE.
   * @example
   * const { report, licence } = await services.verification.verify(PUBLIC, bytes);
   */
  async verify(_actor: Actor, document: Uint8Array, at?: Date): Promise<VerificationResult> {
    if (document.length > this.maxBytes) throw new PdfTooLargeError({ field: 'pdf', maxBytes: this.maxBytes });
    if (!hasPdfHeader(document) && sniffFormat(document) !== 'OFD') throw new NotAPdfError({ field: 'pdf' });
    const trust = [await this.#pki.rootCertificate()];
    // An OFD carries no validation data (PDF: the DSS): our SM2 root, SM2 CAs and their CRLs go with it.
    const sm2 = sniffFormat(document) === 'OFD' ? await this.#sm2ValidationData() : undefined;
    // CPU-bound: on a worker thread, so the event loop keeps serving; callers still bound
    // how many wait at once (HTTP: RateLimiter.slot).
    const report = await cpuPool().run('verify', { document, trust: [...trust, ...(sm2?.trust ?? [])], ...(sm2 ? { certificates: sm2.certificates, crls: sm2.crls } : {}), ...(at ? { at } : {}) }, {});
    metrics().verifications.inc({ verdict: report.document.verdict });
    const sha256 = report.document.sha256;
    const [licence, signatures, ledger] = await Promise.all([
      report.document.verdict === 'UNREADABLE' ? null : this.#licenceOf(sha256),
      Promise.all(report.signatures.map((s) => this.#registrationOf(s.fieldName, s.signer?.sha256))),
      this.#anchorsOf(sha256),
    ]);
    return { report, licence, signatures, ledger };
  }

  /** The SM2 root, if this installation has one, the department SM2 CAs under it, and the current CRL of each. */
  async #sm2ValidationData(): Promise<{ trust: Uint8Array[]; certificates: Uint8Array[]; crls: Uint8Array[] }> {
    const cas = await this.#prisma.certificate.findMany({ where: { role: { in: ['sm2-root', 'sm2-department-ca'] } }, select: { id: true, role: true, der: true } });
    return {
      trust: cas.filter((c) => c.role === 'sm2-root').map((c) => c.der),
      certificates: cas.filter((c) => c.role !== 'sm2-root').map((c) => c.der),
      crls: await Promise.all(cas.map(async (c) => (await this.#pki.currentCrl(c.id)).der)),
    };
  }

  async #licenceOf(sha256: string): Promise<RegisteredLicence | null> {
    const issued = await this.#licences.findByDocumentHash(sha256);
    if (!issued) return null;
    const { pageToken } = await this.#prisma.licence.findUniqueOrThrow({ where: { identifier: issued.identifier }, select: { pageToken: true } });
    return { ...issued, match: 'document', statusUrl: this.#licences.statusUrl(pageToken) };
  }

  async #registrationOf(fieldName: string | null, certificateSha256: string | undefined): Promise<SignatureRegistration> {
    const none = { fieldName, knownCertificate: false, certificateRevokedAt: null, seal: null };
    if (!certificateSha256) return none;
    const certificate = await this.#prisma.certificate.findUnique({
      where: { sha256: certificateSha256 },
      select: { revokedAt: true, seals: { select: { sealId: true }, take: 1 } },
    });
    if (!certificate) return none;
    const sealId = certificate.seals[0]?.sealId;
    const seal = sealId ? await this.#seals.get(sealId) : undefined;
    return {
      fieldName,
      knownCertificate: true,
      certificateRevokedAt: certificate.revokedAt,
      seal: seal
        ? { id: seal.id, name: seal.name, departmentId: seal.departmentId, state: seal.state, stateChangedAt: seal.stateChangedAt, validFrom: seal.validFrom, validTo: seal.validTo }
        : null,
    };
  }

  async #anchorsOf(sha256: string): Promise<LedgerAnchor[] | null> {
    try {
      return (await this.#ledger.verifyDocument(sha256)).map(({ record, blockNumber, proof }) => ({
        evidenceId: record.evidenceId,
        type: record.type,
        transactionId: record.txId,
        blockNumber: blockNumber?.toString() ?? null,
        recordedAt: record.recordedAt,
        proofValid: proof ? proof.valid : null,
      }));
    } catch (e) {
      // The report stands without the ledger: say "could not ask", never fail the verification.
      this.#log.warn('ledger lookup for a verification failed', { error: (e as Error).message });
      return null;
    }
  }
}

/** ISO 32000-1 §7.5.2 puts `%PDF-` first; readers accept it within the first 1024 bytes. */
function hasPdfHeader(pdf: Uint8Array): boolean {
  return Buffer.from(pdf.buffer, pdf.byteOffset, Math.min(pdf.length, 1024)).includes('%PDF-');
}
