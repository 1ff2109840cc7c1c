import { HttpError } from './respond.ts';

/**
 * The origin every request target is resolved against. Handlers read only the path and
 * the query, so the origin is a constant: a target such as `//evil/pki/root.pem` stays a
 * path on this service instead of becoming the host `evil` (which `new URL(target, base)`
 * would make of it).
 */
const ORIGIN = 'http://service.invalid';

/** C0 controls, DEL and the replacement character that marks undecodable UTF-8. */
const INVALID_PATH_CHARACTER = /[\u0000-\u001f\u007f\ufffd]/;

/**
 * Reads an HTTP request target (RFC 9112 §3.2) as a path and query. Accepts origin-form
 * (`/pki/root.pem?x`) and absolute-form (`http://host/pki/root.pem`, which RFC 9112
 * §3.2.2 requires servers to accept; its host is ignored); anything else (`//[`, `*`), escapes
 * that do not decode to UTF-8 and control characters such as NUL, decoded or not, are a
 * 400 before any handler or database sees them.
 *
 * @throws {@link HttpError} 400 `INVALID_PATH`.
 */
export function parseRequestTarget(target: string | undefined): URL {
  const raw = target ?? '';
  let pathAndQuery: string;
  if (raw.startsWith('//')) throw invalid(); // a network-path reference (RFC 3986 §4.2), never a path of ours
  if (raw.startsWith('/')) pathAndQuery = raw;
  else if (/^https?:\/\//i.test(raw)) pathAndQuery = absolutePath(raw);
  else throw invalid();
  let url: URL;
  try {
    url = new URL(ORIGIN + pathAndQuery);
  } catch {
    throw invalid();
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    throw invalid(); // URIError: a malformed escape or one that is not UTF-8
  }
  if (INVALID_PATH_CHARACTER.test(decoded) || INVALID_PATH_CHARACTER.test(raw)) throw invalid();
  return url;
}

function absolutePath(raw: string): string {
  try {
    const url = new URL(raw);
    return url.pathname + url.search;
  } catch {
    throw invalid();
  }
}

const invalid = () => new HttpError(400, 'INVALID_PATH', 'the request target is not a valid path');
