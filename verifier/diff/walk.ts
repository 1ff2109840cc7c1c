/** Walking the structures the rules reason about: form fields (ISO 32000-1 §12.7.3) and pages (§7.7.3). */
import type { Revision } from '../pdf/document.ts';
import { PdfArray, PdfDict, PdfRef, sameObject, type PdfObject } from '../pdf/objects.ts';
import { textOf } from '../pdf/text.ts';

export interface FieldInfo {
  readonly num: number;
  /** Fully qualified name (§12.7.3.2): the partial names /T from the top down, joined by periods. */
  readonly name: string;
  readonly dict: PdfDict;
  /** Field type, inherited from ancestors (§12.7.3.1 Table 220). */
  readonly ft: string | undefined;
  /** Object numbers of the field's widget annotations (the field itself when merged). */
  readonly widgets: readonly number[];
}

const MAX_DEPTH = 32;

// Both are pure functions of a revision, and several rules ask for the same revision.
const FIELDS = new WeakMap<Revision, readonly FieldInfo[]>();
const PAGES = new WeakMap<Revision, readonly number[]>();

/** Terminal fields of the revision's interactive form, each once. */
export function formFields(rev: Revision): readonly FieldInfo[] {
  let fields = FIELDS.get(rev);
  if (!fields) FIELDS.set(rev, (fields = walkFields(rev)));
  return fields;
}

function walkFields(rev: Revision): FieldInfo[] {
  const out: FieldInfo[] = [];
  const acroForm = rev.get(rev.catalog, 'AcroForm');
  const fields = acroForm instanceof PdfDict ? rev.get(acroForm, 'Fields') : undefined;
  if (!(fields instanceof PdfArray)) return out;
  const seen = new Set<number>();
  const walk = (o: PdfObject, ft: string | undefined, depth: number, prefix: string): void => {
    rev.doc.budget.tick();
    if (!(o instanceof PdfRef) || seen.has(o.num) || depth > MAX_DEPTH) return;
    seen.add(o.num);
    const dict = rev.resolve(o);
    if (!(dict instanceof PdfDict)) return;
    const myFt = dict.name('FT') ?? ft;
    const partial = textOf(rev.deref(dict.get('T')));
    const name = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
    const kids = rev.get(dict, 'Kids');
    const kidRefs = kids instanceof PdfArray ? kids.items.filter((k): k is PdfRef => k instanceof PdfRef) : [];
    const fieldKids = kidRefs.filter((k) => {
      const kd = rev.resolve(k);
      return kd instanceof PdfDict && (kd.has('T') || kd.has('Kids') || kd.name('Subtype') !== 'Widget');
    });
    if (fieldKids.length > 0) {
      for (const k of fieldKids) walk(k, myFt, depth + 1, name);
      return;
    }
    const widgets = dict.name('Subtype') === 'Widget' ? [o.num] : kidRefs.map((k) => k.num);
    out.push({ num: o.num, name, dict, ft: myFt, widgets });
  };
  for (const f of fields.items) walk(f, undefined, 0, '');
  return out;
}

/** Object numbers of the page objects, in page-tree order (cycle-safe). */
export function pageNumbers(rev: Revision): readonly number[] {
  let pages = PAGES.get(rev);
  if (!pages) PAGES.set(rev, (pages = walkPages(rev)));
  return pages;
}

function walkPages(rev: Revision): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const walk = (o: PdfObject | undefined, depth: number): void => {
    rev.doc.budget.tick();
    if (!(o instanceof PdfRef) || seen.has(o.num) || depth > MAX_DEPTH) return;
    seen.add(o.num);
    const node = rev.resolve(o);
    if (!(node instanceof PdfDict)) return;
    const kids = rev.get(node, 'Kids');
    if (node.name('Type') === 'Pages' || kids instanceof PdfArray) {
      if (kids instanceof PdfArray) for (const k of kids.items) walk(k, depth + 1);
    } else out.push(o.num);
  };
  walk(rev.catalog?.get('Pages'), 0);
  return out;
}

/** Keys whose values differ between two dictionaries (added, removed or changed). */
export function changedKeys(a: PdfDict | undefined, b: PdfDict | undefined): string[] {
  const keys = new Set([...(a?.entries.keys() ?? []), ...(b?.entries.keys() ?? [])]);
  return [...keys].filter((k) => !sameObject(a?.get(k), b?.get(k)));
}

export function refNum(o: PdfObject | undefined): number | undefined {
  return o instanceof PdfRef ? o.num : undefined;
}

export function refNums(o: PdfObject | undefined): number[] {
  return o instanceof PdfArray ? o.items.filter((x): x is PdfRef => x instanceof PdfRef).map((r) => r.num) : [];
}
