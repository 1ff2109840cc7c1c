import type { DownloadLinks } from '../../auth/download-links.ts';
import type { SealedDocuments } from '../../auth/sealed-documents.ts';
import { HttpError, send } from '../respond.ts';
import { requireLink } from './downloads.ts';
import type { Router } from '../router.ts';

/**
 * Downloads of PDFs sealed on request (GraphQL `applySeal`), behind the same short-lived
 * signed URLs as licence downloads. The link is the authorisation: it was signed only
 * after the seal service let its caller stamp the seal.
 */
export function sealedDownloadRoutes(router: Router, links: DownloadLinks, sealed: SealedDocuments): void {
  router.get('/downloads/sealed/:id.pdf', async (_req, res, params, url) => {
    const id = params.id!;
    requireLink(links, 'sealed-pdf', id, url);
    const pdf = await sealed.get(id);
    if (!pdf) throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'the sealed document is no longer kept; seal it again');
    send(res, 200, pdf, 'application/pdf', {
      'content-disposition': 'attachment; filename="sealed.pdf"',
      'cache-control': 'private, no-store',
    });
  });
}
