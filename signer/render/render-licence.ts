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
import { chineseDate } from '../licence/dates.ts';
import type { LicenceLayout, LicenceType, TextPlacement } from '../licence/licence-type.ts';
import type { LicenceMetadata } from '../licence/metadata.ts';
import { embedCjkSubset, fixCidFontType0, subsetCjkFont, type CjkSubset, type CjkWeight } from './cjk-font.ts';
import { GlyphMissingError, LayoutOverflowError, RenderSetupError } from './errors.ts';
import { faceText } from './face-text.ts';
import { qrOperators, qrSymbol } from './qr.ts';
import { wrapText } from './text-layout.ts';
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
const MM = 72 / 25.4;
const ASCENT = 0.88; // Noto Sans CJK: ascender 880/1000 em
const A4 = { width: 210 * MM, height: 297 * MM };

interface TextItem {
  /** Face field key or page part, named in errors. */
  readonly part: string;
  readonly text: string;
  readonly weight: CjkWeight;
}

/**
 * Two- and three-character labels spread over four characters' width, as printed licences
 * set them (名　　称, 住　所 → 住 所 with en spaces). Real space characters, not character
 * spacing, so text extraction keeps each label one word.
 */
function spreadLabel(label: string): string {
  const chars = [...label];
  if (chars.length === 2) return chars.join('\u3000\u3000');
  if (chars.length === 3) return chars.join('\u2002');
  return label;
}

function pageSize(layout: LicenceLayout) {
  return layout.page === 'A4-landscape' ? { width: A4.height, height: A4.width } : { ...A4 };
}

/** Every piece of text on the face, in drawing order, each with what it belongs to; for a paper form, no title and no labels. */
function textItems(type: LicenceType, licence: LicenceMetadata, paperForm: boolean): TextItem[] {
  const { layout } = type;
  const items: TextItem[] = paperForm ? [] : [{ part: 'title', text: layout.title.text ?? type.name, weight: 'Bold' }];
  if (layout.number) items.push({ part: 'number', text: (layout.number.prefix ?? '') + licence.number, weight: 'Regular' });
  for (const placement of layout.fields) {
    const field = type.schema.fields.find((f) => f.key === placement.field);
    if (!field) throw new RenderSetupError(`licence type ${type.code}: layout places unknown field '${placement.field}'`);
    const value = licence.face[field.key];
    if (value === undefined) continue;
    if (!paperForm) items.push({ part: field.key, text: spreadLabel(field.label), weight: 'Regular' });
    items.push({ part: field.key, text: faceText(field, value), weight: 'Regular' });
  }
  items.push(
    { part: 'issuer', text: (layout.issuer.prefix ?? '') + licence.issuer, weight: 'Regular' },
    { part: 'issueDate', text: (layout.issueDate.prefix ?? '') + chineseDate(licence.issueDate), weight: 'Regular' },
    { part: 'identifier', text: (layout.identifier.prefix ?? '') + licence.identifier, weight: 'Regular' },
  );
  if (layout.qr.caption) items.push({ part: 'qr', text: layout.qr.caption, weight: 'Regular' });
  return items;
}

async function subsets(items: readonly TextItem[]): Promise<Map<CjkWeight, CjkSubset>> {
  const out = new Map<CjkWeight, CjkSubset>();
  for (const weight of ['Regular', 'Bold'] as const) {
    const text = items.filter((i) => i.weight === weight).map((i) => i.text).join('');
    if (text === '') continue;
    const subset = await subsetCjkFont(weight, text);
    if (subset.missing.length > 0) {
      const item = items.find((i) => i.weight === weight && subset.missing.some((c) => i.text.includes(c)))!;
      throw new GlyphMissingError({ field: item.part, characters: subset.missing.filter((c) => item.text.includes(c)) });
    }
    out.set(weight, subset);
  }
  return out;
}

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

class Painter {
  readonly #page: PDFPage;
  readonly #height: number;

  constructor(page: PDFPage) {
    this.#page = page;
    this.#height = page.getHeight();
  }

  /** Draws one line with its top at `topMm`; `x` is where `align` anchors it. */
  line(text: string, font: PDFFont, p: { x: number; top: number; size: number; align?: TextPlacement['align']; spacing?: number }): void {
    const spacing = p.spacing ?? 0;
    const width = widthOf(font, text, p.size) + spacing * Math.max(0, [...text].length - 1);
    const x = p.align === 'center' ? p.x * MM - width / 2 : p.align === 'right' ? p.x * MM - width : p.x * MM;
    const y = this.#height - p.top * MM - p.size * ASCENT;
    if (spacing !== 0) this.#page.pushOperators(setCharacterSpacing(spacing));
    this.#page.drawText(text, { x, y, size: p.size, font, color: rgb(0, 0, 0) });
    if (spacing !== 0) this.#page.pushOperators(setCharacterSpacing(0));
  }

  placed(text: string, font: PDFFont, p: TextPlacement): void {
    this.line((p.prefix ?? '') + text, font, { x: p.x, top: p.y, size: p.size, align: p.align });
  }
}

/** Fits `text` in `maxLines` lines of `widthPt`, shrinking by half points from `size` to `minSize`. */
function fit(text: string, font: PDFFont, widthPt: number, size: number, minSize: number, maxLines: number, field: string) {
  for (let s = size; s >= minSize - 1e-9; s -= 0.5) {
    const lines = wrapText(text, widthPt, (t) => widthOf(font, t, s));
    if (lines.length <= maxLines) return { lines, size: s };
  }
  const lines = wrapText(text, widthPt, (t) => widthOf(font, t, minSize));
  throw new LayoutOverflowError({ field, lines: lines.length, maxLines });
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
  let url: URL | undefined;
  try {
    url = new URL(options.statusUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidInputError({ field: 'statusUrl', message: `statusUrl: '${options.statusUrl}' is not an absolute http(s) URL` });
  if (licence.typeCode !== type.code)
    throw new InvalidInputError({ field: 'typeCode', message: `typeCode: licence is of type ${licence.typeCode}, not ${type.code}` });

  const { layout } = type;
  const paperForm = options.paperForm === true;
  const items = textItems(type, licence, paperForm);
  const fontSubsets = await subsets(items);
  const createdAt = options.createdAt ?? new Date(`${licence.issueDate}T00:00:00+08:00`);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = new Map<CjkWeight, PDFFont>();
  for (const [weight, subset] of fontSubsets) fonts.set(weight, await embedCjkSubset(doc, subset));
  const regular = fonts.get('Regular')!;
  const bold = fonts.get('Bold') ?? regular;

  const size = pageSize(layout);
  const page = doc.addPage([size.width, size.height]);
  const painter = new Painter(page);

  if (layout.border && !paperForm) {
    const { inset, width, color, double } = layout.border;
    const draw = (d: number, w: number) =>
      page.drawRectangle({ x: d * MM, y: d * MM, width: size.width - 2 * d * MM, height: size.height - 2 * d * MM, borderWidth: w, borderColor: rgb(...color) });
    draw(inset, width);
    if (double) draw(inset + 1.5, width / 3);
  }

  const title = layout.title;
  if (!paperForm) painter.line(title.text ?? type.name, bold, { x: title.x, top: title.y, size: title.size, align: title.align, spacing: title.letterSpacing });
  if (layout.number) painter.placed(licence.number, regular, layout.number);

  for (const placement of layout.fields) {
    const field = type.schema.fields.find((f) => f.key === placement.field)!;
    const value = licence.face[field.key];
    if (value === undefined) continue;
    if (!paperForm) painter.line(spreadLabel(field.label), regular, { x: placement.x, top: placement.y, size: placement.size });
    const { lines, size: fitted } = fit(
      faceText(field, value),
      regular,
      (placement.width - placement.labelWidth) * MM,
      placement.size,
      placement.minSize ?? placement.size,
      placement.maxLines,
      field.key,
    );
    const lineHeight = (placement.lineHeight ?? 1.5) * fitted;
    lines.forEach((line, i) => painter.line(line, regular, { x: placement.x + placement.labelWidth, top: placement.y + (i * lineHeight) / MM, size: fitted }));
  }

  painter.placed(licence.issuer, regular, layout.issuer);
  painter.placed(chineseDate(licence.issueDate), regular, layout.issueDate);
  painter.placed(licence.identifier, regular, layout.identifier);

  const qr = layout.qr;
  page.pushOperators(...qrOperators(qrSymbol(url.toString()), qr.x * MM, size.height - (qr.y + qr.size) * MM, qr.size * MM));
  if (qr.caption) painter.line(qr.caption, regular, { x: qr.x + qr.size / 2, top: qr.y + qr.size + 0.5, size: 7, align: 'center' });

  const jointSeals = paperForm ? 0 : (options.jointSeals ?? 0);
  if (!Number.isInteger(jointSeals) || jointSeals < 0) throw new InvalidInputError({ field: 'jointSeals', message: `jointSeals: ${jointSeals} is not a whole number` });
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

/** Space between two seals in a row beyond the type's places, in millimetres. */
const JOINT_SEAL_GAP = 3;

/**
 * The places of `count` joint seals: the type's, then a row leftwards from the last one.
 * @throws `InvalidInputError` (field `jointSeals`) when the row runs off the page.
 */
function jointSealPlaces(layout: LicenceLayout, count: number): LicenceLayout['seal'][] {
  const places = [...(layout.jointSeals ?? [])].slice(0, count);
  while (places.length < count) {
    const last = places.at(-1) ?? layout.seal;
    const x = last.x - last.size - JOINT_SEAL_GAP;
    if (x < 0) throw new InvalidInputError({ field: 'jointSeals', message: `jointSeals: no room on the page for ${count} joint seals` });
    places.push({ ...last, x });
  }
  return places;
}

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
