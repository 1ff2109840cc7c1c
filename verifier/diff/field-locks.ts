/**
 * Field locks (ISO 32000-1 §12.8.2.4 FieldMDP, §12.7.4.5 /Lock): a signature can lock form
 * fields, by name, against change after it, whatever DocMDP allows. Acrobat writes the
 * lock into the signature dictionary's /Reference (TransformMethod FieldMDP) and into the
 * signature field's /Lock; either one counts, as in pyHanko's FieldMDPSpec.
 */
import { isLockAction, lockCovers, type FieldLock } from '../../common/index.ts';
import type { Revision } from '../pdf/document.ts';
import { PdfArray, PdfDict, type PdfObject } from '../pdf/objects.ts';
import { textOf } from '../pdf/text.ts';
import { changedKeys, formFields, refNum } from './walk.ts';

/** The locks a signature applies: its FieldMDP references and its field's /Lock, in the revision it signed. */
export function fieldLocksOf(rev: Revision, signature: PdfDict, holder: number): FieldLock[] {
  const locks: FieldLock[] = [];
  const references = rev.deref(signature.get('Reference'));
  for (const item of references instanceof PdfArray ? references.items : []) {
    const reference = rev.deref(item);
    if (!(reference instanceof PdfDict) || reference.name('TransformMethod') !== 'FieldMDP') continue;
    const lock = lockFrom(rev, rev.deref(reference.get('TransformParams')));
    if (lock) locks.push(lock);
  }
  const field = formFields(rev).find((f) => refNum(f.dict.get('V')) === holder);
  const lock = field && lockFrom(rev, rev.deref(field.dict.get('Lock')));
  if (lock) locks.push(lock);
  return locks;
}

function lockFrom(rev: Revision, params: PdfObject | undefined): FieldLock | undefined {
  if (!(params instanceof PdfDict)) return undefined;
  const action = params.name('Action');
  if (!isLockAction(action)) return undefined;
  const names = rev.deref(params.get('Fields'));
  const fields = names instanceof PdfArray ? names.items.map((n) => textOf(rev.deref(n))).filter((n): n is string => n !== null) : [];
  return { action, fields };
}

/**
 * One line per locked field whose value changed in an update after `signed`: its /V, or a
 * widget's /AS (check boxes and radio buttons show their state there), or the field removed.
 */
export function lockedFieldChanges(revisions: readonly Revision[], signed: Revision, lockList: readonly FieldLock[]): string[] {
  if (lockList.length === 0) return [];
  const out: string[] = [];
  const isLocked = (name: string) => lockList.some((l) => lockCovers(l, name));
  for (let i = signed.index + 1; i < revisions.length; i++) {
    const older = revisions[i - 1]!;
    const newer = revisions[i]!;
    const after = new Map(formFields(newer).map((f) => [f.num, f]));
    for (const before of formFields(older)) {
      if (!isLocked(before.name)) continue;
      const now = after.get(before.num);
      const at = `revision ${i + 1}: field "${before.name}"`;
      if (!now) {
        out.push(`${at} removed, though a signature locks it (FieldMDP)`);
        continue;
      }
      const valueChanged = changedKeys(before.dict, now.dict).some((k) => k === 'V' || k === 'AS');
      const stateChanged = now.widgets.some((w) => {
        if (w === now.num) return false;
        const a = older.resolve(w);
        const b = newer.resolve(w);
        return a instanceof PdfDict && b instanceof PdfDict && changedKeys(a, b).includes('AS');
      });
      if (valueChanged || stateChanged) out.push(`${at} changed, though a signature locks it (FieldMDP)`);
    }
  }
  return out;
}
