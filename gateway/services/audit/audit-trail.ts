import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { requireOperator, type Actor } from '../actor.ts';

/** One line of the audit trail: who did what to which ids, and how it ended. */
export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  /** 'operator' (the CLI) | 'department' | 'public'. */
  readonly actorKind: Actor['kind'];
  /** `--actor NAME`, or the OS user who ran the command. */
  readonly actorName: string;
  /** e.g. 'licence.issue', 'licence.revoke'. */
  readonly action: string;
  /** Ids of what was acted on: licence identifiers, seal ids. Never personal data. */
  readonly targets: readonly string[];
  /** 'ok', or the failure's stable code. */
  readonly outcome: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditTrailOptions {
  readonly prisma: PrismaClient;
}

/**
 * The append-only record of who changed state (a database trigger refuses UPDATE and
 * DELETE on its table). Holds actions, ids and outcomes only: no secrets, no face data,
 * no holder names, no free-text reasons.
 */
export class AuditTrail {
  readonly #prisma: PrismaClient;

  constructor(options: Readonly<AuditTrailOptions>) {
    this.#prisma = options.prisma;
  }

  async record(entry: NewAuditEntry): Promise<void> {
    await this.#prisma.auditEntry.create({
      data: { actorKind: entry.actorKind, actorName: entry.actorName.slice(0, 200), action: entry.action, targets: [...entry.targets] as Prisma.InputJsonValue, outcome: entry.outcome },
    });
  }

  /** The newest entries first; the operator only. */
  async list(actor: Actor, filter: { action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    requireOperator(actor, 'read the audit trail');
    const rows = await this.#prisma.auditEntry.findMany({
      where: filter.action ? { action: filter.action } : {},
      orderBy: { id: 'desc' },
      take: Math.min(Math.max(filter.limit ?? 50, 1), 1000),
    });
    return rows.map((r) => ({
      id: r.id.toString(),
      at: r.at,
      actorKind: r.actorKind as Actor['kind'],
      actorName: r.actorName,
      action: r.action,
      targets: r.targets as string[],
      outcome: r.outcome,
    }));
  }
}
