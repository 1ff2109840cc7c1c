import { isZhengyinError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import type { Logger } from '../../runtime/logger.ts';

/** A serial (流水号) that was consumed without becoming a licence: void (作废), with why. */
export interface SerialVoid {
  readonly typeCode: string;
  /** 颁发机构代码. */
  readonly issuerCode: string;
  /** 7 digits, as in the identifier. */
  readonly serial: string;
  /** The 证照标识 the licence would have had. */
  readonly identifier: string;
  /** The failure's stable code; 'INTERRUPTED' when the issuance never finished (process stopped, or still running). */
  readonly code: string;
  readonly reason: string;
  readonly voidedAt: Date;
}

export interface SerialAllocation<M> {
  readonly typeCode: string;
  readonly issuerCode: string;
  readonly serial: string;
  /** What `build` made of the serial. */
  readonly made: M;
}

export interface SerialRegisterOptions {
  readonly prisma: PrismaClient;
  readonly log: Logger;
}

/** What a void row says until the issuance stores its licence or records its failure. */
export const INTERRUPTED = { code: 'INTERRUPTED', reason: 'issuance stopped after the serial was allocated and before the licence was stored' } as const;

/** Short transactions wait for a connection and a lock while other issuances sign on the same event loop. */
const SHORT_TRANSACTION = { maxWait: 60_000, timeout: 60_000 } as const;

/**
 * The register of licence serials per type and issuing authority, as a paper register
 * keeps it: numbers are handed out in order and never reused, and a number whose
 * issuance failed is entered as void (作废) with its reason. Every number below the
 * counter is either a licence or a {@link SerialVoid}.
 *
 * The counter row is locked only for the allocation's own short transaction, so
 * issuances of one type by one department sign in parallel.
 */
export class SerialRegister {
  readonly #prisma: PrismaClient;
  readonly #log: Logger;

  constructor(options: Readonly<SerialRegisterOptions>) {
    this.#prisma = options.prisma;
    this.#log = options.log;
  }

  /**
   * Takes the next serial and, in the same transaction, enters it as void 'INTERRUPTED'
   * under the identifier `build` gives it, so that a process that stops before storing
   * leaves a void entry, never a gap. If `build` throws, nothing is consumed.
   */
  async allocate<M>(key: { typeCode: string; issuerCode: string }, build: (serial: string) => M & { identifier: string }): Promise<SerialAllocation<M>> {
    return this.#prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ serial: number }[]>`
        INSERT INTO licence_serial (type_code, issuer_code, next) VALUES (${key.typeCode}, ${key.issuerCode}, 2)
        ON CONFLICT (type_code, issuer_code) DO UPDATE SET next = licence_serial.next + 1
        RETURNING next - 1 AS serial`;
      const number = rows[0]!.serial;
      const serial = String(number).padStart(7, '0');
      const made = build(serial);
      await tx.licenceSerialVoid.create({ data: { ...key, serial: number, identifier: made.identifier, ...INTERRUPTED } });
      return { ...key, serial, made };
    }, SHORT_TRANSACTION);
  }

  /** In the transaction that stores the licence: the serial is a licence, not void. */
  async settle(tx: Prisma.TransactionClient, allocation: SerialAllocation<unknown>): Promise<void> {
    await tx.licenceSerialVoid.delete({ where: { typeCode_issuerCode_serial: keyOf(allocation) } });
  }

  /**
   * The issuance failed after allocation: the void entry takes the failure's code and
   * message. Never throws: if the database cannot be reached the entry stays 'INTERRUPTED'.
   */
  async void(allocation: SerialAllocation<unknown>, cause: unknown): Promise<void> {
    const code = isZhengyinError(cause) ? cause.code : 'INTERNAL';
    const reason = (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)).slice(0, 500);
    try {
      await this.#prisma.licenceSerialVoid.update({ where: { typeCode_issuerCode_serial: keyOf(allocation) }, data: { code, reason, voidedAt: new Date() } });
    } catch (e) {
      this.#log.error('could not record a void serial; it stays INTERRUPTED', { serial: allocation.serial, type: allocation.typeCode, error: (e as Error).message });
    }
    this.#log.warn('voided a serial', { serial: allocation.serial, type: allocation.typeCode, issuer: allocation.issuerCode, code });
  }

  /** Void serials, newest first; optionally of one type and/or issuer. */
  async voids(filter: { typeCode?: string; issuerCode?: string; limit?: number } = {}): Promise<SerialVoid[]> {
    const rows = await this.#prisma.licenceSerialVoid.findMany({
      where: { ...(filter.typeCode ? { typeCode: filter.typeCode } : {}), ...(filter.issuerCode ? { issuerCode: filter.issuerCode } : {}) },
      orderBy: [{ voidedAt: 'desc' }, { serial: 'desc' }],
      take: Math.min(Math.max(filter.limit ?? 100, 1), 1000),
    });
    return rows.map((r) => ({ ...r, serial: String(r.serial).padStart(7, '0') }));
  }
}

const keyOf = (a: SerialAllocation<unknown>) => ({ typeCode: a.typeCode, issuerCode: a.issuerCode, serial: Number(a.serial) });
