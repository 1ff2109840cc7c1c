/**
 * Damaged is not unsigned. A file cut short inside a signing update (an interrupted
 * download, a signer that crashed) still holds the start of a signature dictionary that no
 * complete revision (xref + `startxref` + `%%EOF`, ISO 32000-1 §7.5.6) accounts for; a
 * signature whose /Contents or /ByteRange cannot be read is damaged too. Either is named
 * here, with its field where the bytes still say it and the byte offset, so the report can
 * say UNREADABLE instead of UNSIGNED or a verdict about the earlier revisions only.
 */
import { latin1, readHexString, readLiteralString } from '../pdf/lexer.ts';
import { PdfArray, PdfString } from '../pdf/objects.ts';
import { decodeText } from '../pdf/text.ts';
import type { FoundSignature } from './find-signatures.ts';

export interface DamagedSignature {
  /** Fully qualified field name where still readable, else null. */
  readonly field: string | null;
  /** Byte offset of the signature dictionary's object (or of what is left of it). */
  readonly offset: number;
  readonly problem: string;
}

/** A signature dictionary's keys and values that only signatures carry (§12.8.1). */
const SIGNATURE_MARK = /\/(?:Type\s*\/(?:Sig|DocTimeStamp)\b|FT\s*\/Sig\b|ByteRange\b|SubFilter\b|Contents\s*<(?!<))/;
const OBJECT_HEADER = /(\d+)\s+(\d+)\s+obj\b/g;

/**
 * Signature dictionaries in the bytes after the last complete revision (`from`, 0 when no
 * revision could be read at all).
 */
export function damagedTail(bytes: Uint8Array, from: number): DamagedSignature[] {
  if (from >= bytes.length) return [];
  const tail = latin1(bytes, from, bytes.length);
  const mark = SIGNATURE_MARK.exec(tail);
  if (!mark) return [];
  // The object the mark sits in: the last `n g obj` before it.
  let header: RegExpExecArray | undefined;
  for (const h of tail.matchAll(OBJECT_HEADER)) {
    if (h.index > mark.index) break;
    header = h;
  }
  const offset = from + (header?.index ?? mark.index);
  const num = header ? Number(header[1]) : undefined;
  const field = (num !== undefined ? fieldPointingAt(tail, num) : null) ?? fieldInTail(tail);
  const where = endsInside(tail.slice(header?.index ?? mark.index));
  const what = `${num !== undefined ? `object ${num} ` : ''}at byte ${offset}`;
  return [{
    field,
    offset,
    problem: `damaged: ${fieldLabel(field)}: its signature dictionary (${what}) belongs to no complete revision; the file ends ${where}`,
  }];
}

/** Signatures of complete revisions whose /Contents or /ByteRange cannot be read. */
export function unreadableSignatures(found: readonly FoundSignature[], unreadableFields: readonly DamagedSignature[]): DamagedSignature[] {
  const out = [...unreadableFields];
  for (const s of found) {
    const rev = s.revision;
    const contents = rev.deref(s.dict.get('Contents'));
    const byteRange = rev.deref(s.dict.get('ByteRange'));
    const missing = [contents instanceof PdfString ? null : '/Contents', byteRange instanceof PdfArray ? null : '/ByteRange'].filter((k) => k !== null);
    if (missing.length === 0) continue;
    const e = rev.entry(s.holder);
    const offset = e?.kind === 'offset' ? e.offset : -1;
    out.push({
      field: s.fieldName,
      offset,
      problem: `damaged: ${fieldLabel(s.fieldName)}: the signature dictionary (object ${s.holder}${offset >= 0 ? ` at byte ${offset}` : ''}) has no readable ${missing.join(' or ')}`,
    });
  }
  return out;
}

export const fieldLabel = (field: string | null): string => (field === null ? 'a signature field whose name was lost' : `signature field "${field}"`);

/** What the cut interrupted, read from the bytes after the dictionary's start. */
function endsInside(rest: string): string {
  const contents = /\/Contents\s*<[0-9A-Fa-f\s]*$/.test(rest);
  if (contents) return 'inside its /Contents';
  if (/\/ByteRange\s*\[[\d\s]*$/.test(rest)) return 'inside its /ByteRange';
  if (!/\bendobj\b/.test(rest)) return 'inside the signature dictionary';
  if (!/(?:^|\s)xref\b|\/Type\s*\/XRef\b/.test(rest)) return 'before the cross-reference section';
  if (!/startxref\s+\d+/.test(rest)) return 'before startxref';
  return 'before %%EOF';
}

/** /T of an object in `tail` whose /V is `num 0 R`. */
function fieldPointingAt(tail: string, num: number): string | null {
  const v = new RegExp(`/V\\s+${num}\\s+\\d+\\s+R\\b`).exec(tail);
  if (!v) return null;
  const start = tail.lastIndexOf(' obj', v.index);
  const end = tail.indexOf('endobj', v.index);
  return titleIn(tail, start < 0 ? 0 : start, end < 0 ? tail.length : end);
}

/** /T of the first field in `tail` that says /FT /Sig. */
function fieldInTail(tail: string): string | null {
  const ft = /\/FT\s*\/Sig\b/.exec(tail);
  if (!ft) return null;
  const start = tail.lastIndexOf(' obj', ft.index);
  const end = tail.indexOf('endobj', ft.index);
  return titleIn(tail, start < 0 ? 0 : start, end < 0 ? tail.length : end);
}

function titleIn(text: string, start: number, end: number): string | null {
  const t = /\/T\s*([(<])/g;
  t.lastIndex = start;
  const m = t.exec(text);
  if (!m || m.index >= end) return null;
  const bytes = Buffer.from(text, 'latin1');
  const at = m.index + m[0].length - 1;
  try {
    return decodeText((m[1] === '(' ? readLiteralString(bytes, at) : readHexString(bytes, at)).bytes);
  } catch {
    return null;
  }
}
