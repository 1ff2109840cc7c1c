/** Builds the {@link UpdateContext} of one incremental update: which objects changed. */
import type { Revision } from '../pdf/document.ts';
import { PdfDict, PdfStream, sameObject, refsIn, type PdfObject } from '../pdf/objects.ts';
import { reach } from './graph.ts';
import type { UpdateContext } from './rule.ts';

export function updateContext(older: Revision, newer: Revision): UpdateContext {
  const own = newer.ownObjectNumbers();
  const candidates = new Set(own);
  // Objects stored in an object stream that this update rewrote change with it (§7.5.7):
  // every compressed entry in effect in `newer` whose container is one of its own objects.
  if (own.size > 0) {
    for (let r: Revision | undefined = newer; r; r = r.previous) {
      for (const s of r.sections) {
        for (const [num, e] of s.entries) {
          if (e.kind === 'compressed' && own.has(e.stream) && newer.entry(num) === e) candidates.add(num);
        }
      }
    }
  }
  const changed = new Set<number>();
  const created = new Set<number>();
  for (const num of candidates) {
    newer.doc.budget.tick();
    const o = older.entry(num);
    const n = newer.entry(num);
    const gen = (e: typeof o): number => (e?.kind === 'offset' ? e.gen : 0);
    if (older.location(num) === newer.location(num) && gen(o) === gen(n)) continue;
    const ov = older.resolve(num);
    const nv = newer.resolve(num);
    if (gen(o) === gen(n) && sameObject(ov, nv)) continue;
    changed.add(num);
    if (ov === null && nv !== null) created.add(num);
  }
  const rootOf = (rev: Revision): PdfDict | undefined => rev.catalog;
  return {
    older,
    newer,
    changed,
    created,
    oldValue: (num) => older.resolve(num),
    newValue: (num) => newer.resolve(num),
    oldCatalog: rootOf(older),
    newCatalog: rootOf(newer),
    createdBelow(o: PdfObject | undefined): number[] {
      const out: number[] = [];
      const seen = new Set<number>();
      const stack: PdfObject[] = o === undefined ? [] : [o];
      while (stack.length > 0) {
        newer.doc.budget.tick();
        const v = stack.pop()!;
        for (const r of refsIn(v instanceof PdfStream ? v.dict : v)) {
          if (seen.has(r.num) || !created.has(r.num)) continue;
          seen.add(r.num);
          out.push(r.num);
          stack.push(newer.resolve(r));
        }
      }
      return out;
    },
    reachableElsewhere(num, except) {
      return reach(newer, except).reachable.has(num);
    },
  };
}
