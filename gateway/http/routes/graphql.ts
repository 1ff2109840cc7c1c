import type { IncomingMessage } from 'node:http';
import { GRAPHQL_PATH } from '../../graphql/path.ts';
import type { GraphQLGateway } from '../../graphql/yoga.ts';
import { clientKey, RateLimiter, tooMany } from '../rate-limit.ts';
import { HttpError } from '../respond.ts';
import type { Handler, Router } from '../router.ts';

/** Request body limits for /graphql, in bytes. */
export interface GraphQLBodyLimits {
  /** A JSON (or other non-multipart) request. @default 1 MiB */
  readonly json?: number;
  /** A multipart request (GraphQL multipart upload): every file and field together. @default 20 MiB */
  readonly multipart?: number;
}

export interface GraphQLRouteLimits extends GraphQLBodyLimits {
  /** Requests without credentials, per client address (ZHENGYIN_GRAPHQL_ANON_RATE). @default unlimited */
  readonly anonymous?: Readonly<{ ratePerSecond: number; maxClients?: number }>;
}

/**
 * Mounts the GraphQL gateway at /graphql: GET (GraphiQL, queries), POST (JSON and
 * multipart uploads), OPTIONS (CORS preflight).
 *
 * A POST must declare its Content-Length within the limit before any byte is read (411 /
 * 413): node:http then delivers no more than that, so an upload's size is bounded before
 * yoga buffers it. Browsers and curl always declare it for forms and files.
 *
 * `load` builds the gateway on the first request: yoga, Pothos and the schema cost about a
 * second to import, which CLI commands (they compose the same app) should not pay.
 */
export function graphqlRoutes(router: Router, load: () => Promise<GraphQLGateway>, limits: GraphQLRouteLimits = {}): void {
  let gateway: Promise<GraphQLGateway> | undefined;
  const json = limits.json ?? 1024 * 1024;
  const multipart = limits.multipart ?? 20 * 1024 * 1024;
  const addressLimit = anonymousLimit(limits.anonymous);
  const handler: Handler = async (req, res) => {
    const settle = addressLimit?.(req);
    if (req.method === 'POST') {
      const declared = req.headers['content-length'];
      if (declared === undefined) throw new HttpError(411, 'LENGTH_REQUIRED', 'a GraphQL POST must declare Content-Length');
      const limit = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') ? multipart : json;
      if (Number(declared) > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
    }
    gateway ??= load().catch((e: unknown) => {
      gateway = undefined;
      throw e;
    });
    await (await gateway).handle(req, res, { req, res });
    settle?.(res.statusCode);
  };
  router.get(GRAPHQL_PATH, handler).post(GRAPHQL_PATH, handler).add('OPTIONS', GRAPHQL_PATH, handler);
}

/**
 * Anonymous callers (no Authorization header) spend a token of their address's bucket per
 * request: over the rate, 429 `RATE_LIMITED` with `Retry-After`, before any parsing. A
 * request with credentials is not limited by address (a service hall's departments share
 * one), but each refused credential (401) is charged to its address in a bucket of the same
 * rate, and an address whose bucket is empty is refused before its credential is checked:
 * a made-up token is no way around the anonymous limit.
 */
function anonymousLimit(limits: GraphQLRouteLimits['anonymous']): ((req: IncomingMessage) => ((status: number) => void) | undefined) | undefined {
  if (!limits) return undefined;
  const anonymous = new RateLimiter({ ...limits, concurrency: 1 });
  const refused = new RateLimiter({ ...limits, concurrency: 1 });
  return (req) => {
    if (req.method === 'OPTIONS') return undefined;
    const client = clientKey(req);
    if (!req.headers.authorization?.trim()) {
      anonymous.take(client);
      return undefined;
    }
    const wait = refused.wait(client);
    if (wait > 0) throw tooMany('too many refused credentials from this address; retry later', Math.ceil(wait));
    return (status) => {
      if (status === 401) refused.charge(client);
    };
  };
}
