import type { PrismaClient } from '../../prisma/generated/client.ts';
import { crlReasonName, isKeyAlgorithm, PkiInputError, type CrlReason, type KeyStorage, type StoredKey } from '../../signer/index.ts';
import type { Database } from '../runtime/database.ts';

/** certificate.role */
export type CertificateRole = 'root' | 'department-ca' | 'seal' | 'tsa' | 'ocsp' | 'imported';

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

type CertificateRow = NonNullable<Awaited<ReturnType<PrismaClient['certificate']['findUnique']>>>;

export function toRecord(row: CertificateRow): CertificateRecord {
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

/** The certificate columns as raw SQL returns them; timestamps converted to UTC instants. */
export const SQL_COLUMNS = `id, role, serial, subject, issuer_id, department_id, key_id, der, sha256,
  not_before AT TIME ZONE 'UTC' AS not_before, not_after AT TIME ZONE 'UTC' AS not_after,
  revoked_at AT TIME ZONE 'UTC' AS revoked_at, revocation_reason`;

export interface SqlCertificateRow {
  id: string;
  role: string;
  serial: string;
  subject: string;
  issuer_id: string | null;
  department_id: string | null;
  key_id: string | null;
  der: Buffer;
  sha256: string;
  not_before: Date;
  not_after: Date;
  revoked_at: Date | null;
  revocation_reason: number | null;
}

// Prisma writes DateTime into `timestamp(3)` (without time zone) as UTC; `AT TIME ZONE
// 'UTC'` turns it into a timestamptz, which pg reads as the right instant whatever TZ is.
export function fromSql(row: SqlCertificateRow): CertificateRecord {
  return toRecord({
    id: row.id,
    role: row.role,
    serial: row.serial,
    subject: row.subject,
    issuerId: row.issuer_id,
    departmentId: row.department_id,
    keyId: row.key_id,
    der: new Uint8Array(row.der),
    sha256: row.sha256,
    notBefore: row.not_before,
    notAfter: row.not_after,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    createdAt: new Date(0),
  });
}

/** Sealed keys in the key_record table. */
export class PrismaKeyStorage implements KeyStorage {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  async insert(key: StoredKey): Promise<void> {
    await this.#prisma.keyRecord.create({
      data: { id: key.id, algorithm: key.algorithm, publicKey: bytes(key.publicKey), sealed: bytes(key.sealed), kekId: key.kekId },
    });
  }

  async get(id: string): Promise<StoredKey | undefined> {
    const row = await this.#prisma.keyRecord.findUnique({ where: { id } });
    if (!row) return undefined;
    if (!isKeyAlgorithm(row.algorithm)) {
      throw new PkiInputError({ field: 'key_record.algorithm', message: `key ${id} has an unknown algorithm "${row.algorithm}"` });
    }
    return { id: row.id, algorithm: row.algorithm, publicKey: new Uint8Array(row.publicKey), sealed: new Uint8Array(row.sealed), kekId: row.kekId };
  }
}

/** Prisma's Bytes are Uint8Array over an ArrayBuffer (not a SharedArrayBuffer). */
export const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

// One PostgreSQL advisory lock key for every PKI change that must not run twice at once
// across processes (bootstrap, a department's first CA, responder renewal, CRL numbers).
const PKI_LOCK = 0x7a79_504b_49n; // "zyPKI"

/** Runs `fn` holding the PKI advisory lock (session-level, on its own pool connection). */
export async function withPkiLock<T>(db: Pick<Database, 'pool'>, fn: () => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [PKI_LOCK.toString()]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [PKI_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
