/**
 * The document catalog (ISO 32000-1 §7.7.2) may change only in keys that carry no page
 * content: /DSS, /Extensions, /Version, /Metadata, and /AcroForm as the form rules allow.
 * A new /Pages, /Names, /OpenAction, /Perms, /OCProperties … is not accepted.
 */
import { PdfDict } from '../../pdf/objects.ts';
import type { ModificationLevel } from '../../report/types.ts';
import { maxLevel } from '../levels.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { changedKeys, refNum } from '../walk.ts';
import { acroFormChange } from './acroform-rule.ts';

const LTA_KEYS = new Set(['DSS', 'Extensions', 'Version', 'Metadata']);

export const catalogRule: WhitelistRule = {
  name: 'catalog',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const num = refNum(u.newer.trailer.get('Root'));
    if (num === undefined || !u.changed.has(num) || num !== refNum(u.older.trailer.get('Root'))) return;
    const before = u.oldCatalog;
    const after = u.newCatalog;
    if (!before || !after) return;
    let level: ModificationLevel = 'NONE';
    const claims: number[] = [];
    for (const key of changedKeys(before, after)) {
      if (LTA_KEYS.has(key)) level = maxLevel(level, 'LTA_UPDATES');
      else if (key === 'AcroForm') {
        const oldForm = u.older.deref(before.get(key));
        const newForm = u.newer.deref(after.get(key));
        const c = acroFormChange(u, oldForm instanceof PdfDict ? oldForm : undefined, newForm instanceof PdfDict ? newForm : undefined);
        if (!c) return;
        level = maxLevel(level, c.level);
        claims.push(...c.claims);
        const n = refNum(after.get(key));
        if (n !== undefined && u.created.has(n)) claims.push(n);
      } else return;
    }
    yield { num, level };
    for (const n of claims) yield { num: n, level };
  },
};
