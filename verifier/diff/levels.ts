import { MODIFICATION_LEVELS, type ModificationLevel } from '../report/types.ts';

export const maxLevel = (a: ModificationLevel, b: ModificationLevel): ModificationLevel =>
  MODIFICATION_LEVELS.indexOf(a) >= MODIFICATION_LEVELS.indexOf(b) ? a : b;

export const atMost = (level: ModificationLevel, limit: ModificationLevel): boolean =>
  MODIFICATION_LEVELS.indexOf(level) <= MODIFICATION_LEVELS.indexOf(limit);
