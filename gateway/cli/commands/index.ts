import type { CommandModule } from '../command.ts';

/**
 * The CLI's nouns, each one file of commands, in the order `zhengyin help` lists them. A
 * file is imported only when its noun is asked for (help imports them all), so a command
 * loads only what it uses.
 */
export const commandModules: Readonly<Record<string, () => Promise<CommandModule>>> = {
  start: () => import('./start.ts'),
  issue: () => import('./issue.ts'),
  verify: () => import('./verify.ts'),
  licence: () => import('./licence.ts'),
  seal: () => import('./seal.ts'),
  department: () => import('./department.ts'),
  dept: () => import('./dept.ts'),
  type: () => import('./type.ts'),
  catalogue: () => import('./catalogue.ts'),
  grant: () => import('./grant.ts'),
  ca: () => import('./ca.ts'),
  ledger: () => import('./ledger.ts'),
  audit: () => import('./audit.ts'),
  supervision: () => import('./supervision.ts'),
};
