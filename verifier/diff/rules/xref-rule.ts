/**
 * Structure, not content: the update's own xref streams and rewritten object-stream
 * containers (ISO 32000-1 §7.5.7-7.5.8). The objects inside a container are judged one by
 * one by the other rules; a container that is also reachable as content is not accepted.
 */
import { PdfStream } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';

const STRUCTURAL = new Set(['XRef', 'ObjStm']);

export const xrefRule: WhitelistRule = {
  name: 'xref',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    for (const num of u.changed) {
      const v = u.newValue(num);
      const old = u.oldValue(num);
      const isStructural = (o: unknown): boolean => o instanceof PdfStream && STRUCTURAL.has(o.dict.name('Type') ?? '');
      if (!isStructural(v) || (old !== null && !isStructural(old))) continue;
      if (u.reachableElsewhere(num, {})) continue;
      yield { num, level: 'NONE' };
    }
  },
};
