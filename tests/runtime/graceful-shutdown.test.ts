import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startHttpService } from '../../gateway/http/start-http-service.ts';
import { listen, requestListener } from '../../gateway/http/server.ts';
import { Router } from '../../gateway/http/router.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { createTestDatabase, dropTestDatabase } from '../support/database.ts';
import { freePort } from '../support/net.ts';

const silent = createLogger({ level: 'silent' });

/** Answers once the connection is refused or accepted: what a new client sees. */
function connects(url: URL): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve('accepted');
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'accepted'));
  });
}

/** A raw POST whose body the test sends in two halves, so it is in flight for as long as the test wants. */
function slowPost(url: URL, headers: Record<string, string>, body: Buffer) {
  const half = Math.floor(body.length / 2);
  let answered: (r: { status: number; body: string }) => void;
  const response = new Promise<{ status: number; body: string }>((resolve) => (answered = resolve));
  const req = http.request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
    let text = '';
    res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => answered({ status: res.statusCode!, body: text }));
  });
  req.on('error', (e) => answered({ status: 0, body: String(e) }));
  req.write(body.subarray(0, half));
  return { response, finish: () => req.end(body.subarray(half)) };
}

describe('graceful shutdown', () => {
  it('the HTTP server: refuses new connections at once, lets a request in flight finish with 200, closes idle keep-alive sockets without waiting for the grace', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const router = new Router()
      .get('/hold', async (_req, res) => {
        entered();
        await new Promise<void>((r) => (release = r));
        res.end('done');
      })
      .get('/quick', (_req, res) => {
        res.end('ok');
      });
    const server = await listen(requestListener(router, silent), '127.0.0.1', 0, { shutdownGraceMs: 30_000 });
    const agent = new http.Agent({ keepAlive: true });
    // A keep-alive connection left idle in the agent's pool.
    await new Promise<void>((resolve) => http.get(new URL('quick', server.url), { agent }, (res) => res.resume().on('end', resolve)));
    const held = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve) =>
      http.get(new URL('hold', server.url), { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
      }),
    );
    await inside;

    const started = Date.now();
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(await connects(new URL('quick', server.url))).toBe('refused');
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    release();
    expect(await held).toEqual({ status: 200, body: 'done', connection: 'close' });
    await closing;
    expect(Date.now() - started).toBeLessThan(5_000);
    agent.destroy();
  });

  it('the HTTP server: cuts a request still running when the grace period ends', async () => {
    const router = new Router().get('/forever', () => new Promise<void>(() => {}));
    const server = await listen(requestListener(router, silent), '127.0.0.1', 0, { shutdownGraceMs: 200 });
    const held = new Promise<string>((resolve) => http.get(new URL('forever', server.url), { agent: false }, () => resolve('answered')).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error')));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await held).toBe('ECONNRESET');
  });

  describe('the whole service (zhengyin start)', () => {
    const state: { name?: string; dir?: string } = {};
    afterAll(async () => {
      if (state.name) await dropTestDatabase(state.name);
      if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
    });

    it('a verify upload in flight when the stop begins completes with 200, new connections are refused, and the stop completes', async () => {
      const { db, url, name } = await createTestDatabase();
      await db.close();
      state.name = name;
      state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-stop-'));
      const port = await freePort();
      const config = readConfig({ ZHENGYIN_DATA_DIR: state.dir, ZHENGYIN_PORT: String(port), DATABASE_URL: url, ZHENGYIN_DEMO: 'off', ZHENGYIN_SHUTDOWN_GRACE_MS: '30000' });
      const service = await startHttpService({ config, log: silent, out: new Writable({ write: (_c, _e, done) => done() }) });

      const boundary = 'zhengyin-boundary';
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: 'mutation($file: Upload!) { verifyPdf(file: $file) { verdict } }', variables: { file: null } })}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const upload = slowPost(new URL('graphql', service.url), { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-zhengyin-csrf': '1' }, body);
      await new Promise((r) => setTimeout(r, 300)); // the first half is on the server

      const stopping = service.stop();
      await new Promise((r) => setTimeout(r, 100));
      expect(await connects(new URL('healthz', service.url))).toBe('refused');
      upload.finish();
      const answer = await upload.response;
      expect(answer.status, answer.body).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ data: { verifyPdf: { verdict: 'UNREADABLE' } } });
      await stopping;
    }, 60_000);
  });
});
