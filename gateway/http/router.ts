import type { IncomingMessage, ServerResponse } from 'node:http';

export type Params = Readonly<Record<string, string>>;
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Params, url: URL) => Promise<void> | void;

interface Route {
  readonly method: string;
  /** The pattern as given, e.g. `/licences/:id`: a bounded label for metrics. */
  readonly path: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

/**
 * A method + path router for the service's plain HTTP routes (PKI endpoints, downloads,
 * status pages). Patterns are literal paths with `:name` segments, e.g. `/pki/crl/:ca.crl`,
 * and may end in a `*name` that takes the rest of the path, slashes included (an OCSP GET
 * carries base64, whose alphabet has '/').
 */
export class Router {
  readonly #routes: Route[] = [];

  get(path: string, handler: Handler): this {
    return this.add('GET', path, handler);
  }

  post(path: string, handler: Handler): this {
    return this.add('POST', path, handler);
  }

  add(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path
      .split(/([:*][A-Za-z]\w*)/)
      .map((part) => {
        if (!/^[:*][A-Za-z]/.test(part)) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return part.startsWith('*') ? '(.+)' : '([^/]+?)';
      })
      .join('');
    this.#routes.push({ method, path, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Finds the route for a request: `undefined` for an unknown path, `'method'` when only the method is wrong. */
  match(method: string, pathname: string): { handler: Handler; params: Params; route: string } | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return undefined; // malformed percent-encoding (URIError): no such resource
      }
      return { handler: route.handler, params, route: route.path };
    }
    return pathMatched ? 'method' : undefined;
  }
}
