import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Ledger } from '../../../ledger/index.ts';
import type { OperationsConfig } from '../../runtime/config.ts';
import type { Database } from '../../runtime/database.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import { checkReadiness } from '../../runtime/readiness.ts';
import { HttpError, send, sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

export interface OperationsRouteOptions {
  readonly db: Database;
  readonly ledger: Ledger;
  readonly metrics: Metrics;
  readonly config: OperationsConfig;
}

/**
 * `/readyz` (readiness: database, ledger, outbox backlog; 503 when not ready) and
 * `/metrics` (Prometheus text). `/healthz`, the liveness probe, stays in the app.
 */
export function operationsRoutes(router: Router, options: Readonly<OperationsRouteOptions>): void {
  const { db, ledger, metrics, config } = options;
  router.get('/readyz', async (_req, res) => {
    const r = await checkReadiness({ pool: db.pool, ledger, maxBacklogMs: config.readyMaxBacklogMs });
    sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks }, { 'cache-control': 'no-store' });
  });
  router.get('/metrics', async (req, res) => {
    mayReadMetrics(req, config.metricsToken);
    send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType, { 'cache-control': 'no-store' });
  });
}

/**
 * Metrics name routes, volumes and backlog: operational data for the operator only. With
 * a token configured every client must present it (a reverse proxy on the same host makes
 * every client look local); without one, only loopback clients may read them.
 * @throws {@link HttpError} 401 without the right token, 403 from a non-loopback client.
 */
export function mayReadMetrics(req: Pick<IncomingMessage, 'headers' | 'socket'>, token: string | undefined): void {
  if (token !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint of the token's length.
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
      throw new HttpError(401, 'UNAUTHENTICATED', '/metrics requires Authorization: Bearer <ZHENGYIN_METRICS_TOKEN>', { 'www-authenticate': 'Bearer' });
    }
    return;
  }
  if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, 'FORBIDDEN', '/metrics answers loopback clients only unless ZHENGYIN_METRICS_TOKEN is set');
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}
