import type { DownloadKind, DownloadLinks } from '../../auth/download-links.ts';
import { OPERATOR } from '../../services/index.ts';
import type { LicenceService } from '../../services/index.ts';
import { HttpError, send } from '../respond.ts';
import type { Router } from '../router.ts';

/**
 * Binary downloads behind short-lived signed URLs (see {@link DownloadLinks}); the GraphQL
 * API hands out the URLs, never the bytes.
 */
export function downloadRoutes(router: Router, links: DownloadLinks, licences: LicenceService): void {
  // The link is the authorisation: it was signed only after the service let its caller
  // read (or print) this licence. The print file is refused once the licence is not valid.
  const routes: [string, DownloadKind, string, string, (identifier: string) => Promise<Uint8Array>][] = [
    ['/downloads/licences/:identifier.pdf', 'licence-pdf', '.pdf', 'application/pdf', (identifier) => licences.document(OPERATOR, identifier)],
    ['/downloads/licences/:identifier.ofd', 'licence-ofd', '.ofd', 'application/ofd', (identifier) => licences.ofdDocument(OPERATOR, identifier)],
    ['/downloads/print/:identifier.pdf', 'licence-print', '.print.pdf', 'application/pdf', (identifier) => licences.printFile(OPERATOR, identifier)],
  ];
  for (const [path, kind, suffix, contentType, fetch] of routes) {
    router.get(path, async (_req, res, params, url) => {
      const identifier = params.identifier!;
      requireLink(links, kind, identifier, url);
      send(res, 200, await fetch(identifier), contentType, {
        'content-disposition': `attachment; filename="${identifier}${suffix}"`,
        'cache-control': 'private, no-store',
      });
    });
  }
}

/** Passes when the URL's expiry and signature hold for this resource. @throws {@link HttpError} 410 expired, 403 otherwise */
export function requireLink(links: DownloadLinks, kind: DownloadKind, resource: string, url: URL): void {
  const verdict = links.check(kind, resource, url.searchParams.get('expires'), url.searchParams.get('signature'));
  if (verdict === 'expired') throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'this download link has expired; ask the API for a new one');
  if (verdict !== 'ok') throw new HttpError(403, 'DOWNLOAD_SIGNATURE_INVALID', 'this download link is not valid');
}
