/**
 * Later signatures (ISO 32000-1 §12.8; PAdES): a new signature field, or an empty one
 * being signed, with its signature dictionary, widget and new appearance. A document
 * time-stamp is LTA_UPDATES; another signature FORM_FILLING. Touching a field that was
 * already signed is not accepted.
 */
import { PdfDict } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { changedKeys, formFields, refNum } from '../walk.ts';
import { isDocTimestampField } from './acroform-rule.ts';

// Acrobat, signing a prepared field, also sets its widget's /F (Print) and writes a new /AP.
const FILLING_KEYS = new Set(['V', 'AP', 'AS', 'F']);
const WIDGET_KEYS = new Set(['AP', 'AS', 'F']);
// Annotation flags Hidden (2) and NoView (32): a signing that hides the widget is not a signing.
const HIDDEN = 2 | 32;

export const sigFieldRule: WhitelistRule = {
  name: 'signature-field',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const before = new Map(formFields(u.older).map((f) => [f.num, f]));
    for (const f of formFields(u.newer)) {
      if (f.ft !== 'Sig') continue;
      const v = u.newer.deref(f.dict.get('V'));
      if (v !== undefined && !(v instanceof PdfDict && (v.has('ByteRange') || v.name('Type') === 'Sig'))) continue;
      const level = isDocTimestampField(u.newer, f.dict) ? 'LTA_UPDATES' : 'FORM_FILLING';
      const claims: number[] = [];
      const old = before.get(f.num);
      const vNum = refNum(f.dict.get('V'));
      if (u.created.has(f.num)) {
        claims.push(f.num, ...u.createdBelow(f.dict));
      } else if (u.changed.has(f.num)) {
        if (!old || old.dict.has('V') || !changedKeys(old.dict, f.dict).every((k) => FILLING_KEYS.has(k)) || hides(u, f.dict)) continue;
        claims.push(f.num, ...u.createdBelow(f.dict.get('V')), ...u.createdBelow(f.dict.get('AP')));
      } else if (vNum !== undefined && u.changed.has(vNum)) {
        continue; // the signature dictionary of an existing field was replaced
      }
      if (vNum !== undefined && u.changed.has(vNum) && !u.created.has(vNum)) continue;
      for (const w of f.widgets) {
        if (w === f.num) continue;
        const widget = u.newValue(w);
        if (!(widget instanceof PdfDict)) continue;
        if (u.created.has(w)) claims.push(w, ...u.createdBelow(widget));
        else if (u.changed.has(w)) {
          const oldWidget = u.oldValue(w);
          if (!old || old.dict.has('V') || !(oldWidget instanceof PdfDict)) continue;
          if (!changedKeys(oldWidget, widget).every((k) => WIDGET_KEYS.has(k)) || hides(u, widget)) continue;
          claims.push(w, ...u.createdBelow(widget.get('AP')));
        }
      }
      for (const num of claims) yield { num, level };
    }
  },
};

function hides(u: UpdateContext, widget: PdfDict): boolean {
  const f = u.newer.deref(widget.get('F'));
  return typeof f === 'number' && (f & HIDDEN) !== 0;
}
