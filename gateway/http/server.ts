import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isInputErrorCode, isZhengyinError } from '../../common/index.ts';
import { RuntimeError } from '../runtime/errors.ts';
import { errorSummary, type Logger } from '../runtime/logger.ts';
import { createThrottledLog, type ThrottledLog } from '../runtime/log-throttle.ts';
import { metrics } from '../runtime/metrics.ts';
import { parseRequestTarget } from './request-target.ts';
import { HttpError, sendJson } from './respond.ts';
import type { Router } from './router.ts';

export interface HttpServer {
  readonly url: URL;
  /**
   * Graceful stop: refuses new connections at once, lets requests in flight finish, closes
   * each keep-alive connection as soon as it is idle, and after `graceMs` (default: the
   * `shutdownGraceMs` given to {@link listen}) cuts whatever is still open.
   */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  /** How long a stop waits for requests in flight (ZHENGYIN_SHUTDOWN_GRACE_MS). @default 10000 */
  readonly shutdownGraceMs?: number;
}

export interface RequestListenerOptions {
  /** Where repeated client errors (aborted uploads, bad paths) are counted. @default a {@link createThrottledLog} over `log` */
  readonly clientErrors?: ThrottledLog;
}

/**
 * The request listener for a router. It cannot throw or reject: the request target is
 * read as a path (400 when it is not one, see {@link parseRequestTarget}), unknown routes
 * answer 404/405, typed errors answer as JSON, a client that goes away mid-request is
 * counted rather than logged line by line, and anything else is logged on one line and
 * answered 500 without details.
 */
export function requestListener(router: Router, log: Logger, options: Readonly<RequestListenerOptions> = {}): http.RequestListener {
  const clientErrors = options.clientErrors ?? createThrottledLog(log);
  const internalErrors = createThrottledLog(log, { level: 'error' });
  const { httpRequests, httpDuration } = metrics();
  return (req, res) => {
    const started = performance.now();
    const labels = { route: 'unmatched', method: METHODS.has(req.method ?? '') ? req.method! : 'other' };
    res.once('close', () => {
      httpRequests.inc({ ...labels, status: res.headersSent ? String(res.statusCode) : 'aborted' });
      httpDuration.observe(labels, (performance.now() - started) / 1000);
    });
    // A client that resets its connection makes the request or response emit 'error'; without a listener that is an uncaught exception.
    req.on('error', () => clientErrors.note('CLIENT_ABORTED', 'a client closed its connection before its request was read'));
    res.on('error', () => clientErrors.note('CLIENT_ABORTED', 'a client closed its connection before its request was read'));
    handle(req, res, router, { log, clientErrors, internalErrors }, (route) => (labels.route = route)).catch((e: unknown) => {
      internalErrors.note('LISTENER_FAILED', 'answering a request failed', { error: errorSummary(e) });
      res.destroy();
    });
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  router: Router,
  logs: { log: Logger; clientErrors: ThrottledLog; internalErrors: ThrottledLog },
  matched: (route: string) => void,
): Promise<void> {
  let path: string | undefined;
  try {
    const url = parseRequestTarget(req.url);
    path = url.pathname;
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (found === undefined) throw new HttpError(404, 'NOT_FOUND', `no route ${url.pathname}`);
    if (found === 'method') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    matched(found.route);
    await found.handler(req, res, found.params, url);
  } catch (e) {
    if (req.destroyed && !req.complete) {
      // The client left (aborted upload, reset): nobody to answer, nothing the operator must act on.
      logs.clientErrors.note('CLIENT_ABORTED', 'a client closed its connection before its request was read');
      res.destroy();
      return;
    }
    if (res.headersSent) {
      logs.internalErrors.note('RESPONSE_FAILED', 'a response failed after its headers were sent', { path, error: errorSummary(e) });
      res.destroy();
      return;
    }
    if (e instanceof HttpError) {
      if (e.status === 429) logs.clientErrors.note(e.code, 'refused requests over a rate or concurrency limit');
      else if (e.status === 400 || e.status === 413 || e.status === 414) logs.clientErrors.note(e.code, 'refused a malformed request', { code: e.code });
      sendJson(res, e.status, { error: { code: e.code, message: e.message } }, e.headers);
      return;
    }
    if (isZhengyinError(e)) {
      // Our own typed errors carry safe messages; anything else is logged and masked.
      sendJson(res, httpStatusOf(e.code), { error: { code: e.code, message: e.message } });
      return;
    }
    logs.internalErrors.note(`INTERNAL:${(e as Error)?.name ?? 'unknown'}`, 'request failed', { method: req.method, path, error: errorSummary(e) });
    sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
  }
}

/** Methods counted by name in metrics; anything else is `other`, so a client cannot mint labels. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']);

/** Listens on host:port (0 picks a free port). */
export function listen(listener: http.RequestListener, host: string, port: number, options: Readonly<ListenOptions> = {}): Promise<HttpServer> {
  let draining = false;
  // Responses not finished yet: when a stop begins, each is told to close its connection after it.
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    listener(req, res);
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  let stopping: Promise<void> | undefined;
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
        close: (graceMs = options.shutdownGraceMs ?? 10_000) => {
          stopping ??= drain(server, graceMs, () => {
            draining = true;
            for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
          });
          return stopping;
        },
      });
    });
  });
}

function drain(server: http.Server, graceMs: number, begin: () => void): Promise<void> {
  return new Promise((done) => {
    begin();
    // A keep-alive connection becomes idle when its last response is sent: close it then, not at the deadline.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      done();
    });
    server.closeIdleConnections();
  });
}

/** The HTTP status for a domain error code. */
export function httpStatusOf(code: string): number {
  if (code === 'NOT_FOUND') return 404;
  if (code === 'FORBIDDEN') return 403;
  if (isInputErrorCode(code)) return 400;
  if (code.startsWith('SEAL_') || code.startsWith('LICENCE_') || code.startsWith('RENEWAL_') || code.startsWith('CERTIFICATE_')) return 409;
  if (code === 'USE_CODE_UNKNOWN') return 404;
  if (code === 'USE_CODE_EXPIRED' || code === 'USE_CODE_WITHDRAWN') return 410;
  if (code === 'RATE_LIMITED') return 429;
  return 500;
}
