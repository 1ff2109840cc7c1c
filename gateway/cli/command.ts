import type { ParseArgsConfig } from 'node:util';
import type { RuntimeConfig } from '../runtime/config.ts';
import type { Logger } from '../runtime/logger.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  readonly config: RuntimeConfig;
  readonly log: Logger;
  readonly stdout: NodeJS.WritableStream;
}

/** One CLI command: `zhengyin <name> [options]`. `run` resolves to the process exit code. */
export interface Command {
  /** One or two words, e.g. 'start' or 'ca export-root'. */
  readonly name: string;
  readonly summary: string;
  /** Usage line after `zhengyin <name>`, e.g. '--type T --data F.json --out F.pdf'. */
  readonly usage: string;
  readonly options?: OptionSpec;
  readonly positionals?: { readonly min: number; readonly max: number };
  run(ctx: CommandContext): Promise<number>;
}

/** Exit codes shared by every command (`verify` adds its own verdict codes). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 64, // EX_USAGE (sysexits.h)
  badInput: 65, // EX_DATAERR
  unavailable: 69, // EX_UNAVAILABLE
} as const;

/** The CLI's own usage error: wrong flags or arguments. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}
