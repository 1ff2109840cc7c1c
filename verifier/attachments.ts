/**
 * Reads embedded files (ISO 32000-1 §7.11.4, the /EmbeddedFiles name tree §7.9.6; ISO
 * 32000-2 §14.13 associated files /AF) and the XMP metadata stream (§14.3.2) of a PDF's
 * final revision, within bounds. Generic: it knows nothing of what the files mean.
 */
import { LimitExceededError, InvalidVerifyOptionError, PdfSyntaxError } from './errors.ts';
import { Budget } from './limits.ts';
import { PdfDocument, type Revision } from './pdf/document.ts';
import { decodeStream } from './pdf/filters.ts';
import { PdfArray, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './pdf/objects.ts';
import { decodeText, textOf } from './pdf/text.ts';

export interface Attachment {
  /** The file name (/UF, else /F of the file specification), or the name-tree key. */
  readonly name: string;
  /** The name-tree key under /EmbeddedFiles, null for an /AF-only file. */
  readonly key: string | null;
  /** /Subtype of the embedded file stream, e.g. `application/json`. */
  readonly mimeType: string | null;
  /** /AFRelationship (PDF 2.0), e.g. `Data`, `Source`. */
  readonly relationship: string | null;
  readonly data: Uint8Array;
}

export interface EmbeddedContent {
  /** False when the bytes are not a PDF this reader can open (then everything else is empty). */
  readonly readable: boolean;
  readonly attachments: readonly Attachment[];
  /** The catalog's XMP metadata packet, decoded; null when absent. */
  readonly xmp: Uint8Array | null;
  /** What was skipped and why (too large, unreadable stream, limit reached). */
  readonly problems: readonly string[];
}

export interface ReadAttachmentsOptions {
  /** Only files with one of these names (file name or name-tree key). @default all */
  readonly names?: readonly string[];
  /** Largest decoded file (and XMP packet) returned, in bytes; larger ones are skipped. */
  readonly maxBytes: number;
  /** Most files returned. @default 32 */
  readonly maxFiles?: number;
  /** Wall-clock budget. @default 5000 */
  readonly timeMs?: number;
}

const MAX_TREE_DEPTH = 16;

/**
 * Embedded files and XMP of the final revision. Never throws for bad input: an unreadable
 * PDF gives `readable: false`.
 * @throws {@link InvalidVerifyOptionError} `maxBytes` is not a positive integer.
 * @example
 * const { attachments, xmp } = readAttachments(pdf, { names: ['licence.json'], maxBytes: 1 << 20 });
 */
export function readAttachments(bytes: Uint8Array, options: ReadAttachmentsOptions): EmbeddedContent {
  if (!(bytes instanceof Uint8Array)) throw new InvalidVerifyOptionError({ field: 'bytes', message: 'must be a Uint8Array' });
  if (!Number.isSafeInteger(options?.maxBytes) || options.maxBytes <= 0) {
    throw new InvalidVerifyOptionError({ field: 'maxBytes', message: 'must be a positive integer' });
  }
  const budget = new Budget({ maxStreamBytes: options.maxBytes, timeMs: options.timeMs ?? 5000 });
  const problems: string[] = [];
  let rev: Revision;
  try {
    rev = PdfDocument.open(bytes, budget).final;
  } catch (e) {
    if (e instanceof PdfSyntaxError || e instanceof LimitExceededError) return { readable: false, attachments: [], xmp: null, problems: [e.message] };
    throw e;
  }
  const wanted = options.names ? new Set(options.names) : undefined;
  const maxFiles = options.maxFiles ?? 32;
  const decode = (s: PdfStream, what: string): Uint8Array | undefined => {
    try {
      return decodeStream(s, budget, (o) => rev.deref(o));
    } catch (e) {
      if (e instanceof PdfSyntaxError || e instanceof LimitExceededError) {
        problems.push(`${what}: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  };
  const attachments: Attachment[] = [];
  const seen = new Set<PdfObject>();
  const take = (key: string | null, spec: PdfObject | undefined): void => {
    const fs = rev.deref(spec);
    if (!(fs instanceof PdfDict) || seen.has(fs) || attachments.length >= maxFiles) return;
    seen.add(fs);
    const name = textOf(rev.deref(fs.get('UF'))) ?? textOf(rev.deref(fs.get('F'))) ?? key ?? '';
    if (wanted && !wanted.has(name) && !(key !== null && wanted.has(key))) return;
    const ef = rev.deref(fs.get('EF'));
    const stream = ef instanceof PdfDict ? rev.deref(ef.get('UF') ?? ef.get('F')) : undefined;
    if (!(stream instanceof PdfStream)) return;
    const data = decode(stream, `embedded file ${name}`);
    if (!data) return;
    const subtype = stream.dict.get('Subtype');
    attachments.push({
      name,
      key,
      mimeType: subtype instanceof PdfName ? subtype.value : null,
      relationship: textOf(rev.deref(fs.get('AFRelationship'))),
      data,
    });
  };
  try {
    const catalog = rev.catalog;
    const names = rev.get(catalog, 'Names');
    const tree = names instanceof PdfDict ? rev.get(names, 'EmbeddedFiles') : undefined;
    walkNameTree(rev, tree, take);
    const af = rev.get(catalog, 'AF');
    if (af instanceof PdfArray) for (const spec of af.items) take(null, spec);
    let xmp: Uint8Array | null = null;
    const meta = rev.get(catalog, 'Metadata');
    if (meta instanceof PdfStream) xmp = decode(meta, 'XMP metadata') ?? null;
    return { readable: true, attachments, xmp, problems };
  } catch (e) {
    if (e instanceof LimitExceededError) return { readable: true, attachments, xmp: null, problems: [...problems, e.message] };
    throw e;
  }
}

/** Name tree (§7.9.6): /Names [key value …] in leaves, /Kids below; cycle- and depth-bounded. */
function walkNameTree(rev: Revision, node: PdfObject | undefined, visit: (key: string, value: PdfObject | undefined) => void): void {
  const seen = new Set<number>();
  const walk = (n: PdfObject | undefined, depth: number): void => {
    rev.doc.budget.tick();
    if (depth > MAX_TREE_DEPTH) return;
    if (n instanceof PdfRef) {
      if (seen.has(n.num)) return;
      seen.add(n.num);
    }
    const dict = rev.deref(n);
    if (!(dict instanceof PdfDict)) return;
    const pairs = rev.get(dict, 'Names');
    if (pairs instanceof PdfArray) {
      for (let i = 0; i + 1 < pairs.items.length; i += 2) {
        const k = rev.deref(pairs.items[i]);
        if (k instanceof PdfString) visit(decodeText(k.bytes), pairs.items[i + 1]);
      }
    }
    const kids = rev.get(dict, 'Kids');
    if (kids instanceof PdfArray) for (const k of kids.items) walk(k, depth + 1);
  };
  walk(node, 0);
}
