/** The document's XMP metadata stream (catalog /Metadata, ISO 32000-1 §14.3.2). */
import { PdfStream } from '../../pdf/objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';
import { refNum } from '../walk.ts';

export const metadataRule: WhitelistRule = {
  name: 'metadata',
  *apply(u: UpdateContext): Iterable<AcceptedUpdate> {
    const num = refNum(u.newCatalog?.get('Metadata'));
    if (num === undefined || !u.changed.has(num)) return;
    const v = u.newValue(num);
    if (!(v instanceof PdfStream) || v.dict.name('Type') !== 'Metadata' || v.dict.name('Subtype') !== 'XML') return;
    if (u.reachableElsewhere(num, { catalog: ['Metadata'] })) return;
    yield { num, level: 'LTA_UPDATES' };
  },
};
