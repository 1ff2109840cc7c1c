import type { DownloadLinks } from '../../auth/download-links.ts';
import type { SealedDocuments } from '../../auth/sealed-documents.ts';
import { HttpError, send } from '../respond.ts';
import type { Router } from '../router.ts';

/**
 * Downloads of PDFs sealed on request (GraphQL `applySeal`), behind the same short-lived
 * signed URLs as licence downloads. The link is the authorisation: it was signed only
 * after the seal service let its caller stamp the seal.
 */
export function sealedDownloadRoutes(router: Router, links: DownloadLinks, sealed: SealedDocuments): void {
  router.get('/downloads/sealed/:id.pdf', async (_req, res, params, url) => {
    const id = params.id!;
    const verdict = links.check('sealed-pdf', id, url.searchParams.get('expires'), url.searchParams.get('signature'));
    if (verdict === 'expired') throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'this download link has expired; seal the document again');
    if (verdict !== 'ok') throw new HttpError(403, 'DOWNLOAD_SIGNATURE_INVALID', 'this download link is not valid');
    const pdf = sealed.get(id);
    if (!pdf) throw new HttpError(410, 'DOWNLOAD_EXPIRED', 'the sealed document is no longer kept; seal it again');
    send(res, 200, pdf, 'application/pdf', {
      'content-disposition': 'attachment; filename="sealed.pdf"',
      'cache-control': 'private, no-store',
    });
  });
}
