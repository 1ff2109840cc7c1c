import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createRequire } from 'node:module';

/** Backlog figures read on each scrape (see {@link Metrics.observeOutbox}). */
export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestPendingAgeMs: number;
}

/**
 * The service's Prometheus metrics, one set per process (prom-client's own registry is not
 * used, so a test or an embedding program sees only these). Label values are bounded: HTTP
 * routes by their pattern, GraphQL operations by schema root field, verdicts by the
 * verifier's closed set.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly graphqlOperations: Counter<'operation' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation'>;
  readonly licencesIssued: Counter;
  readonly signaturesMade: Counter;
  readonly verifications: Counter<'verdict'>;
  /** Sets where the outbox gauges read from on each scrape (the last app composed wins). */
  observeOutbox(read: () => Promise<OutboxBacklog>): void;
}

const requirePackage = createRequire(import.meta.url);
let instance: Metrics | undefined;

/** The process's metrics, built on first use: prom-client loads only in processes that count something. */
export function metrics(): Metrics {
  return (instance ??= build());
}

function build(): Metrics {
  const prom = requirePackage('prom-client') as typeof import('prom-client');
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry, prefix: 'zhengyin_' });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  let readOutbox: (() => Promise<OutboxBacklog>) | undefined;
  // Both gauges come from one query per scrape.
  let pendingScrape: Promise<OutboxBacklog | undefined> | undefined;
  const backlog = () =>
    (pendingScrape ??= (readOutbox?.() ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .finally(() => setImmediate(() => (pendingScrape = undefined))));
  new prom.Gauge({
    name: 'zhengyin_outbox_pending',
    help: 'Evidence records waiting in the outbox for the ledger.',
    registers: [registry],
    async collect() {
      const b = await backlog();
      if (b) this.set(b.pending);
    },
  });
  new prom.Gauge({
    name: 'zhengyin_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest evidence record not yet on the ledger (0 when none).',
    registers: [registry],
    async collect() {
      const b = await backlog();
      if (b) this.set(b.oldestPendingAgeMs / 1000);
    },
  });
  return {
    registry,
    httpRequests: new prom.Counter({ name: 'zhengyin_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status.', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    httpDuration: new prom.Histogram({ name: 'zhengyin_http_request_duration_seconds', help: 'HTTP request latency, by route pattern and method.', labelNames: ['route', 'method'], buckets: seconds, registers: [registry] }),
    graphqlOperations: new prom.Counter({ name: 'zhengyin_graphql_operations_total', help: 'GraphQL operations executed, by root field (unknown or several: bucketed) and outcome.', labelNames: ['operation', 'outcome'], registers: [registry] }),
    graphqlDuration: new prom.Histogram({ name: 'zhengyin_graphql_operation_duration_seconds', help: 'GraphQL execution latency, by root field.', labelNames: ['operation'], buckets: seconds, registers: [registry] }),
    licencesIssued: new prom.Counter({ name: 'zhengyin_licences_issued_total', help: 'Licences issued (signed and stored).', registers: [registry] }),
    signaturesMade: new prom.Counter({ name: 'zhengyin_signatures_total', help: 'Signatures made with a seal or licence key.', registers: [registry] }),
    verifications: new prom.Counter({ name: 'zhengyin_verifications_total', help: 'PDF verifications, by document verdict.', labelNames: ['verdict'], registers: [registry] }),
    observeOutbox: (read) => {
      readOutbox = read;
    },
  };
}
