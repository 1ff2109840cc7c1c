import type { Revision } from '../pdf/document.ts';
import type { ModificationLevel } from '../report/types.ts';

export function permittedLevel(docMdp: 1 | 2 | 3 | null): ModificationLevel {
  return docMdp === 1 ? 'LTA_UPDATES' : docMdp === 3 ? 'ANNOTATIONS' : 'FORM_FILLING';
}

export function analyseModifications(revisions: readonly Revision[], signed: Revision): { level: ModificationLevel; changes: string[] } {
  return signed === revisions[revisions.length - 1] ? { level: 'NONE', changes: [] } : { level: 'OTHER', changes: ['TODO'] };
}
