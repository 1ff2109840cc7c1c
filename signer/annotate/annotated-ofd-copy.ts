/**
 * 加注件 of an OFD: the note (for which use, 接收方, 有效期至, 编号) as a Stamp annotation on
 * the first page, the original attached byte for byte, sealed by whoever made the copy.
 *
 * Why a copy and not a later revision of the original: an OFD annotation is reached only
 * through Document.xml (GB/T 33190 §7.5 Annotations, §15), and every seal system (ours
 * included) protects Document.xml, so no visible addition can leave the original's seals
 * valid. As for PDF (annotated-copy.ts), the copy is a document of its own: the original's
 * pages, resources and metadata as they were, its signatures left out (they would no
 * longer verify here), the note added, and the original itself inside as `original.ofd`,
 * whose seals still verify once extracted.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../common/index.ts';
import { ReceivedOfd, resolveRef } from '../ofd/ofd-package.ts';
import { attributeOf, editablePart, elements, escapeXml, mm, OFD_NS, parseOfdPart, textOf, XML_DECLARATION } from '../ofd/ofd-xml.ts';
import { DEFAULT_OFD_READ_LIMITS, readOfdZip, writeOfdZip, type OfdEntries, type OfdReadLimits } from '../ofd/ofd-zip.ts';
import { ofdPageSize } from '../ofd/seal-place.ts';
import { signOfd, type SignOfdOptions } from '../ofd/sign-ofd.ts';
import { subsetCjkFont, type CjkWeight } from '../render/cjk-font.ts';
import { GlyphMissingError } from '../render/errors.ts';
import { checkNote, noteLines, type AnnotationNote } from './note-text.ts';

/** Name of the attachment that holds the signed original OFD, byte for byte. */
export const ORIGINAL_OFD_ATTACHMENT_NAME = 'original.ofd';

export interface AnnotatedOfdCopyInput {
  /** The signed original OFD; attached unchanged. */
  readonly original: Uint8Array;
  readonly note: AnnotationNote;
  /** The copy maker's seal (an SM2 SES_Seal with its signer), as for `signOfd`; the time defaults to now. */
  readonly seal: Omit<SignOfdOptions, 'page' | 'position' | 'document' | 'limits' | 'signedAt'> & { readonly signedAt?: Date };
  /** The seal's size on the page, mm. @default 30 × 30 */
  readonly sealSize?: { readonly width: number; readonly height: number };
  readonly limits?: Partial<OfdReadLimits>;
}

const MARGIN = 10;
const TEXT_SIZE = 2.6;
const TITLE_SIZE = 3.6;
const LINE_HEIGHT = 1.45;
const INK = '140 13 13';
const FAMILY = 'Noto Sans CJK SC';
const QNAME = '(?:[A-Za-z_][\\w.-]*:)?';
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Makes the annotated copy of the OFD `original` and seals it with `seal` (placed at the
 * lower right of the first page, beside the note). The note's characters are embedded as
 * a subset of the same CJK font the licences use, so every reader shows them.
 * @throws `InvalidInputError` (`note.*`, `original`); `OfdReadError` for an original that
 *   cannot be read; `GlyphMissingError` (`note.<part>`); `OfdSealError` from the seal.
 */
export async function makeAnnotatedOfdCopy(input: AnnotatedOfdCopyInput): Promise<Uint8Array> {
  if (!(input?.original instanceof Uint8Array)) throw new InvalidInputError({ field: 'original', message: 'original: the signed OFD as bytes' });
  checkNote(input.note);
  const entries = readOfdZip(input.original, { ...DEFAULT_OFD_READ_LIMITS, ...input.limits });
  const pkg = ReceivedOfd.of(entries);
  const out: OfdEntries = new Map(entries);
  for (const entry of signatureEntries(pkg)) out.delete(entry);
  out.set(pkg.entryPoint, withoutSignatureLists(entries.get(pkg.entryPoint)!, pkg.entryPoint));

  const root = pkg.bodies[0]!.root;
  const page = pkg.pages(root)[0];
  if (!page?.id) throw new InvalidInputError({ field: 'original', message: 'original: the document has no first page with an ID to annotate' });
  const [width, height] = ofdPageSize(pkg, root, page.content);
  const sealSize = input.sealSize ?? { width: 30, height: 30 };

  const sha256 = createHash('sha256').update(input.original).digest('hex');
  const blockWidth = width - 2 * MARGIN - sealSize.width - 3;
  const lines = noteLines(input.note, sha256, ORIGINAL_OFD_ATTACHMENT_NAME).flatMap((l) =>
    wrap(l.text, l.bold ? TITLE_SIZE : TEXT_SIZE, blockWidth - 4).map((text) => ({ ...l, text })));
  const fonts = new Map<CjkWeight, Awaited<ReturnType<typeof subsetCjkFont>>>();
  for (const weight of ['Bold', 'Regular'] as const) {
    const text = lines.filter((l) => (l.bold ? 'Bold' : 'Regular') === weight).map((l) => l.text).join('');
    const subset = await subsetCjkFont(weight, text);
    const missing = subset.missing[0];
    if (missing !== undefined) {
      const part = lines.find((l) => l.text.includes(missing))?.part ?? 'note';
      throw new GlyphMissingError({ field: `note.${part}`, characters: subset.missing });
    }
    fonts.set(weight, subset);
  }

  const docFolder = root.includes('/') ? root.slice(0, root.lastIndexOf('/')) : '';
  const inDoc = (name: string) => (docFolder ? `${docFolder}/${name}` : name);
  const documentXml = editablePart(entries.get(root)!, root);
  let text = documentXml.text;
  let nextId = Math.max(maxUnitId(text), 0) + 1;
  const id = () => nextId++;

  // Fonts: a document resource file of the copy's own.
  const resEntry = freeName(out, inDoc('CopyRes'), '.xml');
  const resFolder = resEntry.slice(0, -'.xml'.length);
  const fontIds = new Map<CjkWeight, number>();
  const fontXml: string[] = [];
  for (const [weight, subset] of fonts) {
    const fontId = id();
    fontIds.set(weight, fontId);
    out.set(`${resFolder}/font_${fontId}.otf`, subset.otf);
    fontXml.push(`<ofd:Font ID="${fontId}" FontName="${escapeXml(subset.postscriptName)}" FamilyName="${FAMILY}"${weight === 'Bold' ? ' Bold="true"' : ''}><ofd:FontFile>font_${fontId}.otf</ofd:FontFile></ofd:Font>`);
  }
  out.set(resEntry, utf8(`${XML_DECLARATION}<ofd:Res xmlns:ofd="${OFD_NS}" BaseLoc="${escapeXml(resFolder.slice(resFolder.lastIndexOf('/') + 1))}"><ofd:Fonts>${fontXml.join('')}</ofd:Fonts></ofd:Res>`));

  // The note: one Stamp annotation on the first page, its appearance a framed text block.
  const blockHeight = lines.reduce((h, l) => h + (l.bold ? TITLE_SIZE : TEXT_SIZE) * LINE_HEIGHT, 0) + 4;
  const block = { x: MARGIN, y: height - MARGIN - blockHeight, width: blockWidth, height: blockHeight };
  let top = 2;
  const objects = [`<ofd:PathObject ID="${id()}" Boundary="0 0 ${mm(block.width)} ${mm(block.height)}" LineWidth="0.35" Stroke="true" Fill="false"><ofd:StrokeColor Value="${INK}"/>` +
    `<ofd:AbbreviatedData>M 0.2 0.2 L ${mm(block.width - 0.2)} 0.2 L ${mm(block.width - 0.2)} ${mm(block.height - 0.2)} L 0.2 ${mm(block.height - 0.2)} C</ofd:AbbreviatedData></ofd:PathObject>`];
  for (const line of lines) {
    const size = line.bold ? TITLE_SIZE : TEXT_SIZE;
    objects.push(`<ofd:TextObject ID="${id()}" Boundary="2 ${mm(top)} ${mm(block.width - 4)} ${mm(size * 1.3)}" Font="${fontIds.get(line.bold ? 'Bold' : 'Regular')}" Size="${mm(size)}">` +
      `<ofd:FillColor Value="${INK}"/><ofd:TextCode X="0" Y="${mm(size * 0.88)}">${escapeXml(line.text)}</ofd:TextCode></ofd:TextObject>`);
    top += size * LINE_HEIGHT;
  }
  const annotEntry = freeName(out, inDoc('CopyAnnots/Page_0/Annotation'), '.xml');
  const madeAt = input.note.issuedAt.toISOString().slice(0, 10);
  out.set(annotEntry, utf8(`${XML_DECLARATION}<ofd:PageAnnot xmlns:ofd="${OFD_NS}"><ofd:Annot ID="${id()}" Type="Stamp" Creator="zhengyin" LastModDate="${madeAt}" Print="true" ReadOnly="true">` +
    `<ofd:Remark>${escapeXml(lines.map((l) => l.text).join(' '))}</ofd:Remark>` +
    `<ofd:Appearance Boundary="${mm(block.x)} ${mm(block.y)} ${mm(block.width)} ${mm(block.height)}">${objects.join('')}</ofd:Appearance></ofd:Annot></ofd:PageAnnot>`));
  const annotPage = `<ofd:Page PageID="${escapeXml(page.id)}"><ofd:FileLoc>/${escapeXml(annotEntry)}</ofd:FileLoc></ofd:Page>`;

  // The original, attached.
  const originalEntry = freeName(out, inDoc(`CopyAttachs/original`), '.ofd');
  out.set(originalEntry, input.original);
  const attachment = `<ofd:Attachment ID="${id()}" Name="${ORIGINAL_OFD_ATTACHMENT_NAME}" Format="ofd" CreationDate="${input.note.issuedAt.toISOString().slice(0, 19)}" ` +
    `Size="${mm(input.original.length / 1024)}" Visible="true" Usage="原件 original"><ofd:FileLoc>/${escapeXml(originalEntry)}</ofd:FileLoc></ofd:Attachment>`;

  const doc = parseOfdPart(entries.get(root)!, root, 'Document');
  text = appendToList(out, text, root, doc, 'Annotations', annotPage, inDoc('CopyAnnots/Annotations'), ['Attachments', 'CustomTags', 'Extensions']);
  text = appendToList(out, text, root, doc, 'Attachments', attachment, inDoc('CopyAttachs/Attachments'), ['CustomTags', 'Extensions']);
  text = insertDocumentRes(text, resEntry.slice(docFolder ? docFolder.length + 1 : 0));
  text = text.replace(new RegExp(`(<${QNAME}MaxUnitID\\s*>)\\s*\\d*\\s*(</${QNAME}MaxUnitID\\s*>)`), `$1${nextId - 1}$2`);
  out.set(root, documentXml.encode(text));

  const signedAt = input.seal.signedAt ?? new Date();
  const unsealed = writeOfdZip(out, signedAt);
  return signOfd(unsealed, {
    ...input.seal,
    signedAt,
    page: 0,
    position: { x: width - MARGIN - sealSize.width, y: height - MARGIN - sealSize.height, ...sealSize },
  });
}

/** Each signature list, and each listed signature's files: its Signature.xml, signed value and seal, or its own folder. */
function signatureEntries(pkg: ReceivedOfd): Set<string> {
  const out = new Set<string>(pkg.signatureLists);
  const documentFolders = new Set(pkg.bodies.map((b) => folderOf(b.root)));
  for (const list of pkg.signatureLists) {
    for (const s of pkg.listed(list).signatures) {
      if (!s.entry) continue;
      out.add(s.entry);
      const folder = folderOf(s.entry);
      if (folder && folder !== folderOf(list) && !documentFolders.has(folder)) {
        for (const e of pkg.entries.keys()) if (e.startsWith(`${folder}/`)) out.add(e);
        continue;
      }
      try {
        const signature = parseOfdPart(pkg.entries.get(s.entry)!, s.entry, 'Signature');
        for (const ref of [textOf(elements(signature, 'SignedValue')[0]), attributeOf(elements(signature, 'Seal')[0], 'BaseLoc')]) {
          const entry = ref ? resolveRef(pkg.entries, ref, s.entry) : undefined;
          if (entry) out.add(entry);
        }
      } catch {
        // A foreign Signature.xml we cannot read: its own file goes, whatever it named stays.
      }
    }
  }
  return out;
}

/** OFD.xml with every DocBody's Signatures element taken out. */
function withoutSignatureLists(ofdXml: Uint8Array, entry: string): Uint8Array {
  const { text, encode } = editablePart(ofdXml, entry);
  return encode(text.replace(new RegExp(`<(${QNAME})Signatures\\s*>[^<]*</\\1Signatures\\s*>`, 'g'), ''));
}

/**
 * Adds `item` to the document's `list` file (Annotations or Attachments): the one it
 * names, or a new one at `newStem`.xml named before the first of `before` in Document.xml.
 */
function appendToList(out: OfdEntries, text: string, root: string, doc: ReturnType<typeof parseOfdPart>, list: string, item: string, newStem: string, before: readonly string[]): string {
  const ref = textOf(elements(doc, list)[0]);
  const existing = ref ? resolveRef(out, ref, root) : undefined;
  if (existing) {
    const part = editablePart(out.get(existing)!, existing);
    const close = part.text.search(new RegExp(`</${QNAME}${list}\\s*>\\s*$`));
    const selfClosing = new RegExp(`<(${QNAME})${list}\\b([^>]*)/>`).exec(part.text);
    let edited: string;
    if (close >= 0) edited = part.text.slice(0, close) + item + part.text.slice(close);
    else if (selfClosing) edited = part.text.replace(selfClosing[0], `<${selfClosing[1]}${list}${selfClosing[2]}>${item}</${selfClosing[1]}${list}>`);
    else throw new InvalidInputError({ field: 'original', message: `original: ${existing} has no ${list} element` });
    out.set(existing, part.encode(edited));
    return text;
  }
  const entry = freeName(out, newStem, '.xml');
  out.set(entry, utf8(`${XML_DECLARATION}<ofd:${list} xmlns:ofd="${OFD_NS}">${item}</ofd:${list}>`));
  const prefix = /<([A-Za-z_][\w.-]*:)?Document\b/.exec(text)?.[1] ?? '';
  const element = `<${prefix}${list}>${escapeXml(entry.slice(folderOf(root) ? folderOf(root).length + 1 : 0))}</${prefix}${list}>`;
  const at = firstOf(text, [...before.map((b) => `<${QNAME}${b}\\b`), `</${QNAME}Document\\s*>`]);
  return text.slice(0, at) + element + text.slice(at);
}

/** Document.xml with a DocumentRes naming `path` in CommonData, after its other resources (GB/T 33190 §7.5 order). */
function insertDocumentRes(text: string, path: string): string {
  const prefix = /<([A-Za-z_][\w.-]*:)?Document\b/.exec(text)?.[1] ?? '';
  const element = `<${prefix}DocumentRes>${escapeXml(path)}</${prefix}DocumentRes>`;
  const at = firstOf(text, [`<${QNAME}TemplatePage\\b`, `<${QNAME}DefaultCS\\b`, `</${QNAME}CommonData\\s*>`]);
  return text.slice(0, at) + element + text.slice(at);
}

const firstOf = (text: string, patterns: readonly string[]): number => {
  const found = patterns.map((p) => text.search(new RegExp(p))).filter((i) => i >= 0);
  if (found.length === 0) throw new InvalidInputError({ field: 'original', message: 'original: Document.xml is not a complete Document' });
  return Math.min(...found);
};

const maxUnitId = (text: string): number => Number.parseInt(new RegExp(`<${QNAME}MaxUnitID\\s*>\\s*(\\d+)`).exec(text)?.[1] ?? '0', 10) || Math.max(0, ...[...text.matchAll(/\bID="(\d+)"/g)].map((m) => Number(m[1])));

const folderOf = (entry: string): string => (entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '');

/** `stem` + `suffix`, or `stem_<n>` + `suffix`, that no entry has. */
function freeName(entries: OfdEntries, stem: string, suffix: string): string {
  if (![...entries.keys()].some((e) => e === `${stem}${suffix}` || e.startsWith(`${stem}/`))) return `${stem}${suffix}`;
  for (let n = 1; ; n++) if (!entries.has(`${stem}_${n}${suffix}`)) return `${stem}_${n}${suffix}`;
}

/** Greedy wrap by width: a CJK character a full size wide, others about half. */
function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const c of text) {
    const w = (c.codePointAt(0)! >= 0x2e80 ? 1 : 0.55) * size;
    if (used + w > width && line) {
      lines.push(line.trimEnd());
      line = c === ' ' ? '' : c;
      used = c === ' ' ? 0 : w;
    } else {
      line += c;
      used += w;
    }
  }
  if (line) lines.push(line);
  return lines;
}
