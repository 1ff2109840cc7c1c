/**
 * A page may change only in /Annots (ISO 32000-1 §12.5): widgets of new signature fields
 * added (FORM_FILLING, or LTA_UPDATES for document time-stamps), markup annotations added or
 * removed (ANNOTATIONS). Removing a widget, or any other page key (/Contents, /Resources,
 * /MediaBox …), is not accepted.
 */
import type { Revision } from '../../pdf/document.ts';
import { PdfArray, PdfDict, PdfRef } from '../../pdf/objects.ts';
import type { ModificationLevel } from '../../report/types.ts';
import { maxLevel } from '../levels.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { changedKeys, pageNumbers, refNum } from '../walk.ts';
import { isDocTimestampField } from './acroform-rule.ts';

/** Annotation subtypes a commenter adds (§12.5.6); anything else added is not accepted. */
export const MARKUP = new Set([
  'Text', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly',
  'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Redact', 'Link',
]);

export const pageAnnotsRule: WhitelistRule = {
  name: 'page-annotations',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    for (const num of pageNumbers(u.newer)) {
      const page = u.newValue(num);
      if (!(page instanceof PdfDict)) continue;
      const arrNum = refNum(page.get('Annots'));
      const pageChanged = u.changed.has(num);
      const arrChanged = arrNum !== undefined && u.changed.has(arrNum);
      if (!pageChanged && !arrChanged) continue;
      const oldPage = u.oldValue(num);
      if (!(oldPage instanceof PdfDict)) continue;
      if (pageChanged && !changedKeys(oldPage, page).every((k) => k === 'Annots')) continue;
      const level = annotsChange(u, u.older.deref(oldPage.get('Annots')), u.newer.deref(page.get('Annots')));
      if (!level) continue;
      if (pageChanged) yield { num, level };
      if (arrNum !== undefined && (arrChanged || u.created.has(arrNum))) yield { num: arrNum, level };
    }
  },
};

function annotsChange(u: UpdateContext, before: unknown, after: unknown): ModificationLevel | undefined {
  const nums = (o: unknown): number[] | undefined =>
    o === undefined || o === null ? [] : o instanceof PdfArray && o.items.every((x) => x instanceof PdfRef) ? o.items.map((x) => (x as PdfRef).num) : undefined;
  const a = nums(before);
  const b = nums(after);
  if (!a || !b) return undefined;
  let level: ModificationLevel = 'LTA_UPDATES';
  for (const n of b.filter((x) => !a.includes(x))) {
    const annot = u.newValue(n);
    if (!(annot instanceof PdfDict)) return undefined;
    const subtype = annot.name('Subtype');
    if (subtype === 'Widget') {
      const field = signatureFieldOf(u.newer, annot);
      if (!field || !u.created.has(n)) return undefined;
      level = maxLevel(level, isDocTimestampField(u.newer, field) ? 'LTA_UPDATES' : 'FORM_FILLING');
    } else if (subtype && MARKUP.has(subtype)) level = maxLevel(level, 'ANNOTATIONS');
    else return undefined;
  }
  for (const n of a.filter((x) => !b.includes(x))) {
    const annot = u.oldValue(n);
    const subtype = annot instanceof PdfDict ? annot.name('Subtype') : undefined;
    if (!subtype || subtype === 'Widget' || !MARKUP.has(subtype)) return undefined;
    level = maxLevel(level, 'ANNOTATIONS');
  }
  return level;
}

/** The signature field a widget belongs to: itself when merged, else its /Parent. */
function signatureFieldOf(rev: Revision, widget: PdfDict): PdfDict | undefined {
  if (widget.name('FT') === 'Sig') return widget;
  const parent = rev.deref(widget.get('Parent'));
  return parent instanceof PdfDict && parent.name('FT') === 'Sig' ? parent : undefined;
}
