import { createHmac, timingSafeEqual } from 'node:crypto';
import { publicRoute } from '../runtime/config.ts';

/** What a download link fetches. */
export type DownloadKind = 'licence-pdf' | 'licence-ofd' | 'licence-print' | 'sealed-pdf' | 'sealed-ofd' | 'annotated-copy' | 'annotated-copy-ofd';

export interface DownloadLinksOptions {
  /** HMAC key: derived from the key-encryption key, so every gateway on the same data agrees. Never logged. */
  readonly key: Uint8Array;
  readonly publicUrl: URL;
  /** How long a link works. @default 300 s */
  readonly ttlSeconds?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Short-lived signed URLs for binary downloads, so PDFs travel over plain HTTP and never as
 * base64 in JSON. A link is a capability: the service authorised the caller for the
 * resource when the link was made, and the HMAC over kind, resource and expiry (RFC 2104,
 * SHA-256) proves it was made here and is unchanged. It carries no bearer token, so it
 * can be handed to a browser or a download manager.
 */
export class DownloadLinks {
  readonly #key: Buffer;
  readonly #publicUrl: URL;
  readonly #ttlSeconds: number;
  readonly #now: () => Date;

  constructor(options: Readonly<DownloadLinksOptions>) {
    this.#key = Buffer.from(options.key);
    this.#publicUrl = options.publicUrl;
    this.#ttlSeconds = options.ttlSeconds ?? 300;
    this.#now = options.now ?? (() => new Date());
  }

  /** A link to a licence's signed PDF, valid for the configured time. */
  licencePdf(identifier: string): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign('licence-pdf', identifier, expires);
    const url = publicRoute(this.#publicUrl, `downloads/licences/${encodeURIComponent(identifier)}.pdf?expires=${expires}&signature=${signature}`);
    return { url, expiresAt: new Date(expires * 1000) };
  }

  /** A link to a licence's sealed OFD (when it was issued as OFD too). */
  licenceOfd(identifier: string): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign('licence-ofd', identifier, expires);
    return { url: publicRoute(this.#publicUrl, `downloads/licences/${encodeURIComponent(identifier)}.ofd?expires=${expires}&signature=${signature}`), expiresAt: new Date(expires * 1000) };
  }

  /** A link to the print file of a licence's paper form (纸质证照套打文件). */
  licencePrint(identifier: string): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign('licence-print', identifier, expires);
    return { url: publicRoute(this.#publicUrl, `downloads/print/${encodeURIComponent(identifier)}.pdf?expires=${expires}&signature=${signature}`), expiresAt: new Date(expires * 1000) };
  }

  /** A link to a PDF sealed on request and held in SealedDocuments under `id`. */
  sealedPdf(id: string): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign('sealed-pdf', id, expires);
    return { url: publicRoute(this.#publicUrl, `downloads/sealed/${encodeURIComponent(id)}.pdf?expires=${expires}&signature=${signature}`), expiresAt: new Date(expires * 1000) };
  }

  /** A link to an OFD sealed on request and held in SealedDocuments under `id`. */
  sealedOfd(id: string): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign('sealed-ofd', id, expires);
    return { url: publicRoute(this.#publicUrl, `downloads/sealed/${encodeURIComponent(id)}.ofd?expires=${expires}&signature=${signature}`), expiresAt: new Date(expires * 1000) };
  }

  /** A link to the annotated copy (加注件) made when a use code was presented, by the presentation's id: `.pdf`, or `.ofd` for an OFD copy. */
  annotatedCopy(presentationId: string, format: 'pdf' | 'ofd' = 'pdf'): { url: string; expiresAt: Date } {
    const expires = Math.floor(this.#now().getTime() / 1000) + this.#ttlSeconds;
    const signature = this.#sign(format === 'ofd' ? 'annotated-copy-ofd' : 'annotated-copy', presentationId, expires);
    return { url: publicRoute(this.#publicUrl, `downloads/copies/${encodeURIComponent(presentationId)}.${format}?expires=${expires}&signature=${signature}`), expiresAt: new Date(expires * 1000) };
  }

  /** How long a link works, in seconds. */
  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  /** Whether a link's expiry and signature hold for this resource now. */
  check(kind: DownloadKind, resource: string, expiresParam: string | null, signatureParam: string | null): 'ok' | 'expired' | 'invalid' {
    if (!expiresParam || !/^\d{1,12}$/.test(expiresParam) || !signatureParam || !/^[0-9a-f]{64}$/.test(signatureParam)) return 'invalid';
    const expected = Buffer.from(this.#sign(kind, resource, Number(expiresParam)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signatureParam, 'hex'))) return 'invalid';
    return Number(expiresParam) * 1000 <= this.#now().getTime() ? 'expired' : 'ok';
  }

  #sign(kind: DownloadKind, resource: string, expires: number): string {
    return createHmac('sha256', this.#key).update(`${kind}\n${resource}\n${expires}`).digest('hex');
  }
}
