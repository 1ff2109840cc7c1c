import type { IncomingMessage } from 'node:http';
import { NotFoundError } from '../../../common/index.ts';
import { decodeOcspGetRequest, ocspErrorResponse, toPem } from '../../../signer/index.ts';
import { pkiPaths, type PkiService } from '../../services/pki/index.ts';
import { HttpError, readBody, send } from '../respond.ts';
import { limited, RateLimiter, type RouteLimits } from '../rate-limit.ts';
import type { Handler, Router } from '../router.ts';

/** Body limits: an OCSP request for a few dozen certificates, a time-stamp request with a SHA-512 imprint. */
export const pkiLimits = { ocspRequest: 16 * 1024, timestampQuery: 8 * 1024 } as const;

/** Media types of RFC 2585 §4, RFC 6960 Appendix C and RFC 3161 §4. */
const mediaType = {
  certificate: 'application/pkix-cert',
  pem: 'application/x-pem-file',
  crl: 'application/pkix-crl',
  ocspRequest: 'application/ocsp-request',
  ocspResponse: 'application/ocsp-response',
  timestampQuery: 'application/timestamp-query',
  timestampReply: 'application/timestamp-reply',
} as const;

/**
 * The PKI endpoints, at the URLs the service writes into its certificates (see pkiPaths):
 *
 * | method | path | answer |
 * | --- | --- | --- |
 * | GET | /pki/root.crt, /pki/root.pem | the root CA certificate, DER or PEM |
 * | GET | /pki/ca/:id.crt | a CA certificate (caIssuers) |
 * | GET | /pki/crl/:id.crl | the CA's current CRL (cRLDistributionPoints) |
 * | POST | /pki/ocsp | OCSP over HTTP, application/ocsp-request → application/ocsp-response |
 * | GET | /pki/ocsp/:base64 | the same, RFC 6960 Appendix A.1 GET form |
 * | POST | /pki/tsa | RFC 3161 §3.4, application/timestamp-query → application/timestamp-reply |
 *
 * OCSP and TSA protocol errors are answered in-protocol with HTTP 200 (malformedRequest,
 * status rejection); HTTP errors are for the transport: 413 for an oversize body, 415 for
 * a wrong media type, 404 for an unknown CA, 429 over a client's rate or when every slot is
 * taken (`limits`; OCSP and TSA each have their own limiter: each answer is a signature).
 */
export function pkiRoutes(router: Router, pki: PkiService, limits: Readonly<RouteLimits>): void {
  const route = (path: string) => `/${path}`;
  const ocsp = new RateLimiter(limits);
  const tsa = new RateLimiter(limits);
  router
    .get(route(pkiPaths.rootDer), async (_req, res) => send(res, 200, await pki.rootCertificate(), mediaType.certificate, cacheFor(86_400)))
    .get(route(pkiPaths.rootPem), async (_req, res) => send(res, 200, toPem(await pki.rootCertificate(), 'CERTIFICATE'), mediaType.pem, cacheFor(86_400)))
    .get(
      route(pkiPaths.caCertificate(':id')),
      found(async (_req, res, { id }) => send(res, 200, await pki.caCertificate(id!), mediaType.certificate, cacheFor(86_400))),
    )
    .get(
      route(pkiPaths.crl(':id')),
      found(async (_req, res, { id }) => {
        const crl = await pki.currentCrl(id!);
        send(res, 200, crl.der, mediaType.crl, { ...cacheFor(60), 'last-modified': crl.thisUpdate.toUTCString(), expires: crl.nextUpdate.toUTCString() });
      }),
    )
    .post(route(pkiPaths.ocsp), protocolPost(ocsp, mediaType.ocspRequest, pkiLimits.ocspRequest, mediaType.ocspResponse, (der) => pki.ocspRespond(der)))
    .get(
      `${route(pkiPaths.ocsp)}/*request`,
      limited(ocsp, async (_req, res, { request }) => {
        if (request!.length > (pkiLimits.ocspRequest * 4) / 3 + 4) throw new HttpError(414, 'URI_TOO_LONG', 'OCSP GET request too long; use POST');
        const der = decodeOcspGetRequest(request!);
        const answer = der ? await ocsp.slot(() => pki.ocspRespond(der)) : ocspErrorResponse('malformedRequest');
        send(res, 200, answer, mediaType.ocspResponse, { 'cache-control': 'no-store' });
      }),
    )
    .post(route(pkiPaths.tsa), protocolPost(tsa, mediaType.timestampQuery, pkiLimits.timestampQuery, mediaType.timestampReply, (der) => pki.tsaRespond(der)));
}

/** A DER request POSTed in `requestType`, at most `limit` bytes, answered in `replyType` within one of the limiter's slots. */
function protocolPost(limiter: RateLimiter, requestType: string, limit: number, replyType: string, respond: (der: Uint8Array) => Promise<Uint8Array>): Handler {
  return limited(limiter, async (req, res) => {
    requireType(req, requestType);
    const body = await readBody(req, limit);
    send(res, 200, await limiter.slot(() => respond(body)), replyType, { 'cache-control': 'no-store' });
  });
}

function requireType(req: IncomingMessage, expected: string): void {
  const actual = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (actual !== expected) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `expected content-type ${expected}, got ${actual || 'none'}`);
}

/** Unknown CA ids are a 404, not a 500. */
function found(handler: Handler): Handler {
  return async (req, res, params, url) => {
    try {
      await handler(req, res, params, url);
    } catch (e) {
      if (e instanceof NotFoundError) throw new HttpError(404, 'NOT_FOUND', e.message);
      throw e;
    }
  };
}

const cacheFor = (seconds: number) => ({ 'cache-control': `public, max-age=${seconds}` });
