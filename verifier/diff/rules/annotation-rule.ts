/**
 * Markup annotations (comments, ISO 32000-1 §12.5.6) created or edited, with their new
 * appearance streams and pop-ups: ANNOTATIONS, which only a certification signature with
 * DocMDP P=3 permits.
 */
import { PdfDict } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { pageNumbers, refNums } from '../walk.ts';
import { MARKUP } from './page-annots-rule.ts';

export const annotationRule: WhitelistRule = {
  name: 'annotation',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    for (const page of pageNumbers(u.newer)) {
      const dict = u.newValue(page);
      if (!(dict instanceof PdfDict)) continue;
      for (const n of refNums(u.newer.deref(dict.get('Annots')))) {
        if (!u.changed.has(n)) continue;
        const annot = u.newValue(n);
        const subtype = annot instanceof PdfDict ? annot.name('Subtype') : undefined;
        if (!subtype || !MARKUP.has(subtype)) continue;
        const old = u.oldValue(n);
        if (!u.created.has(n) && !(old instanceof PdfDict && old.name('Subtype') === subtype)) continue;
        for (const num of [n, ...u.createdBelow(annot)]) yield { num, level: 'ANNOTATIONS' };
      }
    }
  },
};
