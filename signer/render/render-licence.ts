import '../pdf/native-deflate.ts';
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import {
  AFRelationship,
  PDFDocument,
  PDFHexString,
  PDFName,
  rgb,
  setCharacterSpacing,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { InvalidInputError } from '../../common/index.ts';
import type { LicenceLayout, LicenceType } from '../licence/licence-type.ts';
import type { LicenceMetadata } from '../licence/metadata.ts';
import { embedCjkSubset, fixCidFontType0, type CjkWeight } from './cjk-font.ts';
import { ASCENT, checkStatusUrl, faceItems, faceSubsets, jointSealPlaces, layoutFace, MM, type FaceLine } from './face-layout.ts';
import { qrOperators, qrSymbol } from './qr.ts';
import { licenceXmp } from './xmp.ts';

/** Name of the embedded file holding the licence metadata as JSON. */
export const LICENCE_ATTACHMENT_NAME = 'licence.json';

/** What `licence.json` holds: a version, the standard, and the GB/T 36903 metadata. */
export interface LicenceAttachment {
  readonly version: 1;
  readonly standard: 'GB/T 36903-2018';
  readonly licence: LicenceMetadata;
}

export interface RenderOptions {
  /** The licence's public status URL (absolute http or https), encoded in the QR code. */
  readonly statusUrl: string;
  /** Creation time for the Info dictionary and XMP. Default: the issue date, 00:00 China Standard Time. */
  readonly createdAt?: Date;
  /**
   * How many joint seals (联办件) sign after the issuer's, at the places the type gives.
   * With any, the PDF already holds an empty signature field for every seal, at its place:
   * the issuer's certification then covers them, and each seal fills its own. Filling a
   * field is a change a certification (DocMDP P 2) allows; adding one is not, as pyHanko
   * judges it. @default 0: no field, the issuer's seal makes its own.
   */
  readonly jointSeals?: number;
  /**
   * For the pre-printed paper form (see `renderPrintFile`): only what differs per licence,
   * at the same places — no border, no title, no field labels, no signature fields; the
   * form carries the art and the labels, the department its seal in ink. @default false
   */
  readonly paperForm?: boolean;
}

/** A rectangle on a page in PDF user space: points, origin at the page's lower-left corner. */
export interface PageRect {
  readonly pageIndex: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface RenderedLicence {
  /** The unsigned PDF. */
  readonly pdf: Uint8Array;
  /** Where the seal goes: the signer places the seal widget exactly here. */
  readonly sealRect: PageRect;
  /** Where each joint seal goes, in signing order (as many as `jointSeals`). */
  readonly jointSealRects: readonly PageRect[];
  /**
   * The empty signature fields, by name: the issuer's seal's first, then each joint seal's,
   * at `sealRect` and `jointSealRects`. Empty without joint seals.
   */
  readonly sealFields: readonly string[];
  readonly pageSize: { readonly width: number; readonly height: number };
}

const PRODUCER = 'zhengyin';

/**
 * Text width as the sum of per-character advances, cached per font. Exact here: the subsets
 * carry no GSUB/GPOS, so pdf-lib lays text out glyph by glyph from the cmap; and it saves
 * re-running fontkit's layout for every candidate line while wrapping.
 */
const advanceCache = new WeakMap<PDFFont, Map<string, number>>();
function widthOf(font: PDFFont, text: string, size: number): number {
  let cache = advanceCache.get(font);
  if (!cache) advanceCache.set(font, (cache = new Map()));
  let w = 0;
  for (const ch of text) {
    let a = cache.get(ch);
    if (a === undefined) cache.set(ch, (a = font.widthOfTextAtSize(ch, 1)));
    w += a;
  }
  return w * size;
}

/** Draws one laid-out line: its top `line.top` mm below the page's top edge. */
function drawLine(page: PDFPage, line: FaceLine, font: PDFFont): void {
  const y = page.getHeight() - line.top * MM - line.size * ASCENT;
  if (line.spacing !== 0) page.pushOperators(setCharacterSpacing(line.spacing));
  page.drawText(line.text, { x: line.left, y, size: line.size, font, color: rgb(0, 0, 0) });
  if (line.spacing !== 0) page.pushOperators(setCharacterSpacing(0));
}

/**
 * Renders a licence as an unsigned one-page A4 PDF after its type's layout.
 *
 * The page holds the face fields in Chinese (Noto Sans CJK SC, subset per document and
 * embedded as CIDFontType0 / FontFile3 CIDFontType0C), the issuing authority and date, the
 * 证照编号 and the GB/T 36904 identifier, and a QR code of `options.statusUrl` drawn as
 * vector rectangles. The seal's place is left empty and returned as `sealRect`; with joint
 * seals, every seal's place holds an empty signature field (`sealFields`). The GB/T
 * 36903 metadata travels inside: as XMP (the catalog's /Metadata) and as the embedded file
 * `licence.json` (an associated file of the document, /AFRelationship /Data).
 *
 * The output is deterministic: the same type, licence and options give the same bytes.
 *
 * @throws `InvalidInputError` (field `statusUrl` or `typeCode`) for bad input;
 * {@link GlyphMissingError} when the font lacks a character; {@link LayoutOverflowError}
 * when a value does not fit its place; {@link RenderSetupError} for a type whose layout
 * names an unknown field.
 * @example
 * const { pdf, sealRect } = await renderLicence(BUSINESS_LICENCE, meta, { statusUrl: 'https://zw.example/licences/L1' });
 */
export async function renderLicence(type: LicenceType, licence: LicenceMetadata, options: RenderOptions): Promise<RenderedLicence> {
  const url = checkStatusUrl(options.statusUrl);
  if (licence.typeCode !== type.code)
    throw new InvalidInputError({ field: 'typeCode', message: `typeCode: licence is of type ${licence.typeCode}, not ${type.code}` });

  const { layout } = type;
  const paperForm = options.paperForm === true;
  const fontSubsets = await faceSubsets(faceItems(type, licence, paperForm));
  const createdAt = options.createdAt ?? new Date(`${licence.issueDate}T00:00:00+08:00`);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = new Map<CjkWeight, PDFFont>();
  for (const [weight, subset] of fontSubsets) fonts.set(weight, await embedCjkSubset(doc, subset));
  const regular = fonts.get('Regular')!;
  const fontOf = (weight: CjkWeight): PDFFont => fonts.get(weight) ?? regular;
  const face = layoutFace(type, licence, { paperForm, measure: (weight, text, size) => widthOf(fontOf(weight), text, size) });

  const size = face.page;
  const page = doc.addPage([size.width, size.height]);

  if (face.border) {
    const { inset, width, color, double } = face.border;
    const draw = (d: number, w: number) =>
      page.drawRectangle({ x: d * MM, y: d * MM, width: size.width - 2 * d * MM, height: size.height - 2 * d * MM, borderWidth: w, borderColor: rgb(...color) });
    draw(inset, width);
    if (double) draw(inset + 1.5, width / 3);
  }

  for (const line of face.lines) drawLine(page, line, fontOf(line.weight));

  const qr = face.qr;
  page.pushOperators(...qrOperators(qrSymbol(url), qr.x * MM, size.height - (qr.y + qr.size) * MM, qr.size * MM));
  if (qr.caption) drawLine(page, qr.caption, fontOf(qr.caption.weight));

  const jointSeals = paperForm ? 0 : (options.jointSeals ?? 0);
  const sealRect = boxRect(layout.seal, size.height);
  const jointSealRects = jointSealPlaces(layout, jointSeals).map((box) => boxRect(box, size.height));
  const sealFields = jointSeals === 0 ? [] : [sealRect, ...jointSealRects].map((_, i) => `Seal${i + 1}`);
  if (jointSeals > 0) addEmptySignatureFields(doc, page, sealFields, [sealRect, ...jointSealRects]);

  await embedMetadata(doc, licence, createdAt);
  await doc.flush();
  for (const [weight, font] of fonts) fixCidFontType0(doc, font, fontSubsets.get(weight)!);

  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, pageSize: size, sealRect, jointSealRects, sealFields };
}

/** A square place on the (only) page, from millimetres from the top-left corner. */
const boxRect = (box: LicenceLayout['seal'], pageHeight: number): PageRect => ({
  pageIndex: 0,
  x: box.x * MM,
  y: pageHeight - (box.y + box.size) * MM,
  width: box.size * MM,
  height: box.size * MM,
});

/**
 * Empty signature fields, each merged with its widget (ISO 32000-1 §12.7.4.5), on the page
 * and in the AcroForm. No /SigFlags yet: nothing is signed (§12.7.2).
 */
function addEmptySignatureFields(doc: PDFDocument, page: PDFPage, names: readonly string[], rects: readonly PageRect[]): void {
  const widgets = names.map((name, i) => {
    const r = rects[i]!;
    const widget = doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [r.x, r.y, r.x + r.width, r.y + r.height], F: 4, P: page.ref });
    widget.set(PDFName.of('T'), PDFHexString.fromText(name));
    const ref = doc.context.register(widget);
    page.node.addAnnot(ref);
    return ref;
  });
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: widgets }));
}

/** Info dictionary, XMP packet, the licence.json associated file, and a trailer /ID derived from the metadata. */
async function embedMetadata(doc: PDFDocument, licence: LicenceMetadata, createdAt: Date): Promise<void> {
  const attachment: LicenceAttachment = { version: 1, standard: 'GB/T 36903-2018', licence };
  const json = new TextEncoder().encode(JSON.stringify(attachment, null, 2));
  await doc.attach(json, LICENCE_ATTACHMENT_NAME, {
    mimeType: 'application/json',
    description: `${licence.name} ${licence.identifier} — GB/T 36903 metadata`,
    creationDate: createdAt,
    modificationDate: createdAt,
    afRelationship: AFRelationship.Data,
  });

  doc.setTitle(`${licence.name} ${licence.number}`, { showInWindowTitleBar: true });
  doc.setSubject(licence.identifier);
  doc.setAuthor(licence.issuer);
  doc.setKeywords([licence.identifier]);
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  doc.setLanguage('zh-CN');

  const xmp = new TextEncoder().encode(licenceXmp(licence, createdAt, PRODUCER));
  const metadata = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML', Length: xmp.length });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));

  // File identifier (ISO 32000-1 §14.4): both halves from the metadata, so output is reproducible.
  const id = PDFHexString.of(createHash('sha256').update(json).digest('hex').slice(0, 32));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
}
