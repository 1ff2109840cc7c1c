/**
 * The interactive form dictionary (ISO 32000-1 §12.7.2): new fields may be appended to
 * /Fields (the field rules judge them), /SigFlags may change, /DA and /DR may gain what new
 * appearances need. Removing a field, or any other key, is not accepted.
 */
import type { Revision } from '../../pdf/document.ts';
import { PdfArray, PdfDict, PdfRef, type PdfObject } from '../../pdf/objects.ts';
import { maxLevel } from '../levels.ts';
import type { ModificationLevel } from '../../report/types.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { changedKeys, refNum } from '../walk.ts';

export interface FormChange {
  readonly level: ModificationLevel;
  /** Further changed objects the change explains (an indirect /Fields array, new /DR parts). */
  readonly claims: readonly number[];
}

/** Judges AcroForm `before` → `after`; undefined when the change is not whitelisted. */
export function acroFormChange(u: UpdateContext, before: PdfDict | undefined, after: PdfDict | undefined): FormChange | undefined {
  let level: ModificationLevel = 'NONE';
  const claims: number[] = [];
  for (const key of changedKeys(before, after)) {
    if (key === 'SigFlags') level = maxLevel(level, 'LTA_UPDATES');
    else if (key === 'DA' || key === 'DR') {
      level = maxLevel(level, 'FORM_FILLING');
      claims.push(...u.createdBelow(after?.get(key)));
    } else if (key === 'Fields') {
      const f = fieldsChange(u, u.older.deref(before?.get('Fields')), u.newer.deref(after?.get('Fields')));
      if (!f) return undefined;
      level = maxLevel(level, f);
      const n = refNum(after?.get('Fields'));
      if (n !== undefined && u.created.has(n)) claims.push(n);
    } else return undefined;
  }
  return { level, claims };
}

/** Old fields all kept; each added one a new signature field. */
export function fieldsChange(u: UpdateContext, before: PdfObject | undefined, after: PdfObject | undefined): ModificationLevel | undefined {
  const oldRefs = before instanceof PdfArray ? before.items : [];
  const newRefs = after instanceof PdfArray ? after.items : undefined;
  if (!newRefs) return undefined;
  const nums = (items: readonly PdfObject[]): number[] => items.map((x) => (x instanceof PdfRef ? x.num : -1));
  const kept = new Set(nums(newRefs));
  if (nums(oldRefs).some((n) => n < 0 || !kept.has(n))) return undefined;
  const old = new Set(nums(oldRefs));
  let level: ModificationLevel = 'NONE';
  for (const n of nums(newRefs)) {
    if (old.has(n)) continue;
    if (n < 0 || !u.created.has(n)) return undefined;
    const field = u.newValue(n);
    if (!(field instanceof PdfDict) || field.name('FT') !== 'Sig') return undefined;
    level = maxLevel(level, isDocTimestampField(u.newer, field) ? 'LTA_UPDATES' : 'FORM_FILLING');
  }
  return level;
}

export function isDocTimestampField(rev: Revision, field: PdfDict): boolean {
  const v = rev.deref(field.get('V'));
  return v instanceof PdfDict && (v.name('Type') === 'DocTimeStamp' || v.name('SubFilter') === 'ETSI.RFC3161');
}

export const acroFormRule: WhitelistRule = {
  name: 'acroform',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const num = refNum(u.newCatalog?.get('AcroForm'));
    if (num === undefined || num !== refNum(u.oldCatalog?.get('AcroForm'))) return;
    const before = u.oldValue(num);
    const after = u.newValue(num);
    if (!(after instanceof PdfDict)) return;
    if (u.changed.has(num)) {
      const c = acroFormChange(u, before instanceof PdfDict ? before : undefined, after);
      if (!c) return;
      yield { num, level: c.level };
      for (const n of c.claims) yield { num: n, level: c.level };
    }
    // An indirect /Fields array rewritten in place.
    const fieldsNum = refNum(after.get('Fields'));
    if (fieldsNum !== undefined && u.changed.has(fieldsNum) && before instanceof PdfDict && refNum(before.get('Fields')) === fieldsNum) {
      const level = fieldsChange(u, u.oldValue(fieldsNum), u.newValue(fieldsNum));
      if (level) yield { num: fieldsNum, level };
    }
  },
};
