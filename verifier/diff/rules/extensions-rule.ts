/**
 * Developer extensions (ISO 32000-2 §7.12, the catalog's /Extensions, e.g. /ADBE
 * /ExtensionLevel): a later writer may add or update them as indirect objects. Accepted
 * only for objects that nothing but /Extensions reaches, so the key cannot carry content.
 */
import { refsIn } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';

export const extensionsRule: WhitelistRule = {
  name: 'extensions',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const extensions = u.newCatalog?.get('Extensions');
    if (extensions === undefined) return;
    const seen = new Set<number>();
    const stack = [...refsIn(extensions)];
    while (stack.length > 0) {
      u.newer.doc.budget.tick();
      const r = stack.pop()!;
      if (seen.has(r.num)) continue;
      seen.add(r.num);
      if (u.reachableElsewhere(r.num, { catalog: ['Extensions'] })) continue;
      if (u.changed.has(r.num)) yield { num: r.num, level: 'LTA_UPDATES' };
      stack.push(...refsIn(u.newValue(r.num)));
    }
  },
};
