import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, requestListener, type HttpServer } from '../../gateway/http/server.ts';
import { mayReadMetrics, operationsRoutes } from '../../gateway/http/routes/operations.ts';
import { Router } from '../../gateway/http/router.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { metrics } from '../../gateway/runtime/metrics.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { freePort } from '../support/net.ts';
import { gql } from '../graphql/support.ts';

const face = SEED_EXAMPLES.find((e) => e.typeCode === REAL_ESTATE_CERTIFICATE.code)!.face;
const ISSUE = `mutation Issue($input: IssueLicenceInput!) { issueLicence(input: $input) { __typename ... on IssueLicenceSuccess { data { identifier } } } }`;
const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) { verdict } }`;

/** The value of one sample in Prometheus text, e.g. `zhengyin_verifications_total{verdict="VALID"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

function verifyForm(pdf: Uint8Array): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: VERIFY, variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([pdf], { type: 'application/pdf' }), 'x.pdf');
  return form;
}

describe('operations endpoints', () => {
  const t = useTestApp({ ZHENGYIN_READY_MAX_BACKLOG_S: '60' });
  beforeAll(async () => {
    await t.app.seedDemo();
  });

  describe('/readyz', () => {
    it('is ready when the database and ledger answer and the backlog is young, naming each check', async () => {
      const res = await fetch(new URL('readyz', t.url));
      const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.status).toBe('ready');
      expect(body.checks).toMatchObject({ database: { ok: true }, ledger: { ok: true }, outbox: { ok: true, maxAgeSeconds: 60 } });
    });

    it('answers 503 while the oldest pending evidence is older than the threshold, and ready again once it is gone', async () => {
      const evidenceId = `readyz-test-${Date.now()}`;
      // Not due for an hour: the worker leaves it alone, so only its age matters.
      await t.db.pool.query(
        `INSERT INTO outbox (id, evidence_id, kind, payload, created_at, next_attempt_at)
         VALUES (gen_random_uuid(), $1, 'test.stale', '{}'::jsonb, now() - interval '2 hours', now() + interval '1 hour')`,
        [evidenceId],
      );
      try {
        const res = await fetch(new URL('readyz', t.url));
        const body = (await res.json()) as { status: string; checks: { outbox: { ok: boolean; oldestPendingAgeSeconds: number } } };
        expect(res.status).toBe(503);
        expect(body.status).toBe('not ready');
        expect(body.checks.outbox.ok).toBe(false);
        expect(body.checks.outbox.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(7200);
      } finally {
        await t.db.pool.query('DELETE FROM outbox WHERE evidence_id = $1', [evidenceId]);
      }
      expect((await fetch(new URL('readyz', t.url))).status).toBe(200);
    });

    it('answers 503 naming the database when the database does not answer, without its error message', async () => {
      // The same service but its database at a port where nothing listens.
      const gone = new pg.Pool({ host: '127.0.0.1', port: await freePort(), user: 'nobody', database: 'gone', connectionTimeoutMillis: 1000 });
      const router = new Router();
      operationsRoutes(router, { db: { ...t.db, pool: gone }, ledger: t.app.services.ledger.ledger, metrics: metrics(), config: t.config.operations });
      const server = await listen(requestListener(router, createLogger({ level: 'silent' })), '127.0.0.1', 0);
      try {
        const res = await fetch(new URL('readyz', server.url));
        const body = (await res.json()) as { checks: { database: { ok: boolean; error: string }; outbox: { ok: boolean }; ledger: { ok: boolean } } };
        expect(res.status).toBe(503);
        expect(body.checks.database).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
        expect(body.checks.outbox.ok).toBe(false);
        expect(body.checks.ledger.ok).toBe(true);
        expect(JSON.stringify(body)).not.toContain('127.0.0.1');
      } finally {
        await server.close();
        await gone.end();
      }
    });
  });

  describe('/metrics', () => {
    const scrape = async () => {
      const res = await fetch(new URL('metrics', t.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.text();
    };

    it('counts an issuance and a verification, per route and per GraphQL operation, with backlog gauges and process metrics', async () => {
      const before = await scrape();
      const { token } = await t.app.tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'issuer' });
      const issued = await gql(t.url, ISSUE, { token, variables: { input: { type: REAL_ESTATE_CERTIFICATE.name, face } } });
      expect(issued.body.data!.issueLicence.__typename).toBe('IssueLicenceSuccess');
      const pdf = await t.app.services.licences.document(OPERATOR, issued.body.data!.issueLicence.data.identifier);
      const verified = await fetch(new URL('graphql', t.url), { method: 'POST', body: verifyForm(pdf), headers: { 'x-zhengyin-csrf': '1' } });
      expect(((await verified.json()) as { data: { verifyPdf: { verdict: string } } }).data.verifyPdf.verdict).toBe('VALID');
      // A client-chosen operation name does not become a label.
      await gql(t.url, 'query Whatever123 { __typename }');
      const after = await scrape();

      const delta = (series: string) => sample(after, series) - sample(before, series);
      expect(delta('zhengyin_licences_issued_total')).toBe(1);
      expect(delta('zhengyin_signatures_total')).toBeGreaterThanOrEqual(1);
      expect(delta('zhengyin_verifications_total{verdict="VALID"}')).toBe(1);
      expect(delta('zhengyin_graphql_operations_total{operation="mutation.issueLicence",outcome="ok"}')).toBe(1);
      expect(delta('zhengyin_graphql_operations_total{operation="mutation.verifyPdf",outcome="ok"}')).toBe(1);
      expect(delta('zhengyin_graphql_operations_total{operation="query.introspection",outcome="ok"}')).toBe(1);
      expect(after).not.toContain('Whatever123');
      expect(delta('zhengyin_http_requests_total{route="/graphql",method="POST",status="200"}')).toBe(3);
      expect(delta('zhengyin_http_requests_total{route="/metrics",method="GET",status="200"}')).toBe(1);
      expect(after).toMatch(/^zhengyin_http_request_duration_seconds_bucket\{le="0\.005",route="\/graphql",method="POST"\} \d+$/m);
      expect(after).toMatch(/^zhengyin_outbox_pending \d+$/m);
      expect(after).toMatch(/^zhengyin_outbox_oldest_pending_age_seconds [\d.]+$/m);
      expect(after).toMatch(/^zhengyin_process_cpu_seconds_total [\d.e-]+$/m);
    });

    it('labels an unknown path as unmatched, not by its path', async () => {
      await fetch(new URL('no/such/path-4711', t.url));
      const text = await scrape();
      expect(text).not.toContain('path-4711');
      expect(sample(text, 'zhengyin_http_requests_total{route="unmatched",method="GET",status="404"}')).toBeGreaterThanOrEqual(1);
    });

    it('without a token: refuses a client that is not on loopback', () => {
      const from = (remoteAddress: string) => ({ headers: {}, socket: { remoteAddress } }) as unknown as IncomingMessage;
      for (const ok of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(() => mayReadMetrics(from(ok), undefined)).not.toThrow();
      for (const refused of ['203.0.113.9', '::ffff:10.0.0.1', '2001:db8::1']) expect(() => mayReadMetrics(from(refused), undefined)).toThrow(expect.objectContaining({ status: 403 }));
    });

    describe('with ZHENGYIN_METRICS_TOKEN', () => {
      let server: HttpServer;
      beforeAll(async () => {
        const router = new Router();
        operationsRoutes(router, { db: t.db, ledger: t.app.services.ledger.ledger, metrics: metrics(), config: { ...t.config.operations, metricsToken: 's3cret-metrics-token' } });
        server = await listen(requestListener(router, createLogger({ level: 'silent' })), '127.0.0.1', 0);
      });
      afterAll(() => server.close());

      it('refuses every client without the token, loopback included (401), and serves it with the token', async () => {
        const url = new URL('metrics', server.url);
        const none = await fetch(url);
        expect(none.status).toBe(401);
        expect(none.headers.get('www-authenticate')).toBe('Bearer');
        expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
        const ok = await fetch(url, { headers: { authorization: 'Bearer s3cret-metrics-token' } });
        expect(ok.status).toBe(200);
        expect(await ok.text()).toContain('zhengyin_licences_issued_total');
      });
    });
  });
});
