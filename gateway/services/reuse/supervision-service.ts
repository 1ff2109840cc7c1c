import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { requireDepartment, requireOperator, type Actor } from '../actor.ts';
import { REUSED, type Resolution } from './model.ts';

/** 电子监察 figures for one department and one matter. */
export interface SupervisionRow {
  readonly departmentId: string;
  /** 事项编码. */
  readonly matter: string;
  /** Applications (or bundle steps) opened for the matter. */
  readonly opened: number;
  readonly finished: number;
  /** Finished after, or still open past, the promised time limit (承诺时限). */
  readonly overdue: number;
  /** Materials of finished matters obtained without the applicant handing them in again (shared licence, earlier material, ledger). */
  readonly materialsReused: number;
  /** Materials of finished matters the applicant uploaded. */
  readonly materialsUploaded: number;
  /** Shared content released to the department for the matter. */
  readonly accessesMade: number;
  /** Requests for shared content refused (no authorisation, no grant, no use cause, …). */
  readonly accessesRefused: number;
}

export interface SupervisionServiceOptions {
  readonly prisma: PrismaClient;
}

/**
 * Electronic supervision (电子监察): per department and matter, what was opened, finished
 * and overdue, what was reused rather than asked for, and what shared access was made or
 * refused. Read from the application and access tables at each call, so several gateways
 * agree.
 */
export class SupervisionService {
  readonly #prisma: PrismaClient;

  constructor(options: Readonly<SupervisionServiceOptions>) {
    this.#prisma = options.prisma;
  }

  /**
   * The figures, for one department (its own staff, or the operator) or every department (the operator).
   * @throws `ForbiddenError`
   */
  async report(actor: Actor, options: Readonly<{ departmentId?: string; now?: Date }> = {}): Promise<SupervisionRow[]> {
    if (options.departmentId !== undefined) requireDepartment(actor, options.departmentId, 'read supervision figures');
    else requireOperator(actor, 'read every department’s supervision figures');
    return this.figures(options.departmentId, options.now);
  }

  /** The figures without an actor check: for the metrics scrape, which has its own access control. */
  async figures(departmentId?: string, now = new Date()): Promise<SupervisionRow[]> {
    const where = departmentId === undefined ? {} : { departmentId };
    const [steps, accesses] = await Promise.all([
      this.#prisma.applicationMatter.findMany({ where, select: { departmentId: true, matter: true, dueAt: true, finishedAt: true, outcome: true } }),
      this.#prisma.shareAccess.groupBy({ by: ['departmentId', 'matter', 'outcome'], where, _count: { _all: true } }),
    ]);
    const rows = new Map<string, { -readonly [K in keyof SupervisionRow]: SupervisionRow[K] }>();
    const row = (d: string, m: string) => {
      const key = `${d}\u0000${m}`;
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { departmentId: d, matter: m, opened: 0, finished: 0, overdue: 0, materialsReused: 0, materialsUploaded: 0, accessesMade: 0, accessesRefused: 0 }));
      return r;
    };
    for (const s of steps) {
      const r = row(s.departmentId, s.matter);
      r.opened++;
      if (s.finishedAt) r.finished++;
      if ((s.finishedAt ?? now).getTime() > s.dueAt.getTime()) r.overdue++;
      // finishMatter keeps a material handed in for this very matter as 'UPLOADED'.
      for (const line of (s.outcome as { resolution: Resolution | 'UPLOADED' }[] | null) ?? []) {
        if (line.resolution === 'UPLOADED') r.materialsUploaded++;
        else if (REUSED.has(line.resolution)) r.materialsReused++;
      }
    }
    for (const a of accesses) {
      const r = row(a.departmentId, a.matter);
      if (a.outcome === 'released') r.accessesMade += a._count._all;
      else r.accessesRefused += a._count._all;
    }
    return [...rows.values()].sort((a, b) => (a.departmentId === b.departmentId ? (a.matter < b.matter ? -1 : 1) : a.departmentId < b.departmentId ? -1 : 1));
  }
}
