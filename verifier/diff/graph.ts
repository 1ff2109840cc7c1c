/**
 * Reachability in one revision's object graph, from the trailer's /Root, /Info and
 * /Encrypt: what a reader can get to. Also every object number mentioned on the way,
 * including dangling references, which a later revision must not fill in.
 */
import type { Revision } from '../pdf/document.ts';
import { PdfDict, PdfRef, refsIn } from '../pdf/objects.ts';

export interface Reach {
  readonly reachable: ReadonlySet<number>;
  /** Every object number referenced from a reachable object, live or not. */
  readonly mentioned: ReadonlySet<number>;
}

const cache = new WeakMap<Revision, Map<string, Reach>>();

export interface ReachExceptions {
  readonly catalog?: readonly string[];
  readonly trailer?: readonly string[];
  /** Edges not followed: this key of this object (e.g. a widget's /AP). */
  readonly edge?: { readonly num: number; readonly key: string };
}

export function reach(rev: Revision, except: ReachExceptions = {}): Reach {
  const key = `${(except.catalog ?? []).join(',')}|${(except.trailer ?? []).join(',')}|${except.edge ? `${except.edge.num}/${except.edge.key}` : ''}`;
  let perRev = cache.get(rev);
  if (!perRev) cache.set(rev, (perRev = new Map()));
  const cached = perRev.get(key);
  if (cached) return cached;
  const reachable = new Set<number>();
  const mentioned = new Set<number>();
  const queue: number[] = [];
  const visit = (ref: PdfRef): void => {
    mentioned.add(ref.num);
    if (!reachable.has(ref.num) && rev.resolve(ref) !== null) {
      reachable.add(ref.num);
      queue.push(ref.num);
    }
  };
  for (const [k, v] of rev.trailer.entries) {
    if ((k === 'Root' || k === 'Info' || k === 'Encrypt') && !(except.trailer ?? []).includes(k) && v instanceof PdfRef) visit(v);
  }
  const rootRef = rev.trailer.get('Root');
  const rootNum = rootRef instanceof PdfRef ? rootRef.num : -1;
  const skip = new Set(except.catalog ?? []);
  while (queue.length > 0) {
    rev.doc.budget.tick();
    const num = queue.pop()!;
    const value = rev.resolve(num);
    if (num === rootNum && value instanceof PdfDict && skip.size > 0) {
      for (const [k, v] of value.entries) if (!skip.has(k)) for (const r of refsIn(v)) visit(r);
    } else if (num === except.edge?.num && value instanceof PdfDict) {
      for (const [k, v] of value.entries) if (k !== except.edge.key) for (const r of refsIn(v)) visit(r);
    } else {
      for (const r of refsIn(value)) visit(r);
    }
  }
  const result = { reachable, mentioned };
  perRev.set(key, result);
  return result;
}
