import type { DownloadLinks } from '../../auth/download-links.ts';
import type { UseCodeService } from '../../services/use-codes/index.ts';
import { HttpError, send } from '../respond.ts';
import { requireLink } from './downloads.ts';
import type { Router } from '../router.ts';

/**
 * Downloads of annotated copies (加注件) made when a use code was presented, behind the
 * same short-lived signed URLs as licence downloads. The link is the authorisation: it
 * was signed only for the presenter whose valid code made this copy.
 */
export function copyDownloadRoutes(router: Router, links: DownloadLinks, useCodes: UseCodeService): void {
  for (const [format, kind, type] of [['pdf', 'annotated-copy', 'application/pdf'], ['ofd', 'annotated-copy-ofd', 'application/ofd']] as const) {
    router.get(`/downloads/copies/:id.${format}`, async (_req, res, params, url) => {
      const id = params.id!;
      requireLink(links, kind, id, url);
      const copy = await useCodes.copy(id);
      // A link signed for one format never serves the other.
      if (!copy || copy.format !== format) throw new HttpError(404, 'NOT_FOUND', 'no such annotated copy');
      send(res, 200, copy.bytes, type, {
        'content-disposition': `attachment; filename="annotated-copy-${id}.${format}"`,
        'cache-control': 'private, no-store',
      });
    });
  }
}
