/**
 * Developer extensions (ISO 32000-2 §7.12, the catalog's /Extensions, e.g. /ADBE
 * /ExtensionLevel): a later writer may add or update them as indirect objects. Accepted
 * only for objects that nothing but /Extensions reaches, so the key cannot carry content.
 */
import { changedOnlyThrough } from '../catalog-key-objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';

export const extensionsRule: WhitelistRule = {
  name: 'extensions',
  apply: (u: UpdateContext): Iterable<AcceptedUpdate> => changedOnlyThrough(u, 'Extensions', 'LTA_UPDATES'),
};
