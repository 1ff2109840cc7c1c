import { verify } from '../../verifier/index.ts';
import { signLicenceTask } from '../services/licences/render-and-sign.ts';
import { applyOfdSealTask } from '../services/seals/apply-ofd-seal-task.ts';
import { applySealTask } from '../services/seals/apply-seal-task.ts';
import { sealLicenceOfdTask } from '../services/licences/seal-licence-ofd.ts';
import type { TaskKind, TaskTable } from './tasks.ts';

export type Implementation<K extends TaskKind> = (input: TaskTable[K]['input'], host: TaskTable[K]['host']) => Promise<TaskTable[K]['output']>;

/** What each task does: run by a worker thread (worker-main.ts), or in-thread by a pool of size 0. */
export const IMPLEMENTATIONS: { readonly [K in TaskKind]: Implementation<K> } = {
  signLicence: signLicenceTask,
  applySeal: applySealTask,
  sealLicenceOfd: sealLicenceOfdTask,
  applyOfdSeal: applyOfdSealTask,
  verify: (input) => verify(input.document, { trust: input.trust, ...(input.certificates ? { certificates: input.certificates } : {}), ...(input.crls ? { crls: input.crls } : {}), ...(input.at ? { at: input.at } : {}) }),
};
