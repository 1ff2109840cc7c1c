import {
  concatTransformationMatrix,
  drawObject,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFRawStream,
  PDFRef,
  PDFStream,
  popGraphicsState,
  pushGraphicsState,
  type PDFDocument,
  type PDFPage,
} from 'pdf-lib';

/** An affine matrix [a b c d e f] (ISO 32000-1 §8.3.3). */
type Matrix = readonly [number, number, number, number, number, number];

/** Where an original page lands on the copy's page: scaled by `scale`, its MediaBox's lower-left corner at x, y. */
export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

// Annotation flags (ISO 32000-1 §12.5.3, Table 165): bit 2 Hidden, bit 6 NoView.
const HIDDEN = 1 << 1;
const NO_VIEW = 1 << 5;

/**
 * Draws page `index` of `source` onto `target` as a picture: its content as a form XObject
 * (pdf-lib's `embedPdf`), then the normal appearance of each visible annotation at its
 * /Rect, so that the seal pictures (which live in signature widgets, not in the page
 * content) show on the copy. Nothing interactive is copied: no fields, no widgets, no
 * signatures; the copy is a picture of the original, and the original itself travels
 * as an attachment.
 */
export async function drawOriginalPage(target: PDFDocument, page: PDFPage, source: PDFDocument, index: number, at: Placement): Promise<void> {
  const original = source.getPage(index);
  const { x: left, y: bottom } = original.getMediaBox();
  const copier = PDFObjectCopier.for(source.context, target.context);
  const annots = original.node.Annots();
  const shown: { ref: PDFRef; mapping: Matrix }[] = [];
  for (let i = 0; i < (annots?.size() ?? 0); i++) {
    const annot = annots!.lookupMaybe(i, PDFDict);
    const appearance = annot && visibleAppearance(annot);
    if (appearance) shown.push({ ref: target.context.register(copier.copy(appearance.stream)), mapping: rectMapping(appearance.bbox, appearance.matrix, appearance.rect) });
  }
  // embedPdf copies the whole page dictionary into the copy (unreferenced, but written):
  // without this, the original's widgets would bring its signature dictionaries along, and
  // a verifier scanning the copy would find signatures over byte ranges of another file.
  for (const key of PAGE_EXTRAS) original.node.delete(PDFName.of(key));

  const [embedded] = await target.embedPdf(source, [index]);
  page.drawPage(embedded!, { x: at.x, y: at.y, xScale: at.scale, yScale: at.scale });
  // Original default user space → the copy's page: the same move drawPage made.
  const toCopy: Matrix = [at.scale, 0, 0, at.scale, at.x - at.scale * left, at.y - at.scale * bottom];
  for (const { ref, mapping } of shown) {
    const name = page.node.newXObject('Annot', ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...multiply(mapping, toCopy)), drawObject(name), popGraphicsState());
  }
}

/** Page entries that reach beyond the page's picture: annotations (fields, signatures), beads, actions, metadata (ISO 32000-1 Table 30). */
const PAGE_EXTRAS = ['Annots', 'B', 'AA', 'Metadata', 'PieceInfo', 'StructParents', 'Thumb'] as const;

interface Shown {
  readonly stream: PDFStream;
  readonly rect: readonly [number, number, number, number];
  readonly bbox: readonly [number, number, number, number];
  readonly matrix: Matrix;
}

/** The annotation's normal appearance (its /AS state's, for a dictionary of states), if it shows at all. */
function visibleAppearance(annot: PDFDict): Shown | undefined {
  const flags = numberOf(annot.get(PDFName.of('F'))) ?? 0;
  if (flags & (HIDDEN | NO_VIEW)) return undefined;
  if (annot.get(PDFName.of('Subtype')) === PDFName.of('Popup')) return undefined;
  const rect = numbers(annot.lookupMaybe(PDFName.of('Rect'), PDFArray), 4);
  if (!rect || Math.abs(rect[2]! - rect[0]!) < 1e-6 || Math.abs(rect[3]! - rect[1]!) < 1e-6) return undefined;
  const ap = annot.lookupMaybe(PDFName.of('AP'), PDFDict);
  let normal = ap?.lookup(PDFName.of('N'));
  if (normal instanceof PDFDict && !(normal instanceof PDFStream)) {
    const state = annot.get(PDFName.of('AS'));
    normal = state instanceof PDFName ? normal.lookup(state) : undefined;
  }
  if (!(normal instanceof PDFRawStream || normal instanceof PDFStream)) return undefined;
  const bbox = numbers(normal.dict.lookupMaybe(PDFName.of('BBox'), PDFArray), 4);
  if (!bbox) return undefined;
  const matrix = (numbers(normal.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray), 6) ?? [1, 0, 0, 1, 0, 0]) as unknown as Matrix;
  return { stream: normal, rect: normalise(rect), bbox: normalise(bbox), matrix };
}

/**
 * The matrix A of ISO 32000-1 §12.5.5 (algorithm 8.1): the appearance's /BBox, taken
 * through its /Matrix, bounded by a box, and that box mapped onto /Rect. Painting the form
 * XObject under A applies its /Matrix itself.
 */
function rectMapping(bbox: readonly number[], matrix: Matrix, rect: readonly number[]): Matrix {
  const corners = [
    [bbox[0]!, bbox[1]!],
    [bbox[2]!, bbox[1]!],
    [bbox[0]!, bbox[3]!],
    [bbox[2]!, bbox[3]!],
  ].map(([x, y]) => [matrix[0] * x! + matrix[2] * y! + matrix[4], matrix[1] * x! + matrix[3] * y! + matrix[5]] as const);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const [minX, minY, maxX, maxY] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const sx = maxX - minX > 1e-9 ? (rect[2]! - rect[0]!) / (maxX - minX) : 1;
  const sy = maxY - minY > 1e-9 ? (rect[3]! - rect[1]!) / (maxY - minY) : 1;
  return [sx, 0, 0, sy, rect[0]! - sx * minX, rect[1]! - sy * minY];
}

/** m × n: first m, then n (row vectors, as PDF composes CTMs). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const numberOf = (o: unknown): number | undefined => (o instanceof PDFNumber ? o.asNumber() : undefined);

function numbers(array: PDFArray | undefined, length: number): number[] | undefined {
  if (!array || array.size() !== length) return undefined;
  const out = array.asArray().map(numberOf);
  return out.every((n): n is number => n !== undefined && Number.isFinite(n)) ? out : undefined;
}

/** [llx lly urx ury] whichever corners were given (§7.9.5). */
const normalise = (r: readonly number[]): [number, number, number, number] => [
  Math.min(r[0]!, r[2]!),
  Math.min(r[1]!, r[3]!),
  Math.max(r[0]!, r[2]!),
  Math.max(r[1]!, r[3]!),
];
