import type { ProjectEvidence } from '../../../ledger/index.ts';

/**
 * The 工程建设项目 joint approval (bundle 350200-YJS-GCJS): each of its matters is one step
 * whose decision the contract keeps in the `project` domain, keyed by the 项目代码, in this
 * order. Finishing such a matter records its decision through the outbox.
 */
export const PROJECT_STEPS: ReadonlyMap<string, ProjectEvidence['type']> = new Map([
  ['350200-ZYGH-0001', 'project.landuse.decided'],
  ['350200-ZYGH-0002', 'project.planning.decided'],
  ['350200-JSJ-0001', 'project.construction.decided'],
  ['350200-JSJ-0002', 'project.acceptance.decided'],
]);

/** 项目代码 of the 全国投资项目在线审批监管平台, as the contract checks it: 2026-350203-48-01-000123. */
export const isProjectCode = (value: string): boolean => /^(19|20)\d{2}-\d{6}-\d{2}-\d{2}-\d{6}$/.test(value);
