/**
 * Where a seal goes on a received OFD when the caller does not say: the lower right of the
 * last page, 20 mm in from the edges, moved left (then up) past the stamps earlier seals
 * show there, so that a joint seal does not hide another. Page sizes come from the page's
 * own Area, else the document's PageArea (GB/T 33190 §7.5, §8.2); both in millimetres from
 * the page's top-left corner, as StampAnnot/@Boundary is.
 */
import { OfdSealError } from './errors.ts';
import { ReceivedOfd } from './ofd-package.ts';
import { attributeOf, elements, parseOfdPart, textOf, type XmlElement } from './ofd-xml.ts';
import { DEFAULT_OFD_READ_LIMITS, readOfdZip, type OfdReadLimits } from './ofd-zip.ts';

export interface OfdSealPlaceRequest {
  /** 0-based; undefined: the last page. */
  readonly page?: number | undefined;
  /** Millimetres from the page's left edge; with `y`, or neither. */
  readonly x?: number | undefined;
  /** Millimetres from the page's top edge. */
  readonly y?: number | undefined;
  readonly width: number;
  readonly height: number;
  /** Which document body of the package. @default 0 */
  readonly document?: number | undefined;
  readonly limits?: Partial<OfdReadLimits> | undefined;
}

export interface OfdSealPlace {
  readonly page: number;
  readonly position: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

type Box = { x: number; y: number; width: number; height: number };

const MARGIN = 20;
const GAP = 5;
/** A4, when neither the page nor the document gives a size. */
const DEFAULT_PAGE: readonly [number, number] = [210, 297];

/**
 * The page and box for a seal of `width` × `height` mm on `ofd`.
 * @throws {@link OfdReadError} an unreadable package; {@link OfdSealError} (`page`) no such page.
 */
export function placeOfdSeal(ofd: Uint8Array, request: OfdSealPlaceRequest): OfdSealPlace {
  const { width, height } = request;
  const pkg = ReceivedOfd.of(readOfdZip(ofd, { ...DEFAULT_OFD_READ_LIMITS, ...request.limits }));
  const body = pkg.bodies[request.document ?? 0];
  if (!body) throw new OfdSealError({ field: 'document', message: `the package has ${pkg.bodies.length} document(s)` });
  const pages = pkg.pages(body.root);
  const index = request.page ?? pages.length - 1;
  const page = pages[index];
  if (!page || !Number.isInteger(index)) throw new OfdSealError({ field: 'page', message: `the document has ${pages.length} page(s), no page ${index + 1}` });
  if (request.x !== undefined && request.y !== undefined) return { page: index, position: { x: request.x, y: request.y, width, height } };

  const [pageWidth, pageHeight] = ofdPageSize(pkg, body.root, page.content);
  const stamps = stampsOn(pkg, body.signatures, page.id);
  const overlaps = (b: Box) => stamps.some((s) => b.x < s.x + s.width && s.x < b.x + b.width && b.y < s.y + s.height && s.y < b.y + b.height);
  const first: Box = { x: Math.max(pageWidth - MARGIN - width, 0), y: Math.max(pageHeight - MARGIN - height, 0), width, height };
  // Rows from the bottom up, each from right to left; the first free place wins, else the corner.
  for (let y = first.y; y >= 0; y -= height + GAP) {
    for (let x = first.x; x >= 0; x -= width + GAP) {
      const box = { x, y, width, height };
      if (!overlaps(box)) return { page: index, position: box };
    }
  }
  return { page: index, position: first };
}

/** A page's width and height in mm: its own Area, else the document's PageArea, else A4. */
export function ofdPageSize(pkg: ReceivedOfd, root: string, content: string | undefined): readonly [number, number] {
  const boxOf = (area: XmlElement | undefined) => {
    const numbers = (textOf(elements(area, 'PhysicalBox')[0]) ?? '').trim().split(/\s+/).map(Number);
    return numbers.length === 4 && numbers.every(Number.isFinite) && numbers[2]! > 0 && numbers[3]! > 0 ? ([numbers[2]!, numbers[3]!] as const) : undefined;
  };
  const own = content ? boxOf(elements(parseOfdPart(pkg.entries.get(content)!, content, 'Page'), 'Area')[0]) : undefined;
  if (own) return own;
  const doc = parseOfdPart(pkg.entries.get(root)!, root, 'Document');
  return boxOf(elements(elements(doc, 'CommonData')[0], 'PageArea')[0]) ?? DEFAULT_PAGE;
}

/** The boxes earlier seals show on page `pageId`; a Signature.xml that does not parse shows none here. */
function stampsOn(pkg: ReceivedOfd, list: string | undefined, pageId: string): Box[] {
  if (!list) return [];
  const out: Box[] = [];
  for (const s of pkg.listed(list).signatures) {
    if (!s.entry) continue;
    let signature: XmlElement;
    try {
      signature = parseOfdPart(pkg.entries.get(s.entry)!, s.entry, 'Signature');
    } catch {
      continue;
    }
    for (const stamp of elements(elements(signature, 'SignedInfo')[0], 'StampAnnot')) {
      if (attributeOf(stamp, 'PageRef') !== pageId) continue;
      const [x, y, w, h] = (attributeOf(stamp, 'Boundary') ?? '').trim().split(/\s+/).map(Number);
      if ([x, y, w, h].every((n) => Number.isFinite(n))) out.push({ x: x!, y: y!, width: w!, height: h! });
    }
  }
  return out;
}
