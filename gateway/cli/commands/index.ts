import type { Command } from '../command.ts';
import { ledgerHistory } from './ledger-history.ts';
import { ledgerPolicy } from './ledger-policy.ts';
import { ledgerRecord } from './ledger-record.ts';
import { ledgerStatus } from './ledger-status.ts';
import { ledgerVerify } from './ledger-verify.ts';
import { start } from './start.ts';

/** Every CLI command, in the order `zhengyin help` lists them. */
export const commands: readonly Command[] = [start, ledgerRecord, ledgerHistory, ledgerVerify, ledgerStatus, ledgerPolicy];
