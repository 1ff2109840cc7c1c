import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZhengyinError } from '../../common/index.ts';

/** An HTTP-level failure with the status to answer. */
export class HttpError extends ZhengyinError {
  readonly code: string;
  readonly status: number;
  /** Extra response headers, e.g. `retry-after` on a 429. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(bytes.byteLength),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  send(res, status, JSON.stringify(value, null, 2) + '\n', 'application/json; charset=utf-8', headers);
}

/**
 * Reads a request body, refusing (413) anything larger than `limit` bytes before it is
 * buffered. Past the limit it stops reading without destroying the request, so the client
 * still gets the 413 (breaking out of a `for await` would destroy it: a reset, no answer).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      // The rest is never read: the connection closes once the 413 is sent.
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`, { connection: 'close' }));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
