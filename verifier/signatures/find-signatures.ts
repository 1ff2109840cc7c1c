/**
 * Finds every signature and document time-stamp: through the interactive form of each
 * revision (ISO 32000-1 §12.7.2, field tree with inherited /FT), then by a scan for
 * signature dictionaries (/ByteRange + /Contents) that no field points to (§12.8.1).
 */
import type { Revision, PdfDocument } from '../pdf/document.ts';
import { PdfArray, PdfDict, PdfRef, PdfString, type PdfObject } from '../pdf/objects.ts';
import { decodeText } from '../pdf/text.ts';
import { indexOf } from '../pdf/lexer.ts';
import type { SignatureKind } from '../report/types.ts';
import { fieldLabel, type DamagedSignature } from './damage.ts';

export interface FoundSignature {
  readonly kind: SignatureKind;
  /** Fully qualified field name (§12.7.3.2) in the newest revision that has the field. */
  readonly fieldName: string | null;
  /** The field is missing from the final revision's form (removed later, or never there). */
  readonly orphan: boolean;
  readonly dict: PdfDict;
  /** Number of the indirect object that holds the signature dictionary. */
  readonly holder: number;
  /** Newest revision in which this dictionary was found. */
  readonly revision: Revision;
  readonly contents: PdfString | null;
}

const MAX_FIELD_DEPTH = 32;

// Object.assign, not `{ ...s, key }`: on Node 20 a spread followed by keys takes microseconds.
export function findSignatures(doc: PdfDocument, damaged?: DamagedSignature[]): FoundSignature[] {
  const found = new Map<string, FoundSignature>();
  const add = (s: Omit<FoundSignature, 'kind'>): void => {
    const key = identity(s);
    if (found.has(key)) return;
    found.set(key, Object.assign({}, s, { kind: kindOf(s.dict) }));
    doc.budget.check('maxSignatures', found.size, 'signatures');
  };
  for (const f of formSignatures(doc.final, damaged)) add(Object.assign({}, f, { orphan: false, revision: doc.final }));
  const outside = [...scanSignatureDictionaries(doc, damaged)].filter((s) => !found.has(identity(s)));
  // Dictionaries outside the final form: name them from the newest earlier form that had them.
  for (let i = doc.revisions.length - 2; i >= 0 && outside.length > 0; i--) {
    const rev = doc.revisions[i]!;
    for (const f of formSignatures(rev)) add(Object.assign({}, f, { orphan: true, revision: rev }));
  }
  for (const s of outside) add(Object.assign({}, s, { fieldName: null, orphan: true }));
  return [...found.values()].sort((a, b) => (a.contents?.start ?? Infinity) - (b.contents?.start ?? Infinity));
}

/** Physical identity: where the /Contents string is, else which object holds the dictionary. */
function identity(s: { contents: PdfString | null; holder: number; revision: Revision }): string {
  const e = s.revision.entry(s.holder);
  if (s.contents && e?.kind === 'offset') return `contents@${s.contents.start}`;
  return `object ${s.holder} ${s.revision.location(s.holder) ?? '?'}`;
}

function kindOf(dict: PdfDict): SignatureKind {
  return dict.name('Type') === 'DocTimeStamp' || dict.name('SubFilter') === 'ETSI.RFC3161' ? 'DOCUMENT_TIMESTAMP' : 'SIGNATURE';
}

interface FormSignature {
  readonly fieldName: string;
  readonly dict: PdfDict;
  readonly holder: number;
  readonly contents: PdfString | null;
}

/**
 * Signature fields with a value, walking /Fields and /Kids with cycle and depth bounds. A
 * field whose /V names an object the revision holds but cannot parse goes to `unreadable`.
 */
export function formSignatures(rev: Revision, unreadable?: DamagedSignature[]): FormSignature[] {
  const out: FormSignature[] = [];
  const acroForm = rev.get(rev.catalog, 'AcroForm');
  if (!(acroForm instanceof PdfDict)) return out;
  const fields = rev.get(acroForm, 'Fields');
  if (!(fields instanceof PdfArray)) return out;
  const visited = new Set<number>();
  const walk = (o: PdfObject, parentName: string, inheritedFt: string | undefined, depth: number): void => {
    rev.doc.budget.tick();
    if (depth > MAX_FIELD_DEPTH || !(o instanceof PdfRef) || visited.has(o.num)) return;
    visited.add(o.num);
    const field = rev.resolve(o);
    if (!(field instanceof PdfDict)) return;
    const t = rev.get(field, 'T');
    const partial = t instanceof PdfString ? decodeText(t.bytes) : undefined;
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const ft = field.name('FT') ?? inheritedFt;
    const kids = rev.get(field, 'Kids');
    if (kids instanceof PdfArray) for (const k of kids.items) walk(k, name, ft, depth + 1);
    if (ft !== 'Sig') return;
    const v = field.get('V');
    const holder = v instanceof PdfRef ? v.num : o.num;
    const dict = rev.deref(v);
    const e = v instanceof PdfRef ? rev.entry(v.num) : undefined;
    if (unreadable && e && e.kind !== 'free' && !(dict instanceof PdfDict)) {
      const offset = e.kind === 'offset' ? e.offset : -1;
      unreadable.push({ field: name, offset, problem: `damaged: ${fieldLabel(name)}: its signature dictionary (object ${holder}${offset >= 0 ? ` at byte ${offset}` : ''}) cannot be read` });
    }
    if (dict instanceof PdfDict && (dict.has('ByteRange') || dict.has('Contents'))) {
      const contents = dict.get('Contents');
      out.push({ fieldName: name, dict, holder, contents: contents instanceof PdfString ? contents : null });
    }
  };
  for (const f of fields.items) walk(f, '', undefined, 0);
  return out;
}

/**
 * Signature dictionaries outside any form: each `/ByteRange` in the file bytes is traced
 * to the object that holds it, in the revision that defines that object.
 */
function* scanSignatureDictionaries(doc: PdfDocument, damaged: DamagedSignature[] | undefined): Generator<Omit<FoundSignature, 'kind' | 'fieldName' | 'orphan'>> {
  const starts: { offset: number; num: number; rev: Revision }[] = [];
  for (const rev of doc.revisions) {
    for (const section of rev.sections) {
      for (const [num, e] of section.entries) if (e.kind === 'offset') starts.push({ offset: e.offset, num, rev });
    }
  }
  starts.sort((a, b) => a.offset - b.offset);
  const seen = new Set<string>();
  for (let p = indexOf(doc.bytes, '/ByteRange', 0); p >= 0; p = indexOf(doc.bytes, '/ByteRange', p + 10)) {
    doc.budget.tick();
    const at = lastAtOrBefore(starts, p);
    if (!at || seen.has(`${at.num}@${at.offset}`)) continue;
    seen.add(`${at.num}@${at.offset}`);
    const value = at.rev.resolve(at.num);
    // The object holding this /ByteRange is this revision's own, yet does not parse.
    if (value === null && damaged && !damaged.some((d) => d.offset === at.offset)) {
      damaged.push({ field: null, offset: at.offset, problem: `damaged: the object ${at.num} at byte ${at.offset} holds a /ByteRange but cannot be read` });
    }
    for (const dict of signatureDicts(value, 0)) {
      const contents = dict.get('Contents');
      yield { dict, holder: at.num, revision: at.rev, contents: contents instanceof PdfString ? contents : null };
    }
  }
}

function lastAtOrBefore<T extends { offset: number }>(sorted: readonly T[], p: number): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.offset <= p) {
      best = sorted[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function* signatureDicts(o: PdfObject | undefined, depth: number): Generator<PdfDict> {
  if (depth > 4 || !(o instanceof PdfDict)) return;
  if (o.has('ByteRange') && o.has('Contents')) yield o;
  for (const v of o.entries.values()) yield* signatureDicts(v, depth + 1);
}
