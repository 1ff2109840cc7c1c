/**
 * Where everything on a licence face goes, whatever the file format: the text lines (each
 * with its font weight, size, left edge and top), the border, the QR code box and the seal
 * places. The PDF renderer (render-licence.ts) and the OFD writer (signer/ofd) both draw
 * from this, so a licence looks the same in either format. Widths come from a `measure`
 * callback: the layout itself knows no font file and no output format.
 */
import { chineseDate } from '../licence/dates.ts';
import type { BoxPlacement, LicenceLayout, LicenceType, TextPlacement } from '../licence/licence-type.ts';
import type { LicenceMetadata } from '../licence/metadata.ts';
import { subsetCjkFont, type CjkSubset, type CjkWeight } from './cjk-font.ts';
import { GlyphMissingError, LayoutOverflowError, RenderSetupError } from './errors.ts';
import { faceText } from './face-text.ts';
import { wrapText } from './text-layout.ts';
import { InvalidInputError } from '../../common/index.ts';

/** Points per millimetre. */
export const MM = 72 / 25.4;
/** Noto Sans CJK: ascender 880/1000 em; a line's baseline sits this many font sizes below its top. */
export const ASCENT = 0.88;
/** A4 in points. */
const A4 = { width: 210 * MM, height: 297 * MM };

/** Text width in points of `text` at `size` points, in the subset font of `weight`. */
export type Measure = (weight: CjkWeight, text: string, size: number) => number;

/** A piece of text on the face, named by what it belongs to. */
export interface FaceItem {
  /** Face field key or page part (`title`, `number`, `issuer`, `issueDate`, `identifier`, `qr`), named in errors. */
  readonly part: string;
  readonly text: string;
  readonly weight: CjkWeight;
}

/** One line of text, placed. */
export interface FaceLine extends FaceItem {
  /** Left edge, in points from the page's left edge (alignment already applied). */
  readonly left: number;
  /** Top of the line, in millimetres from the page's top edge; the baseline is `size × ASCENT` points lower. */
  readonly top: number;
  /** Font size, points. */
  readonly size: number;
  /** Extra space after each character but the last, points (PDF Tc); 0 for most lines. */
  readonly spacing: number;
  /** Advance width of the whole line, spacing included, points. */
  readonly width: number;
}

export interface FaceLayout {
  /** Page size, points. */
  readonly page: { readonly width: number; readonly height: number };
  /** The frame, absent on a paper form or when the type has none. */
  readonly border: LicenceLayout['border'] | undefined;
  /** Every text line but the QR caption, in drawing order. */
  readonly lines: readonly FaceLine[];
  /** The QR code's square (mm from the top-left corner) and the line under it. */
  readonly qr: BoxPlacement & { readonly caption: FaceLine | undefined };
}

/**
 * Two- and three-character labels spread over four characters' width, as printed licences
 * set them (名　　称, 住　所 → 住 所 with en spaces). Real space characters, not character
 * spacing, so text extraction keeps each label one word.
 */
export function spreadLabel(label: string): string {
  const chars = [...label];
  if (chars.length === 2) return chars.join('\u3000\u3000');
  if (chars.length === 3) return chars.join('\u2002');
  return label;
}

export function pageSize(layout: LicenceLayout): { width: number; height: number } {
  return layout.page === 'A4-landscape' ? { width: A4.height, height: A4.width } : { ...A4 };
}

/** Every piece of text on the face, in drawing order, each with what it belongs to; for a paper form, no title and no labels. */
export function faceItems(type: LicenceType, licence: LicenceMetadata, paperForm: boolean): FaceItem[] {
  const { layout } = type;
  const items: FaceItem[] = paperForm ? [] : [{ part: 'title', text: layout.title.text ?? type.name, weight: 'Bold' }];
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

/**
 * The font subsets the face needs, one per weight used.
 * @throws {@link GlyphMissingError} naming the first part whose text the font cannot show.
 */
export async function faceSubsets(items: readonly FaceItem[]): Promise<Map<CjkWeight, CjkSubset>> {
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

interface LineSpec {
  readonly x: number;
  readonly top: number;
  readonly size: number;
  readonly align?: TextPlacement['align'];
  readonly spacing?: number;
}

/**
 * Lays out the face of `licence` after its type's layout: the same lines, sizes and
 * positions for every output format. Long values wrap (CJK between any two characters,
 * Latin at spaces) and shrink by half points down to the placement's `minSize`.
 *
 * @throws {@link LayoutOverflowError} when a value does not fit its place;
 * {@link RenderSetupError} for a layout that names an unknown field.
 */
export function layoutFace(type: LicenceType, licence: LicenceMetadata, options: Readonly<{ paperForm: boolean; measure: Measure }>): FaceLayout {
  const { layout } = type;
  const { paperForm, measure } = options;
  const lines: FaceLine[] = [];
  const line = (part: string, text: string, weight: CjkWeight, p: LineSpec): FaceLine => {
    const spacing = p.spacing ?? 0;
    const width = measure(weight, text, p.size) + spacing * Math.max(0, [...text].length - 1);
    const left = p.align === 'center' ? p.x * MM - width / 2 : p.align === 'right' ? p.x * MM - width : p.x * MM;
    return { part, text, weight, left, top: p.top, size: p.size, spacing, width };
  };
  const placed = (part: string, text: string, p: TextPlacement) =>
    lines.push(line(part, (p.prefix ?? '') + text, 'Regular', { x: p.x, top: p.y, size: p.size, align: p.align }));

  const title = layout.title;
  if (!paperForm) lines.push(line('title', title.text ?? type.name, 'Bold', { x: title.x, top: title.y, size: title.size, align: title.align, spacing: title.letterSpacing }));
  if (layout.number) placed('number', licence.number, layout.number);

  for (const placement of layout.fields) {
    const field = type.schema.fields.find((f) => f.key === placement.field);
    if (!field) throw new RenderSetupError(`licence type ${type.code}: layout places unknown field '${placement.field}'`);
    const value = licence.face[field.key];
    if (value === undefined) continue;
    if (!paperForm) lines.push(line(field.key, spreadLabel(field.label), 'Regular', { x: placement.x, top: placement.y, size: placement.size }));
    const width = (placement.width - placement.labelWidth) * MM;
    const { lines: wrapped, size } = fit(faceText(field, value), (t, s) => measure('Regular', t, s), width, placement, field.key);
    const lineHeight = (placement.lineHeight ?? 1.5) * size;
    wrapped.forEach((text, i) => lines.push(line(field.key, text, 'Regular', { x: placement.x + placement.labelWidth, top: placement.y + (i * lineHeight) / MM, size })));
  }

  placed('issuer', licence.issuer, layout.issuer);
  placed('issueDate', chineseDate(licence.issueDate), layout.issueDate);
  placed('identifier', licence.identifier, layout.identifier);

  const qr = layout.qr;
  const caption = qr.caption ? line('qr', qr.caption, 'Regular', { x: qr.x + qr.size / 2, top: qr.y + qr.size + 0.5, size: 7, align: 'center' }) : undefined;
  return { page: pageSize(layout), border: paperForm ? undefined : layout.border, lines, qr: { x: qr.x, y: qr.y, size: qr.size, caption } };
}

/** Fits `text` in `maxLines` lines of `widthPt`, shrinking by half points from `size` to `minSize`. */
function fit(text: string, width: (text: string, size: number) => number, widthPt: number, p: { size: number; minSize?: number; maxLines: number }, field: string) {
  const minSize = p.minSize ?? p.size;
  for (let s = p.size; s >= minSize - 1e-9; s -= 0.5) {
    const lines = wrapText(text, widthPt, (t) => width(t, s));
    if (lines.length <= p.maxLines) return { lines, size: s };
  }
  const lines = wrapText(text, widthPt, (t) => width(t, minSize));
  throw new LayoutOverflowError({ field, lines: lines.length, maxLines: p.maxLines });
}

/** Space between two seals in a row beyond the type's places, in millimetres. */
const JOINT_SEAL_GAP = 3;

/**
 * The places of `count` joint seals: the type's, then a row leftwards from the last one.
 * @throws `InvalidInputError` (field `jointSeals`) when the row runs off the page.
 */
export function jointSealPlaces(layout: LicenceLayout, count: number): BoxPlacement[] {
  if (!Number.isInteger(count) || count < 0) throw new InvalidInputError({ field: 'jointSeals', message: `jointSeals: ${count} is not a whole number` });
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
 * The status URL checked: an absolute http(s) URL, normalised.
 * @throws `InvalidInputError` (field `statusUrl`).
 */
export function checkStatusUrl(statusUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(statusUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidInputError({ field: 'statusUrl', message: `statusUrl: '${statusUrl}' is not an absolute http(s) URL` });
  return url.toString();
}
