import '../pdf/native-deflate.ts';
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { AFRelationship, degrees, EncryptedPDFError, PDFDocument, PDFHexString, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { InvalidInputError } from '../../common/index.ts';
import { addDocumentTimestamp } from '../pades/document-timestamp.ts';
import { signPdf } from '../pades/sign-pdf.ts';
import { addValidationData } from '../pades/validation-data.ts';
import { PdfEncryptedError, PdfReadError } from '../pdf/errors.ts';
import { embedCjkSubset, fixCidFontType0, subsetCjkFont, type CjkSubset, type CjkWeight } from '../render/cjk-font.ts';
import { GlyphMissingError } from '../render/errors.ts';
import { wrapText } from '../render/text-layout.ts';
import type { RevocationSource, SigningIdentity, TimestampAuthority } from '../types.ts';
import { checkNote, noteLines, type AnnotationNote, type NoteLine } from './note-text.ts';
import { drawOriginalPage } from './original-pages.ts';

/** Name of the embedded file that holds the signed original, byte for byte. */
export const ORIGINAL_ATTACHMENT_NAME = 'original.pdf';

/** Who signs the copy: the platform's key, not the issuing department's (it made the original, not this copy). */
export interface AnnotatedCopySigner {
  readonly identity: SigningIdentity;
  /** The signature time-stamp: the copy is at least PAdES B-T. */
  readonly tsa: TimestampAuthority;
  /** With it, validation data and a document time-stamp follow (B-LT, then B-LTA), as for a licence. */
  readonly revocation?: RevocationSource | undefined;
  /** A seal picture (PNG) shown at the note block as the signature's appearance; without one the signature is invisible. */
  readonly image?: Uint8Array | undefined;
  /** 签章地点 (/Location). */
  readonly location?: string | undefined;
}

export interface AnnotatedCopyInput {
  /** The signed original (a licence PDF); it is attached unchanged, never updated. */
  readonly original: Uint8Array;
  readonly note: AnnotationNote;
  readonly signer: AnnotatedCopySigner;
}

const MM = 72 / 25.4;
const MARGIN = 10 * MM;
const TITLE_SIZE = 11;
const TEXT_SIZE = 8;
const LINE_HEIGHT = 1.45;
const SEAL_WIDTH = 28 * MM;
const MARK_TEXT = '副本 COPY';
const INK = rgb(0.55, 0.05, 0.05);

/**
 * Makes an annotated copy (加注件) of a signed original: a new PDF whose pages show the
 * original's pages (as pictures: page content and annotation appearances, seals included)
 * above a stamped note block — 加注: for which use, 接收方, 有效期至, 编号, in Chinese and
 * English — with a diagonal "副本 COPY" mark across them; the original attached byte for
 * byte as `original.pdf` (/EmbeddedFiles and the catalog's /AF, /AFRelationship /Source);
 * then certified (DocMDP P 1: no change but validation data and time-stamps) by `signer`,
 * PAdES B-T, and B-LTA when a revocation source is given.
 *
 * Why a new document and not an annotation on the original: the original's certification
 * signature (DocMDP P 2) forbids adding annotations, and a reader must still be able to
 * verify the original as issued. The copy is signed by whoever made it; the original, with
 * its own signatures untouched, can be extracted and verified on its own.
 *
 * Equivalent to composing the pages, `signPdf(copy, { identity, tsa, certify: { permissions: 1 } })`,
 * then `addValidationData` and `addDocumentTimestamp`.
 * @throws `InvalidInputError` (`note.*`, `original`); {@link PdfReadError} / {@link PdfEncryptedError}
 *   for an original that cannot be read; {@link GlyphMissingError} (field `note.<part>`)
 *   for a character the font lacks; the signer's and TSA's own errors.
 * @example
 * const copy = await makeAnnotatedCopy({ original: licencePdf, note: { recipient: '某银行', purpose: '开户', validUntil, reference: 'UC-1', issuedAt: new Date() }, signer: { identity, tsa } });
 */
export async function makeAnnotatedCopy(input: AnnotatedCopyInput): Promise<Uint8Array> {
  if (!(input?.original instanceof Uint8Array)) throw new InvalidInputError({ field: 'original', message: 'original: the signed PDF as bytes' });
  checkNote(input.note);
  const { note, signer } = input;
  const source = await loadOriginal(input.original);
  const originalSha256 = createHash('sha256').update(input.original).digest('hex');

  const lines = noteLines(note, originalSha256);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = await embedFonts(doc, lines);

  let sealPlace: { x: number; y: number } | undefined;
  for (let i = 0; i < source.getPageCount(); i++) {
    const { width, height } = source.getPage(i).getMediaBox();
    const page = doc.addPage([width, height]);
    const textWidth = width - 2 * MARGIN - (signer.image ? SEAL_WIDTH + MARGIN / 2 : 0);
    const wrapped = wrapLines(lines, fonts, textWidth);
    const blockHeight = wrapped.reduce((h, l) => h + l.size * LINE_HEIGHT, 0);
    const strip = blockHeight + 2 * MARGIN;
    // The original shrinks to leave the strip below it free: nothing of it is covered.
    const scale = Math.min(1, (height - strip - MARGIN / 2) / height);
    const area = { x: (width - width * scale) / 2, y: strip, width: width * scale, height: height * scale };
    await drawOriginalPage(doc, page, source, i, { x: area.x, y: area.y, scale });
    page.drawRectangle({ x: area.x, y: area.y, width: area.width, height: area.height, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5 });
    drawNote(page, wrapped, { x: MARGIN, top: strip - MARGIN, width: width - 2 * MARGIN, bottom: MARGIN / 2 });
    drawMark(page, fonts.Regular, area);
    if (i === 0) sealPlace = { x: width - MARGIN - SEAL_WIDTH, y: Math.max(MARGIN / 2, strip - MARGIN - SEAL_WIDTH) };
  }

  await doc.attach(input.original, ORIGINAL_ATTACHMENT_NAME, {
    mimeType: 'application/pdf',
    description: `签章原件 / the signed original, SHA-256 ${originalSha256}`,
    creationDate: note.issuedAt,
    modificationDate: note.issuedAt,
    afRelationship: AFRelationship.Source,
  });
  doc.setTitle(`加注件 Annotated copy ${note.reference}`, { showInWindowTitleBar: true });
  doc.setSubject(`加注件: ${note.reference}`);
  doc.setKeywords([note.reference, originalSha256]);
  doc.setCreator('zhengyin');
  doc.setProducer('zhengyin');
  doc.setCreationDate(note.issuedAt);
  doc.setModificationDate(note.issuedAt);
  doc.setLanguage('zh-CN');
  // File identifier (ISO 32000-1 §14.4): from the original and the reference, so the same note gives the same id.
  const id = PDFHexString.of(createHash('sha256').update(originalSha256).update(note.reference).digest('hex').slice(0, 32));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  await doc.flush();
  for (const [weight, font] of fonts.embedded) fixCidFontType0(doc, font, fonts.subsets.get(weight)!);
  const unsigned = await doc.save({ useObjectStreams: false });

  let pdf = await signPdf(unsigned, {
    identity: signer.identity,
    tsa: signer.tsa,
    certify: { permissions: 1 },
    reason: `加注件 ${note.reference}`,
    ...(signer.location ? { location: signer.location } : {}),
    signingTime: note.issuedAt,
    ...(signer.image && sealPlace ? { appearance: { image: signer.image, page: 0, x: sealPlace.x, y: sealPlace.y, width: SEAL_WIDTH } } : {}),
  });
  if (signer.revocation) {
    pdf = await addValidationData(pdf, { revocation: signer.revocation });
    pdf = await addDocumentTimestamp(pdf, { tsa: signer.tsa });
  }
  return pdf;
}

async function loadOriginal(bytes: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    if (e instanceof EncryptedPDFError) throw new PdfEncryptedError();
    throw new PdfReadError({ message: `original: not a PDF pdf-lib can read (${(e as Error).message})`, cause: e });
  }
  if (doc.getPageCount() === 0) throw new InvalidInputError({ field: 'original', message: 'original: the PDF has no page' });
  return doc;
}

interface Fonts {
  readonly Regular: PDFFont;
  readonly Bold: PDFFont;
  readonly embedded: Map<CjkWeight, PDFFont>;
  readonly subsets: Map<CjkWeight, CjkSubset>;
}

/** One subset per weight, of exactly the characters the page will show. */
async function embedFonts(doc: PDFDocument, lines: readonly NoteLine[]): Promise<Fonts> {
  const subsets = new Map<CjkWeight, CjkSubset>();
  const embedded = new Map<CjkWeight, PDFFont>();
  const texts: Record<CjkWeight, string> = {
    Regular: lines.filter((l) => !l.bold).map((l) => l.text).join('') + MARK_TEXT,
    Bold: lines.filter((l) => l.bold).map((l) => l.text).join(''),
  };
  for (const weight of ['Regular', 'Bold'] as const) {
    const subset = await subsetCjkFont(weight, texts[weight]);
    if (subset.missing.length > 0) {
      const line = lines.find((l) => subset.missing.some((c) => l.text.includes(c)))!;
      throw new GlyphMissingError({ field: `note.${line.part}`, characters: subset.missing.filter((c) => line.text.includes(c)) });
    }
    subsets.set(weight, subset);
    embedded.set(weight, await embedCjkSubset(doc, subset));
  }
  return { Regular: embedded.get('Regular')!, Bold: embedded.get('Bold')!, embedded, subsets };
}

interface WrappedLine {
  readonly text: string;
  readonly font: PDFFont;
  readonly size: number;
}

function wrapLines(lines: readonly NoteLine[], fonts: Fonts, width: number): WrappedLine[] {
  return lines.flatMap((line) => {
    const font = line.bold ? fonts.Bold : fonts.Regular;
    const size = line.bold ? TITLE_SIZE : TEXT_SIZE;
    return wrapText(line.text, width, (t) => font.widthOfTextAtSize(t, size)).map((text) => ({ text, font, size }));
  });
}

/** The note block: a ruled box below the original, its lines from the top. */
function drawNote(page: PDFPage, lines: readonly WrappedLine[], box: { x: number; top: number; width: number; bottom: number }): void {
  page.drawRectangle({
    x: box.x - 3,
    y: box.bottom,
    width: box.width + 6,
    height: box.top + 4 - box.bottom,
    borderColor: INK,
    borderWidth: 0.8,
  });
  let y = box.top;
  for (const line of lines) {
    y -= line.size * LINE_HEIGHT;
    page.drawText(line.text, { x: box.x, y: y + line.size * 0.3, size: line.size, font: line.font, color: line.size === TITLE_SIZE ? INK : rgb(0, 0, 0) });
  }
}

/** "副本 COPY" across the original, along its diagonal, faint enough to read through. */
function drawMark(page: PDFPage, font: PDFFont, area: { x: number; y: number; width: number; height: number }): void {
  const angle = Math.atan2(area.height, area.width);
  const diagonal = Math.hypot(area.width, area.height);
  const size = Math.min(120, (diagonal * 0.6) / (font.widthOfTextAtSize(MARK_TEXT, 1) || 1));
  const w = font.widthOfTextAtSize(MARK_TEXT, size);
  const h = size * 0.7;
  // Start so that the text's middle sits at the area's centre once turned by `angle`.
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  const x = cx - (w / 2) * Math.cos(angle) + (h / 2) * Math.sin(angle);
  const y = cy - (w / 2) * Math.sin(angle) - (h / 2) * Math.cos(angle);
  page.drawText(MARK_TEXT, { x, y, size, font, color: INK, opacity: 0.16, rotate: degrees((angle * 180) / Math.PI) });
}
