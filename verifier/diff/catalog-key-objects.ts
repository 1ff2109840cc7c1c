/**
 * Objects a catalog key owns: those reachable from it (through changed or unchanged
 * objects) that nothing else in the revision reaches. The /DSS and /Extensions rules accept
 * their changes; an object also reachable as content is left for the policy to refuse.
 */
import { refsIn } from '../pdf/objects.ts';
import type { ModificationLevel } from '../report/types.ts';
import type { AcceptedUpdate, UpdateContext } from './rule.ts';

export function* changedOnlyThrough(u: UpdateContext, key: string, level: ModificationLevel): Iterable<AcceptedUpdate> {
  const root = u.newCatalog?.get(key);
  if (root === undefined) return;
  const seen = new Set<number>();
  const stack = [...refsIn(root)];
  while (stack.length > 0) {
    u.newer.doc.budget.tick();
    const r = stack.pop()!;
    if (seen.has(r.num)) continue;
    seen.add(r.num);
    if (u.reachableElsewhere(r.num, { catalog: [key] })) continue;
    if (u.changed.has(r.num)) yield { num: r.num, level };
    stack.push(...refsIn(u.newValue(r.num)));
  }
}
