import { InvalidInputError } from '../../../common/index.ts';
import { MM } from '../../util.ts';
import type { Seal } from './seal-service.ts';

/** Where a caller asked for a seal: page from 1; x, y, width in points. Any may be left out. */
export type AskedPlacement = Partial<Record<'page' | 'x' | 'y' | 'width', number>>;

/**
 * Where the seal goes on a page: as asked, or the lower right of the last page with a 20 mm
 * margin. `field` names the caller's input holding the PDF, for the error.
 * @throws {@link InvalidInputError} no such page, or not a readable PDF.
 */
export async function placeSeal(pdf: Uint8Array, seal: Seal, asked: AskedPlacement, field = 'in') {
  const width = asked.width ?? seal.widthMm * MM;
  if (asked.page !== undefined && (!Number.isInteger(asked.page) || asked.page < 1)) {
    throw new InvalidInputError({ field: 'page', message: 'page: pages are numbered from 1' });
  }
  if (asked.x !== undefined && asked.y !== undefined) {
    return { page: asked.page === undefined ? -1 : asked.page - 1, x: asked.x, y: asked.y, width };
  }
  // Geometry only: the document is read, never saved, by pdf-lib.
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false }).catch((cause) => {
    throw new InvalidInputError({ field, message: `${field}: not a readable PDF (${(cause as Error).message})` });
  });
  const pages = doc.getPages();
  const index = asked.page === undefined ? pages.length - 1 : asked.page - 1;
  const page = pages[index];
  if (!page) throw new InvalidInputError({ field: 'page', message: `page: the document has ${pages.length} page(s)` });
  // The page as it shows: the placement is given in those coordinates (see SignatureAppearance).
  const box = page.getCropBox();
  const shownWidth = ((page.getRotation().angle % 360) + 360) % 180 === 0 ? box.width : box.height;
  const margin = 20 * MM;
  return { page: index, x: Math.max(shownWidth - margin - width, 0), y: margin, width };
}
