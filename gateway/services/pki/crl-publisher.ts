import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { issueCrl, type KeyStore } from '../../../signer/index.ts';
import type { Database } from '../../runtime/database.ts';
import type { CertificateStore } from './certificate-store.ts';
import { bytes } from '../../util.ts';
import { withPkiLock } from './pki-lock.ts';
import { validity } from './policy.ts';
import type { RevocationWatch } from './revocation-watch.ts';

/** A CRL as issued and stored (the `crl` table). */
export interface IssuedCrl {
  readonly issuerId: string;
  readonly number: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly der: Uint8Array;
}

/**
 * Each CA's current CRL (RFC 5280 §5): re-issued with the next cRLNumber when older than
 * a day or when a certificate of the CA was revoked since, stored so that a number always
 * has the same bytes, and kept in memory while the revocation watch says nothing changed.
 */
export class CrlPublisher {
  readonly #db: Pick<Database, 'prisma' | 'pool'>;
  readonly #prisma: PrismaClient;
  readonly #certificates: CertificateStore;
  readonly #keys: KeyStore;
  readonly #watch: () => RevocationWatch | undefined;
  /** The last CRL per CA, with the revocation-watch generation it was read under. */
  readonly #cached = new Map<string, { crl: IssuedCrl; generation: number }>();

  constructor(p: Readonly<{ db: Pick<Database, 'prisma' | 'pool'>; certificates: CertificateStore; keys: KeyStore; watch: () => RevocationWatch | undefined }>) {
    this.#db = p.db;
    this.#prisma = p.db.prisma;
    this.#certificates = p.certificates;
    this.#keys = p.keys;
    this.#watch = p.watch;
  }

  /** @throws {@link NotFoundError} No such CA. */
  async current(caId: string): Promise<IssuedCrl> {
    const watch = this.#watch();
    const generation = watch?.generation;
    const cached = this.#cached.get(caId);
    if (cached && watch?.isLive && cached.generation === generation && Date.now() - cached.crl.thisUpdate.getTime() < validity.crlRefreshAfter) {
      return cached.crl;
    }
    const crl = await this.#fromDatabase(caId);
    if (generation !== undefined) this.#cached.set(caId, { crl, generation });
    return crl;
  }

  async #fromDatabase(caId: string): Promise<IssuedCrl> {
    const ca = await this.#certificates.ca(caId);
    const fresh = await this.#fresh(caId);
    if (fresh) return fresh;
    return withPkiLock(this.#db, async () => {
      const again = await this.#fresh(caId);
      if (again) return again;
      const latest = await this.#prisma.crl.findFirst({ where: { issuerId: caId }, orderBy: { number: 'desc' } });
      const revoked = await this.#certificates.revokedBy(caId);
      // Strictly after the previous CRL, so that "revoked since" compares cleanly.
      const thisUpdate = new Date(Math.max(Date.now(), (latest?.thisUpdate.getTime() ?? 0) + 1));
      const nextUpdate = new Date(thisUpdate.getTime() + validity.crl);
      const number = (latest?.number ?? 0) + 1;
      const der = await issueCrl({
        issuer: { certificate: ca.info, key: await this.#keys.signingKey(ca.record.keyId!) },
        number,
        thisUpdate,
        nextUpdate,
        revoked: revoked.map((r) => ({ serial: r.serial, revokedAt: r.revokedAt!, reason: r.revocationReason ?? 'unspecified' })),
      });
      return crlOf(await this.#prisma.crl.create({ data: { issuerId: caId, number, thisUpdate, nextUpdate, der: bytes(der) } }));
    });
  }

  /** The newest stored CRL if it is young enough and no certificate of the CA was revoked after it. */
  async #fresh(caId: string): Promise<IssuedCrl | undefined> {
    const latest = await this.#prisma.crl.findFirst({ where: { issuerId: caId }, orderBy: { number: 'desc' } });
    if (!latest || Date.now() - latest.thisUpdate.getTime() >= validity.crlRefreshAfter) return undefined;
    const revokedSince = await this.#prisma.certificate.count({ where: { issuerId: caId, revokedAt: { gte: latest.thisUpdate } } });
    return revokedSince === 0 ? crlOf(latest) : undefined;
  }
}

function crlOf(row: { issuerId: string; number: number; thisUpdate: Date; nextUpdate: Date; der: Uint8Array }): IssuedCrl {
  return { issuerId: row.issuerId, number: row.number, thisUpdate: row.thisUpdate, nextUpdate: row.nextUpdate, der: new Uint8Array(row.der) };
}
