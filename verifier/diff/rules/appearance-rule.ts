/**
 * Form filling that rewrites a widget's appearance in place (ISO 32000-1 §12.5.5): the
 * /AP dictionary as an indirect object, or an existing appearance stream it names (/N, /D,
 * /R, or a state of one), updated rather than replaced by a new object. Accepted only for
 * objects that nothing reaches but that widget's /AP, so an appearance stream that is also
 * page content, or that a new catalog key names, stays a disallowed change.
 */
import { PdfDict, PdfRef, type PdfObject } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { formFields } from '../walk.ts';

export const appearanceRule: WhitelistRule = {
  name: 'appearance',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const before = new Set(formFields(u.older).map((f) => f.num));
    for (const f of formFields(u.newer)) {
      if (!before.has(f.num)) continue;
      for (const w of f.widgets) {
        const widget = u.newValue(w);
        if (!(widget instanceof PdfDict)) continue;
        const candidates = appearanceObjects(u, widget.get('AP')).filter((n) => u.changed.has(n) && !u.created.has(n));
        for (const num of candidates) {
          if (u.reachableElsewhere(num, { edge: { num: w, key: 'AP' } })) continue;
          for (const n of [num, ...u.createdBelow(u.newValue(num))]) yield { num: n, level: 'FORM_FILLING' };
        }
      }
    }
  },
};

/** The /AP object itself when indirect, and the streams of its /N, /D and /R (direct or per state). */
function appearanceObjects(u: UpdateContext, ap: PdfObject | undefined): number[] {
  const out: number[] = [];
  if (ap instanceof PdfRef) out.push(ap.num);
  const dict = u.newer.deref(ap);
  if (!(dict instanceof PdfDict)) return out;
  for (const key of ['N', 'D', 'R']) {
    const v = dict.get(key);
    if (v instanceof PdfRef) out.push(v.num);
    const states = u.newer.deref(v);
    if (states instanceof PdfDict) for (const s of states.entries.values()) if (s instanceof PdfRef) out.push(s.num);
  }
  return out;
}
