import { SignerError } from '../errors.ts';

/** A caller passed a value the PKI cannot use. Names the field and the standard. */
export class PkiInputError extends SignerError {
  readonly code = 'INVALID_PKI_INPUT';
  readonly field: string;
  readonly standard: string | undefined;

  constructor(p: Readonly<{ field: string; message: string; standard?: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.field = p.field;
    this.standard = p.standard;
  }
}

/** Identifies a certificate in an error without carrying its bytes. */
export interface CertificateRef {
  /** The service's id of the certificate, when it has one. */
  readonly certificateId?: string;
  /** Serial number, lower-case hex. */
  readonly serial: string;
  /** Subject, RFC 4514. */
  readonly subject: string;
}

/**
 * The certificate, or a CA above it, is revoked: it cannot sign (RFC 5280 §6.3). Nothing
 * was signed.
 */
export class CertificateRevokedError extends SignerError {
  readonly code = 'CERTIFICATE_REVOKED';
  readonly certificate: CertificateRef;
  readonly revokedAt: Date;
  /** CRLReason name (RFC 5280 §5.3.1). */
  readonly reason: string;

  constructor(p: Readonly<{ certificate: CertificateRef; revokedAt: Date; reason: string }>) {
    super(`certificate ${p.certificate.subject} (serial ${p.certificate.serial}) was revoked at ${p.revokedAt.toISOString()} (${p.reason})`);
    this.certificate = p.certificate;
    this.revokedAt = p.revokedAt;
    this.reason = p.reason;
  }
}

/**
 * The certificate, or a CA above it, is outside its validity period (RFC 5280 §4.1.2.5)
 * at the moment of use. Nothing was signed. Caught as a family; the subclass says which end.
 */
export abstract class CertificateValidityError extends SignerError {
  abstract override readonly code: 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_NOT_YET_VALID';
  readonly certificate: CertificateRef;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly at: Date;

  constructor(p: Readonly<{ certificate: CertificateRef; notBefore: Date; notAfter: Date; at: Date }>, message: string) {
    super(`certificate ${p.certificate.subject} (serial ${p.certificate.serial}) ${message}`);
    this.certificate = p.certificate;
    this.notBefore = p.notBefore;
    this.notAfter = p.notAfter;
    this.at = p.at;
  }
}

/** After notAfter: renew the certificate. */
export class CertificateExpiredError extends CertificateValidityError {
  readonly code = 'CERTIFICATE_EXPIRED';

  constructor(p: Readonly<{ certificate: CertificateRef; notBefore: Date; notAfter: Date; at: Date }>) {
    super(p, `expired at ${p.notAfter.toISOString()}`);
  }
}

/** Before notBefore: the certificate is not usable yet. */
export class CertificateNotYetValidError extends CertificateValidityError {
  readonly code = 'CERTIFICATE_NOT_YET_VALID';

  constructor(p: Readonly<{ certificate: CertificateRef; notBefore: Date; notAfter: Date; at: Date }>) {
    super(p, `is not valid before ${p.notBefore.toISOString()}`);
  }
}

/** A PKCS#12 file (RFC 7292) is malformed, unsupported, or lacks a key with its certificate. */
export class Pkcs12Error extends SignerError {
  readonly code: 'INVALID_PKCS12' | 'INVALID_PKCS12_PASSWORD';

  constructor(p: Readonly<{ message: string; badPassword?: boolean; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.code = p.badPassword ? 'INVALID_PKCS12_PASSWORD' : 'INVALID_PKCS12';
  }
}

/**
 * Our time-stamp authority refused the request with a PKIStatus other than granted
 * (RFC 3161 §2.4.2). A client's failure to obtain a usable token is the PAdES
 * `TimestampError` (TIMESTAMP_FAILED).
 */
export class TimestampRejectedError extends SignerError {
  readonly code = 'TIMESTAMP_REJECTED';
  /** PKIStatus: 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification. */
  readonly status: number;
  /** PKIFailureInfo names, e.g. ['badAlg']. */
  readonly failInfo: readonly string[];

  constructor(p: Readonly<{ status: number; failInfo: readonly string[]; message: string }>) {
    super(p.message);
    this.status = p.status;
    this.failInfo = p.failInfo;
  }
}
