import type { CORSOptions } from 'graphql-yoga';

/** What a browser page on another origin may send to /graphql, once its origin is allowed. */
const METHODS = ['GET', 'POST', 'OPTIONS'];
const HEADERS = ['content-type', 'authorization', 'accept', 'x-zhengyin-csrf', 'graphql-require-preflight'];

/**
 * yoga's `cors` option for the configured origins (ZHENGYIN_CORS_ORIGINS). An allowed
 * origin gets `Access-Control-Allow-Origin` with its own value on the preflight and on the
 * response alike; any other origin, and every origin when none is configured, gets no CORS
 * header at all, so a browser neither sends its JSON POST nor lets its page read an answer.
 * Credentials are bearer tokens, never cookies, so `Allow-Credentials` is never sent.
 *
 * yoga's default would echo every origin with credentials allowed: any site could then
 * drive a signed-in browser's calls.
 */
export function corsPolicy(origins: readonly string[] | '*'): (request: Request) => CORSOptions {
  const allowed = origins === '*' ? undefined : new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (allowed && !allowed.has(origin))) return false;
    // ['*'] makes yoga echo the request's Origin (checked above) and add `Vary: Origin`,
    // which a single listed origin would leave out.
    return { origin: ['*'], methods: METHODS, allowedHeaders: HEADERS, credentials: false, maxAge: 600 };
  };
}
