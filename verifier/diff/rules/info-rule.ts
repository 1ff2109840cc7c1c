/** The document information dictionary (/Info, ISO 32000-1 §14.3.3): metadata, not content. */
import { PdfDict } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { refNum } from '../walk.ts';

export const infoRule: WhitelistRule = {
  name: 'info',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const num = refNum(u.newer.trailer.get('Info'));
    if (num === undefined || !u.changed.has(num)) return;
    if (!(u.newValue(num) instanceof PdfDict) || u.reachableElsewhere(num, { trailer: ['Info'] })) return;
    yield { num, level: 'LTA_UPDATES' };
  },
};
