/**
 * A licence face as an OFD page (GB/T 33190 §9 pages, §11 text, §10 paths): each laid-out
 * line a TextObject in the subset font, with DeltaX giving every advance so that a reader
 * places each character where the PDF does; the border and the QR code as path objects.
 * OFD's coordinates are millimetres from the page's top-left corner, y down.
 */
import type { CjkWeight } from '../render/cjk-font.ts';
import { ASCENT, MM, type FaceLayout, type FaceLine } from '../render/face-layout.ts';
import { QUIET_ZONE, qrRuns, type QrSymbol } from '../render/qr.ts';
import { escapeXml, mm, OFD_NS, XML_DECLARATION } from './ofd-xml.ts';

/** Advance of one character at `size` points, in points. */
export type Advance = (weight: CjkWeight, char: string, size: number) => number;

/** Hands out the document's object IDs (ST_ID, unique in the document; GB/T 33190 §7.5). */
export class IdCounter {
  #last = 0;

  next(): number {
    return ++this.#last;
  }

  get max(): number {
    return this.#last;
  }
}

export interface PageInput {
  readonly face: FaceLayout;
  readonly qr: QrSymbol;
  /** Font resource IDs by weight. */
  readonly fontIds: ReadonlyMap<CjkWeight, number>;
  readonly advance: Advance;
  readonly ids: IdCounter;
}

/** The Content.xml of the licence page. */
export function pageContentXml(input: PageInput): string {
  const { face, ids } = input;
  const width = face.page.width / MM;
  const height = face.page.height / MM;
  const objects: string[] = [];
  if (face.border) {
    const { inset, width: line, color, double } = face.border;
    const stroke = color.map((c) => Math.round(c * 255)).join(' ');
    const frame = (d: number, w: number) =>
      objects.push(`<ofd:PathObject ID="${ids.next()}" Boundary="0 0 ${mm(width)} ${mm(height)}" LineWidth="${mm(w / MM)}" Stroke="true" Fill="false">` +
        `<ofd:StrokeColor Value="${stroke}"/><ofd:AbbreviatedData>${rectangle(d, d, width - 2 * d, height - 2 * d)} C</ofd:AbbreviatedData></ofd:PathObject>`);
    frame(inset, line);
    if (double) frame(inset + 1.5, line / 3);
  }
  for (const line of face.lines) objects.push(textObject(line, input));
  objects.push(qrObject(input));
  if (face.qr.caption) objects.push(textObject(face.qr.caption, input));
  return `${XML_DECLARATION}<ofd:Page xmlns:ofd="${OFD_NS}"><ofd:Area><ofd:PhysicalBox>0 0 ${mm(width)} ${mm(height)}</ofd:PhysicalBox></ofd:Area>` +
    `<ofd:Content><ofd:Layer ID="${ids.next()}" Type="Body">${objects.join('')}</ofd:Layer></ofd:Content></ofd:Page>`;
}

/** `M L L L` around a rectangle, coordinates in mm relative to the object's Boundary. */
const rectangle = (x: number, y: number, w: number, h: number): string =>
  `M ${mm(x)} ${mm(y)} L ${mm(x + w)} ${mm(y)} L ${mm(x + w)} ${mm(y + h)} L ${mm(x)} ${mm(y + h)}`;

/**
 * One line: the Boundary is the line's box (a little wider and deeper than the glyphs, since
 * readers may clip to it), the TextCode's baseline `ASCENT` font sizes below its top, and
 * DeltaX the advance after each character but the last (glyph advance plus letter spacing).
 */
function textObject(line: FaceLine, input: PageInput): string {
  const size = line.size / MM;
  const chars = [...line.text];
  const deltas = chars.slice(0, -1).map((c) => mm((input.advance(line.weight, c, line.size) + line.spacing) / MM));
  const left = line.left / MM;
  const boundary = `${mm(left)} ${mm(line.top)} ${mm(line.width / MM + 1)} ${mm(size * 1.2)}`;
  return `<ofd:TextObject ID="${input.ids.next()}" Boundary="${boundary}" Font="${input.fontIds.get(line.weight)}" Size="${mm(size)}">` +
    `<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="${mm(size * ASCENT)}"${deltas.length > 0 ? ` DeltaX="${deltas.join(' ')}"` : ''}>${escapeXml(line.text)}</ofd:TextCode></ofd:TextObject>`;
}

/** The QR code as one filled path: a rectangle for each horizontal run of dark modules, quiet zone included in the box. */
function qrObject(input: PageInput): string {
  const { qr } = input.face;
  const m = qr.size / (input.qr.size + 2 * QUIET_ZONE);
  const runs = [...qrRuns(input.qr)].map(({ row, col, length }) => `${rectangle((QUIET_ZONE + col) * m, (QUIET_ZONE + row) * m, length * m, m)} C`);
  return `<ofd:PathObject ID="${input.ids.next()}" Boundary="${mm(qr.x)} ${mm(qr.y)} ${mm(qr.size)} ${mm(qr.size)}" Stroke="false" Fill="true">` +
    `<ofd:FillColor Value="0 0 0"/><ofd:AbbreviatedData>${runs.join(' ')}</ofd:AbbreviatedData></ofd:PathObject>`;
}
