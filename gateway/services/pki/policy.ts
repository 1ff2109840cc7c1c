import { CertificateExpiredError, CertificateNotYetValidError, CertificateRevokedError, type CertificateRef } from '../../../signer/index.ts';
import { DAY } from '../../util.ts';
import type { CertificateRecord, CertificateRole } from './certificate-record.ts';

const MINUTE = 60_000;
const YEAR = 365 * DAY;

/** How long the service's certificates, CRLs and OCSP answers last. */
export const validity = {
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
  /** notBefore this far in the past: clock skew between signer and relying parties. */
  backdate: 5 * MINUTE,
} as const;

export const CA_ROLES: readonly CertificateRole[] = ['root', 'department-ca', 'sm2-root', 'sm2-department-ca'];
/** The roles whose keys sign documents; CA, TSA and responder keys never leave their use. */
export const SIGNING_ROLES: readonly CertificateRole[] = ['seal', 'imported'];

/** Throws the first reason why the path cannot sign at `at` (RFC 5280 §6.1.3 (a)(2)-(3)). */
export function assertUsable(path: readonly CertificateRecord[], at: Date): void {
  for (const record of path) {
    const ref = { certificateId: record.id, serial: record.serial, subject: record.subject };
    if (record.revokedAt && record.revokedAt <= at) {
      throw new CertificateRevokedError({ certificate: ref, revokedAt: record.revokedAt, reason: record.revocationReason ?? 'unspecified' });
    }
    assertValid(record, ref, at);
  }
}

export function assertValid(period: { notBefore: Date; notAfter: Date }, ref: CertificateRef, at: Date): void {
  if (at < period.notBefore) throw new CertificateNotYetValidError({ certificate: ref, notBefore: period.notBefore, notAfter: period.notAfter, at });
  if (at > period.notAfter) throw new CertificateExpiredError({ certificate: ref, notBefore: period.notBefore, notAfter: period.notAfter, at });
}
