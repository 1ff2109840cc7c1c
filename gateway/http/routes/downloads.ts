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
  router.get('/downloads/licences/:identifier.pdf', async (_req, res, params, url) => {
    const identifier = params.identifier!;
    requireLink(links, 'licence-pdf', identifier, url);
    // The link is the authorisation: it was signed only after the service let its caller read this licence.
    const pdf = await licences.document(OPERATOR, identifier);
    send(res, 200, pdf, 'application/pdf', {
      'content-disposition': `attachment; filename="${identifier}.pdf"`,
      'cache-control': 'private, no-store',
    });
  });
  router.get('/downloads/print/:identifier.pdf', async (_req, res, params, url) => {
    const identifier = params.identifier!;
    requireLink(links, 'licence-print', identifier, url);
    // The link was signed only for a caller the service lets print; the licence must still be valid now.
    const pdf = await licences.printFile(OPERATOR, identifier);
    send(res, 200, pdf, 'application/pdf', {
      'content-disposition': `attachment; filename="${identifier}.print.pdf"`,
      'cache-control': 'private, no-store',
    });
  });
}

/** Passes when the URL's expiry and signature hold for this resource. @throws {@link HttpError} 410 expired, 403 otherwise */
export function requireLink(links: DownloadLinks, kind: DownloadKind, resource: string, url: URL): void {
  const verdict = links.check(kind, resource, url.searchParams.get('expires'), url.searchParams.get('signature'));
  if (verdict === 'expired') throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'this download link has expired; ask the API for a new one');
  if (verdict !== 'ok') throw new HttpError(403, 'DOWNLOAD_SIGNATURE_INVALID', 'this download link is not valid');
}
