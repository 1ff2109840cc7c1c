import type { ParseArgsConfig } from 'node:util';
import type { RuntimeConfig } from '../runtime/config.ts';
import type { Logger } from '../runtime/logger.ts';

export { UsageError } from './errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  readonly config: RuntimeConfig;
  readonly log: Logger;
  readonly stdout: NodeJS.WritableStream;
}

/**
 * One CLI command: `zhengyin <name> [options]`. `run` resolves to the process exit code.
 * Commands live one file per noun in `commands/`, each exporting `commands` (see
 * {@link CommandModule}); `commands/index.ts` loads a file only when its noun is asked for.
 */
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

/** A string option, or undefined. parseArgs types every value as string | boolean | array. */
export const stringOption = (ctx: CommandContext, name: string): string | undefined => {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
};

/** What each file in `commands/` exports: its noun's commands, in the order `zhengyin help` lists them. */
export interface CommandModule {
  readonly commands: readonly Command[];
}
