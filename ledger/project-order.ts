import { createRequire } from 'node:module';
import path from 'node:path';
import { chaincodeDir } from './embedded/shim-modules.ts';
import { parseRefusal, StepOutOfOrderError } from './errors.ts';
import type { ProjectEvidence } from './evidence.ts';
import type { Ledger } from './ledger.ts';

type Step = string;
type CheckStepOrder = (type: string, projectCode: string, decisionOf: (step: Step) => Promise<'approved' | 'refused' | undefined>) => Promise<void>;
type Steps = { PROJECT_STEPS: Readonly<Record<string, { step: Step }>>; checkStepOrder: CheckStepOrder };
let steps: Steps | undefined;

/**
 * Checks a 工程建设项目 step decision against the project's story on the chain with the
 * contract's own order rules (chaincode/dist/project-steps.js), so that a decision out of
 * order is refused before it waits in the outbox for a chain that will refuse it too.
 * Decisions still in the outbox are not seen: record steps one after another.
 *
 * @throws {@link StepOutOfOrderError} naming `projectCode`.
 */
export async function checkProjectStepOrder(ledger: Pick<Ledger, 'history'>, record: ProjectEvidence): Promise<void> {
  steps ??= createRequire(path.join(chaincodeDir, 'package.json'))('./dist/project-steps.js') as Steps;
  const latest = new Map<Step, 'approved' | 'refused'>();
  for await (const version of ledger.history({ domain: 'project', key: record.projectCode })) {
    const step = version.record && steps.PROJECT_STEPS[version.record.type]?.step;
    if (step) latest.set(step, (version.record as ProjectEvidence).decision);
  }
  try {
    await steps.checkStepOrder(record.type, record.projectCode, async (step) => latest.get(step));
  } catch (e) {
    const refusal = parseRefusal((e as Error).message);
    if (!refusal) throw e;
    throw new StepOutOfOrderError({ message: refusal.detail, evidenceId: record.evidenceId, transactionId: '', field: 'projectCode' });
  }
}
