/**
 * The Document Security Store (ETSI EN 319 142-1 §5.4.2): validation data added for B-LT,
 * accepted only for objects that nothing but the /DSS reaches.
 */
import { refsIn } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';

export const dssRule: WhitelistRule = {
  name: 'dss',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const dss = u.newCatalog?.get('DSS');
    if (dss === undefined) return;
    const seen = new Set<number>();
    const stack = [...refsIn(dss)];
    while (stack.length > 0) {
      u.newer.doc.budget.tick();
      const r = stack.pop()!;
      if (seen.has(r.num)) continue;
      seen.add(r.num);
      if (u.reachableElsewhere(r.num, { catalog: ['DSS'] })) continue;
      if (u.changed.has(r.num)) yield { num: r.num, level: 'LTA_UPDATES' };
      stack.push(...refsIn(u.newValue(r.num)));
    }
  },
};
