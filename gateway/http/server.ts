import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isInputErrorCode, isZhengyinError } from '../../common/index.ts';
import { RuntimeError } from '../runtime/errors.ts';
import type { Logger } from '../runtime/logger.ts';
import { HttpError, sendJson } from './respond.ts';
import type { Router } from './router.ts';

export interface HttpServer {
  readonly url: URL;
  close(): Promise<void>;
}

/** The request listener for a router: 404/405 for unknown routes, typed errors as JSON, nothing else leaks. */
export function requestListener(router: Router, log: Logger): http.RequestListener {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = router.match(req.method ?? 'GET', url.pathname);
    try {
      if (found === undefined) throw new HttpError(404, 'NOT_FOUND', `no route ${url.pathname}`);
      if (found === 'method') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      await found.handler(req, res, found.params, url);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendJson(res, e.status, { error: { code: e.code, message: e.message } });
        return;
      }
      if (isZhengyinError(e)) {
        // Our own typed errors carry safe messages; anything else is logged and masked.
        sendJson(res, httpStatusOf(e.code), { error: { code: e.code, message: e.message } });
        return;
      }
      log.error('request failed', { method: req.method, path: url.pathname, error: (e as Error)?.message });
      sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
    }
  };
}

/** Listens on host:port (0 picks a free port). */
export function listen(listener: http.RequestListener, host: string, port: number): Promise<HttpServer> {
  const server = http.createServer(listener);
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new RuntimeError({
              code: 'HTTP_PORT_IN_USE',
              message: `port ${port} on ${host} is already in use; stop the program holding it or set ZHENGYIN_PORT`,
              details: { host, port },
            })
          : e,
      );
    });
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      resolve({
        url: new URL(`http://${shown.includes(':') ? `[${shown}]` : shown}:${actual}/`),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/** The HTTP status for a domain error code. */
export function httpStatusOf(code: string): number {
  if (code === 'NOT_FOUND') return 404;
  if (code === 'FORBIDDEN') return 403;
  if (isInputErrorCode(code)) return 400;
  if (code.startsWith('SEAL_') || code.startsWith('LICENCE_') || code.startsWith('CERTIFICATE_')) return 409;
  return 500;
}
