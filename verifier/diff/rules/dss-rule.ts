/**
 * The Document Security Store (ETSI EN 319 142-1 §5.4.2): validation data added for B-LT,
 * accepted only for objects that nothing but the /DSS reaches.
 */
import { changedOnlyThrough } from '../catalog-key-objects.ts';
import type { AcceptedUpdate, UpdateContext, WhitelistRule } from '../rule.ts';

export const dssRule: WhitelistRule = {
  name: 'dss',
  apply: (u: UpdateContext): Iterable<AcceptedUpdate> => changedOnlyThrough(u, 'DSS', 'LTA_UPDATES'),
};
