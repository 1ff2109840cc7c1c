import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { crlReasonName, type CrlReason } from '../../../signer/index.ts';

/**
 * certificate.role. The SM2 hierarchy (商用密码) has its own root and department CAs beside
 * the ECDSA ones; its seal and OCSP certificates share the roles 'seal' and 'ocsp'.
 */
export type CertificateRole = 'root' | 'department-ca' | 'sm2-root' | 'sm2-department-ca' | 'seal' | 'tsa' | 'ocsp' | 'imported';

/** A certificate as the service keeps it (the `certificate` table), without its key. */
export interface CertificateRecord {
  readonly id: string;
  readonly role: CertificateRole;
  /** Lower-case hex without leading zeros. */
  readonly serial: string;
  /** RFC 4514. */
  readonly subject: string;
  readonly issuerId: string | undefined;
  readonly departmentId: string | undefined;
  readonly keyId: string | undefined;
  readonly der: Uint8Array;
  readonly sha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly revokedAt: Date | undefined;
  readonly revocationReason: CrlReason | undefined;
}

type PrismaCertificateRow = NonNullable<Awaited<ReturnType<PrismaClient['certificate']['findUnique']>>>;

/** The columns of a `certificate` row that a record is made of, as Prisma names them. */
export type CertificateRow = Omit<PrismaCertificateRow, 'createdAt'>;

/** The one mapper from a `certificate` row (Prisma's, or raw SQL selecting {@link CERTIFICATE_COLUMNS}) to a record. */
export function toCertificateRecord(row: CertificateRow): CertificateRecord {
  return {
    id: row.id,
    role: row.role as CertificateRole,
    serial: row.serial,
    subject: row.subject,
    issuerId: row.issuerId ?? undefined,
    departmentId: row.departmentId ?? undefined,
    keyId: row.keyId ?? undefined,
    der: new Uint8Array(row.der),
    sha256: row.sha256,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    revokedAt: row.revokedAt ?? undefined,
    revocationReason: row.revocationReason === null ? undefined : crlReasonName(row.revocationReason),
  };
}

// Raw SQL (a recursive query Prisma cannot express) selects the columns under Prisma's
// names so that one mapper serves both. Prisma writes DateTime into `timestamp(3)`
// (without time zone) as UTC; `AT TIME ZONE 'UTC'` turns it into a timestamptz, which pg
// reads as the right instant whatever TZ is.
export const CERTIFICATE_COLUMNS = `id, role, serial, subject, issuer_id AS "issuerId", department_id AS "departmentId",
  key_id AS "keyId", der, sha256,
  not_before AT TIME ZONE 'UTC' AS "notBefore", not_after AT TIME ZONE 'UTC' AS "notAfter",
  revoked_at AT TIME ZONE 'UTC' AS "revokedAt", revocation_reason AS "revocationReason"`;
