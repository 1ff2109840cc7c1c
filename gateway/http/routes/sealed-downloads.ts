import type { DownloadLinks } from '../../auth/download-links.ts';
import type { SealedDocuments } from '../../auth/sealed-documents.ts';
import { HttpError, send } from '../respond.ts';
import { requireLink } from './downloads.ts';
import type { Router } from '../router.ts';

/**
 * Downloads of PDFs and OFDs sealed on request (GraphQL `applySeal`), behind the same short-lived
 * signed URLs as licence downloads. The link is the authorisation: it was signed only
 * after the seal service let its caller stamp the seal.
 */
export function sealedDownloadRoutes(router: Router, links: DownloadLinks, sealed: SealedDocuments): void {
  for (const [extension, kind, type] of [['pdf', 'sealed-pdf', 'application/pdf'], ['ofd', 'sealed-ofd', 'application/ofd']] as const) {
    router.get(`/downloads/sealed/:id.${extension}`, async (_req, res, params, url) => {
      const id = params.id!;
      // The link names the format: a PDF link does not serve an OFD, nor the reverse.
      requireLink(links, kind, id, url);
      const document = await sealed.get(id);
      if (!document) throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'the sealed document is no longer kept; seal it again');
      send(res, 200, document, type, {
        'content-disposition': `attachment; filename="sealed.${extension}"`,
        'cache-control': 'private, no-store',
      });
    });
  }
}
