/**
 * Form filling (ISO 32000-1 §12.7; DocMDP P=2): an existing text, choice or button field
 * gets a new value (/V) and appearance (/AP, /AS). New non-signature fields are not accepted.
 * Field locks (FieldMDP) are judged apart, per signature: see field-locks.ts.
 */
import { PdfDict } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { changedKeys, formFields } from '../walk.ts';

const FIELD_KEYS = new Set(['V', 'AS', 'AP']);
const WIDGET_KEYS = new Set(['AS', 'AP']);

export const formFillRule: WhitelistRule = {
  name: 'form-fill',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const before = new Map(formFields(u.older).map((f) => [f.num, f]));
    for (const f of formFields(u.newer)) {
      if (f.ft === 'Sig' || f.ft === undefined) continue;
      const old = before.get(f.num);
      if (!old) continue;
      if (u.changed.has(f.num)) {
        if (!changedKeys(old.dict, f.dict).every((k) => FIELD_KEYS.has(k))) continue;
        for (const num of [f.num, ...u.createdBelow(f.dict.get('V')), ...u.createdBelow(f.dict.get('AP'))]) yield { num, level: 'FORM_FILLING' };
      }
      for (const w of f.widgets) {
        if (w === f.num || !u.changed.has(w)) continue;
        const a = u.oldValue(w);
        const b = u.newValue(w);
        if (!(a instanceof PdfDict) || !(b instanceof PdfDict) || !changedKeys(a, b).every((k) => WIDGET_KEYS.has(k))) continue;
        for (const num of [w, ...u.createdBelow(b.get('AP'))]) yield { num, level: 'FORM_FILLING' };
      }
    }
  },
};
