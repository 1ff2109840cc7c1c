import { createRequire } from 'node:module';
import type { Metrics } from '../../runtime/metrics.ts';
import type { SupervisionRow } from './supervision-service.ts';

let read: (() => Promise<SupervisionRow[]>) | undefined;
let pending: Promise<SupervisionRow[] | undefined> | undefined;

/** One read per scrape for every gauge below. */
const figures = () =>
  (pending ??= (read?.() ?? Promise.resolve(undefined))
    .catch(() => undefined)
    .finally(() => setImmediate(() => (pending = undefined))));

/**
 * The 电子监察 figures as Prometheus gauges, read from the database at each scrape (so
 * every gateway on one database reports the same): labelled by department and matter,
 * both bounded by the catalogue. The last app composed in a process wins, as for the
 * outbox gauges.
 */
export function observeSupervision(metrics: Metrics, reader: () => Promise<SupervisionRow[]>): void {
  read = reader;
  const { registry } = metrics;
  if (registry.getSingleMetric('zhengyin_supervision_applications')) return;
  // prom-client loads only where metrics are kept, as in runtime/metrics.ts.
  const prom = createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (set: (labels: Record<L, string>, value: number) => void, rows: SupervisionRow[]) => void) =>
    new prom.Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const rows = await figures();
        if (!rows) return;
        this.reset();
        fill((labels, value) => this.set(labels, value), rows);
      },
    });
  gauge('zhengyin_supervision_applications', 'Applications (or bundle steps) per department and matter, by state: opened, finished, overdue against the promised time limit.', ['department', 'matter', 'state'], (set, rows) => {
    for (const r of rows) {
      set({ department: r.departmentId, matter: r.matter, state: 'opened' }, r.opened);
      set({ department: r.departmentId, matter: r.matter, state: 'finished' }, r.finished);
      set({ department: r.departmentId, matter: r.matter, state: 'overdue' }, r.overdue);
    }
  });
  gauge('zhengyin_supervision_materials', 'Materials of finished matters per department and matter: reused (shared licence, earlier material, ledger) or uploaded.', ['department', 'matter', 'source'], (set, rows) => {
    for (const r of rows) {
      set({ department: r.departmentId, matter: r.matter, source: 'reused' }, r.materialsReused);
      set({ department: r.departmentId, matter: r.matter, source: 'uploaded' }, r.materialsUploaded);
    }
  });
  gauge('zhengyin_supervision_shared_accesses', 'Requests for shared content per department and matter: released or refused.', ['department', 'matter', 'outcome'], (set, rows) => {
    for (const r of rows) {
      set({ department: r.departmentId, matter: r.matter, outcome: 'released' }, r.accessesMade);
      set({ department: r.departmentId, matter: r.matter, outcome: 'refused' }, r.accessesRefused);
    }
  });
}
