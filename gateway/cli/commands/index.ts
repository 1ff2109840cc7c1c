import type { Command } from '../command.ts';
import { departmentAdd, departmentList, licenceRevoke, licenceShow, licenceTypeDefine, licenceTypeList } from './admin.ts';
import { caCrl } from './ca-crl.ts';
import { caExportRoot } from './ca-export-root.ts';
import { caImportP12 } from './ca-import-p12.ts';
import { ledgerHistory } from './ledger-history.ts';
import { ledgerPolicy } from './ledger-policy.ts';
import { ledgerRecord } from './ledger-record.ts';
import { ledgerStatus } from './ledger-status.ts';
import { ledgerVerify } from './ledger-verify.ts';
import { deptRevoke, deptToken, deptTokens } from './dept.ts';
import { issue } from './issue.ts';
import { sealApply, sealCreate, sealList, sealResume, sealRevoke, sealSuspend } from './seal.ts';
import { start } from './start.ts';
import { verify } from './verify.ts';

/** Every CLI command, in the order `zhengyin help` lists them. */
export const commands: readonly Command[] = [
  start,
  issue,
  verify,
  licenceShow,
  licenceRevoke,
  sealApply,
  sealList,
  sealCreate,
  sealSuspend,
  sealResume,
  sealRevoke,
  departmentAdd,
  departmentList,
  deptToken,
  deptTokens,
  deptRevoke,
  licenceTypeDefine,
  licenceTypeList,
  caExportRoot,
  caCrl,
  caImportP12,
  ledgerRecord,
  ledgerHistory,
  ledgerVerify,
  ledgerStatus,
  ledgerPolicy,
];
