import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { App } from '../../app.ts';
import { runAudited } from '../../operator/audited.ts';
import { issueForOperator } from '../../operator/issue-licence.ts';
import { OPERATOR_ISSUE_PATH, parseOperatorIssueRequest, LICENCE_HEADER, OFD_SIZE_HEADER } from '../../operator/protocol.ts';
import type { Logger } from '../../runtime/logger.ts';
import { HttpError, readBody, send } from '../respond.ts';
import type { Router } from '../router.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Routes through which the CLI on this machine hands an operator's command to the running
 * service (see gateway/runtime/service-file.ts). Only loopback connections that present
 * this start's operator key reach them; anything else is a 404, as if they did not exist.
 */
export function operatorRoutes(router: Router, p: Readonly<{ app: Pick<App, 'services' | 'seedDemo'>; operatorKey: string; log: Logger; maxBodyBytes: number; demoSeeded?: boolean }>): void {
  const expected = digest(p.operatorKey);
  // Seeding is idempotent but not free: once per process, and not at all when start did it.
  let seeded: Promise<unknown> | undefined = p.demoSeeded ? Promise.resolve() : undefined;
  const app = { services: p.app.services, seedDemo: () => (seeded ??= p.app.seedDemo()) };

  router.post(OPERATOR_ISSUE_PATH, async (req, res) => {
    requireOperatorKey(req, expected);
    const body = await readBody(req, p.maxBodyBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'INVALID_JSON', 'the request body is not JSON');
    }
    const { actorName, ...request } = parseOperatorIssueRequest(parsed);
    const { licence, pdf, ofd } = await runAudited({ audit: p.app.services.audit, actorName, log: p.log }, { action: 'licence.issue', targetsOf: (r) => [r.licence.identifier] }, () =>
      issueForOperator(app, request),
    );
    // With an OFD, one body of both files: the PDF, then the OFD (its size in a header).
    send(res, 200, ofd ? Buffer.concat([pdf, ofd]) : pdf, ofd ? 'application/octet-stream' : 'application/pdf', {
      [LICENCE_HEADER]: Buffer.from(JSON.stringify(licence)).toString('base64url'),
      ...(ofd ? { [OFD_SIZE_HEADER]: String(ofd.length) } : {}),
      'cache-control': 'no-store',
    });
  });
}

function requireOperatorKey(req: IncomingMessage, expected: Buffer): void {
  const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const fromLoopback = LOOPBACK.has(req.socket.remoteAddress ?? '');
  // Compared as digests, in constant time; a wrong or missing key looks like no route at all.
  if (!fromLoopback || !presented || !crypto.timingSafeEqual(digest(presented), expected)) {
    throw new HttpError(404, 'NOT_FOUND', `no route ${OPERATOR_ISSUE_PATH}`);
  }
}

const digest = (key: string): Buffer => crypto.createHash('sha256').update(key).digest();
