/**
 * Fetching validation data over HTTP(S) when the caller allows it: CRLs (RFC 5280
 * §4.2.1.13), OCSP (RFC 6960 Appendix A.1, POST) and caIssuers certificates (§4.2.2.1).
 * Every request has a timeout and a size bound; failures are silent (no data).
 */
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, CertID, OCSPRequest, Request, TBSRequest } from 'pkijs';
import type { Cert } from './certificate.ts';

export interface OnlineOptions {
  /** Per request. @default 5000 */
  readonly timeoutMs?: number;
  /** Largest response accepted, in bytes. @default 10 MiB */
  readonly maxBytes?: number;
  /** Most requests for one verification. @default 32 */
  readonly maxRequests?: number;
  /** Replaceable for tests and proxies. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Which URLs may be fetched. The URLs come from certificates inside the PDF, which anyone
   * can write: the default refuses `localhost` and loopback, private and link-local IP
   * literals (a server verifying uploads must not be steered into its own network). A
   * hostname that resolves to such an address is not caught here: pass a `fetch` that
   * goes through an egress proxy for that.
   * @default publicUrl
   */
  readonly allowUrl?: (url: URL) => boolean;
}

/** True for http(s) URLs whose host is not localhost or a loopback, private or link-local IP literal. */
export function publicUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return !(a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127));
  }
  if (host.includes(':')) return !(host === '::1' || host === '::' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:'));
  return true;
}

export class OnlineFetcher {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #fetch: typeof fetch;
  readonly #allow: (url: URL) => boolean;
  #remaining: number;
  readonly #cache = new Map<string, Promise<Uint8Array | undefined>>();

  readonly #remaining0: () => number;

  /** @param remainingMs - time left in the verification; no request outlives it. */
  constructor(options: OnlineOptions = {}, remainingMs: () => number = () => Infinity) {
    this.#remaining0 = remainingMs;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#remaining = options.maxRequests ?? 32;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#allow = options.allowUrl ?? publicUrl;
  }

  get(url: string): Promise<Uint8Array | undefined> {
    return this.#request(url, undefined);
  }

  /** POSTs an OCSP request for `cert` (issued by `issuer`) to `url`. */
  ocsp(url: string, cert: Cert, issuer: Cert): Promise<Uint8Array | undefined> {
    return this.#request(url, ocspRequest(cert, issuer));
  }

  #request(url: string, body: Uint8Array | undefined): Promise<Uint8Array | undefined> {
    const key = `${body ? 'POST' : 'GET'} ${url} ${body ? Buffer.from(body).toString('base64') : ''}`;
    let p = this.#cache.get(key);
    if (!p) {
      p = this.#send(url, body);
      this.#cache.set(key, p);
    }
    return p;
  }

  async #send(url: string, body: Uint8Array | undefined): Promise<Uint8Array | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || this.#remaining <= 0 || !this.#allow(parsed)) return undefined;
    const timeout = Math.min(this.#timeoutMs, this.#remaining0());
    if (timeout <= 0) return undefined;
    this.#remaining--;
    try {
      const res = await this.#fetch(parsed, {
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/ocsp-request' } : {},
        body: body ? Buffer.from(body) : undefined,
        signal: AbortSignal.timeout(timeout),
      });
      if (!res.ok || !res.body) return undefined;
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > this.#maxBytes) return undefined;
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.length;
        if (total > this.#maxBytes) return undefined;
        chunks.push(chunk);
      }
      return new Uint8Array(Buffer.concat(chunks));
    } catch {
      return undefined;
    }
  }
}

function ocspRequest(cert: Cert, issuer: Cert): Uint8Array {
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithmId: '1.3.14.3.2.26', algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: issuer.nameHash('sha1') }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: issuer.keyHash('sha1') }),
    serialNumber: new asn1js.Integer({ valueHex: cert.serial }),
  });
  const req = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) });
  return new Uint8Array(req.toSchema(true).toBER());
}

/** A fetched body may be DER or PEM. */
export function derOrPem(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (!text.includes('-----BEGIN')) return [bytes];
  const out: Uint8Array[] = [];
  const all = Buffer.from(bytes).toString('latin1');
  for (const m of all.matchAll(/-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/g)) {
    out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  }
  return out;
}
