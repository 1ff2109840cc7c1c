import { Refusal } from './errors';
import type { EvidenceType } from './records';

/** The four stages of a 工程建设项目 joint approval (工程建设项目审批制度改革), in order. */
export type ProjectStep = 'landuse' | 'planning' | 'construction' | 'acceptance';

/** Each step decision's type, its step, and the step that must be approved before it. */
export const PROJECT_STEPS: Readonly<Partial<Record<EvidenceType, { readonly step: ProjectStep; readonly after: ProjectStep | undefined }>>> = {
  'project.landuse.decided': { step: 'landuse', after: undefined },
  'project.planning.decided': { step: 'planning', after: 'landuse' },
  'project.construction.decided': { step: 'construction', after: 'planning' },
  'project.acceptance.decided': { step: 'acceptance', after: 'construction' },
};

/** The latest decision of a step of one project, as the chain holds it. */
export type StepDecision = 'approved' | 'refused' | undefined;

/**
 * The order rules of a joint approval: a step may be decided only once the step before it
 * is approved for the same 项目代码 (立项用地 → 工程规划 → 施工许可 → 联合验收), and an
 * approved step is final (a refused one may be decided again, after a new application).
 *
 * @param decisionOf - The latest decision of a step of this project.
 * @throws {@link Refusal} `STEP_OUT_OF_ORDER`, naming `projectCode`.
 */
export async function checkStepOrder(type: EvidenceType, projectCode: string, decisionOf: (step: ProjectStep) => Promise<StepDecision>): Promise<void> {
  const rule = PROJECT_STEPS[type];
  if (!rule) return;
  if ((await decisionOf(rule.step)) === 'approved') {
    throw new Refusal('STEP_OUT_OF_ORDER', `the ${rule.step} step of project ${projectCode} is already approved`, 'projectCode');
  }
  if (rule.after && (await decisionOf(rule.after)) !== 'approved') {
    throw new Refusal('STEP_OUT_OF_ORDER', `the ${rule.step} step of project ${projectCode} needs its ${rule.after} step approved first`, 'projectCode');
  }
}
