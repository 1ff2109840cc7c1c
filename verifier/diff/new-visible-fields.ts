/**
 * New visible signature fields after a certification signature. ISO 32000-1 §12.8.2.2
 * lets DocMDP P=2 documents be "signed", which Acrobat reads as allowing new signature
 * fields with appearances; pyHanko by default (`allow_new_visible_after_certify=False`)
 * reads it as signing the fields the certifier prepared, and rejects a new visible one.
 * We accept it as Acrobat does, and name each such field on the certification signature
 * so a reader who holds the stricter reading sees it.
 */
import type { Revision } from '../pdf/document.ts';
import { PdfArray, PdfDict } from '../pdf/objects.ts';
import { formFields } from './walk.ts';

export interface NewVisibleField {
  /** 1-based revision that added the field. */
  readonly revision: number;
  readonly field: string;
}

/** Signature fields absent from `certified` that a later revision adds with a visible widget. */
export function newVisibleSignatureFields(revisions: readonly Revision[], certified: Revision): NewVisibleField[] {
  const known = new Set<number>();
  const names = new Set<string>();
  for (const f of formFields(certified)) {
    known.add(f.num);
    names.add(f.name);
  }
  const out: NewVisibleField[] = [];
  for (let i = certified.index + 1; i < revisions.length; i++) {
    const rev = revisions[i]!;
    for (const f of formFields(rev)) {
      if (f.ft !== 'Sig' || known.has(f.num) || names.has(f.name)) continue;
      known.add(f.num);
      names.add(f.name);
      if (f.widgets.some((w) => isVisible(rev.resolve(w), rev))) out.push({ revision: i + 1, field: f.name });
    }
  }
  return out;
}

// Annotation flags (§12.5.3): Hidden 2, NoView 32.
const HIDDEN = 2 | 32;

function isVisible(widget: unknown, rev: Revision): boolean {
  if (!(widget instanceof PdfDict)) return false;
  const flags = rev.deref(widget.get('F'));
  if (typeof flags === 'number' && (flags & HIDDEN) !== 0) return false;
  const rect = rev.deref(widget.get('Rect'));
  if (!(rect instanceof PdfArray) || rect.items.length !== 4) return false;
  const [x1, y1, x2, y2] = rect.items.map((v) => rev.deref(v));
  if (![x1, y1, x2, y2].every((v) => typeof v === 'number')) return false;
  return Math.abs((x2 as number) - (x1 as number)) > 0 && Math.abs((y2 as number) - (y1 as number)) > 0;
}

/** The line the certification signature's report carries for `f`. */
export function newVisibleFieldNotice(f: NewVisibleField, docMdp: 1 | 2 | 3): string {
  return `revision ${f.revision} adds a new visible signature field "${f.field}" after this certification signature (DocMDP P=${docMdp}): ` +
    'accepted, as Acrobat does; the stricter reading (pyHanko\'s default allow_new_visible_after_certify=False) rejects it';
}
