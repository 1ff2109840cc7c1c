import { InvalidInputError } from '../../common/index.ts';
import type { App } from '../app.ts';
import { OPERATOR } from '../services/actor.ts';
import { issueDemoLicence } from '../services/demo-data.ts';
import type { Licence } from '../services/licences/index.ts';
import type { OperatorIssueRequest } from './protocol.ts';

/** Issues a licence as the operator: what `zhengyin issue` does, wherever it runs. */
export async function issueForOperator(
  app: Readonly<{ services: App['services']; seedDemo: () => Promise<unknown> }>,
  request: OperatorIssueRequest,
): Promise<{ licence: Licence; pdf: Uint8Array; ofd?: Uint8Array }> {
  if (request.demo) {
    await app.seedDemo();
    return issueDemoLicence(app.services);
  }
  const { type, departmentId, face } = request;
  if (!type || !departmentId || !face) {
    throw new InvalidInputError({ field: !type ? 'type' : !departmentId ? 'department' : 'face', message: 'type, department and face data are required' });
  }
  return app.services.licences.issue(OPERATOR, {
    type,
    departmentId,
    face,
    ...(request.number ? { number: request.number } : {}),
    ...(request.issueDate ? { issueDate: request.issueDate } : {}),
    ...(request.jointSealIds?.length ? { jointSealIds: request.jointSealIds } : {}),
    ...(request.reservedSeals !== undefined ? { reservedSeals: request.reservedSeals } : {}),
    ...(request.format ? { format: request.format } : {}),
  });
}

