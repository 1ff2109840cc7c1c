import type { Plugin } from 'graphql-yoga';
import { GATEWAY_CODES } from '../errors.ts';

/** Content types a browser form may POST cross-site without a CORS preflight. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention: a request a browser could send cross-site without a preflight (a GET,
 * or a POST with a "simple" content type such as a multipart upload) must carry a
 * non-simple header, which a cross-site page cannot add without CORS allowing it.
 * JSON POSTs already need a preflight and pass.
 */
export function useCsrfPrevention({ header = 'x-zhengyin-csrf' }: { header?: string } = {}): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const simple = request.method === 'GET' || SIMPLE_CONTENT_TYPES.includes(type);
      if (!simple || request.headers.has(header) || request.headers.has('graphql-require-preflight')) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [{ message: `this request needs the header ${header} (CSRF prevention)`, extensions: { code: GATEWAY_CODES.csrf } }],
          }),
          { status: 403, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
  };
}
