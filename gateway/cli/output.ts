import fs from 'node:fs';
import { InvalidInputError } from '../../common/index.ts';
import { UsageError, type CommandContext } from './command.ts';

/**
 * Writes a command's result to `--out FILE` or to stdout. Binary output (DER) is not
 * written to a terminal, where it would only garble the screen.
 */
export function writeOutput(ctx: CommandContext, data: string | Uint8Array, out: string | undefined): void {
  if (out) {
    try {
      fs.writeFileSync(out, data);
    } catch (cause) {
      throw new InvalidInputError({ field: 'out', message: `cannot write ${out}: ${(cause as Error).message}`, cause });
    }
    return;
  }
  if (typeof data !== 'string' && (ctx.stdout as { isTTY?: boolean }).isTTY) {
    throw new UsageError('refusing to write DER to a terminal: redirect stdout or use --out FILE');
  }
  ctx.stdout.write(data);
}

/** Reads a file named by an option, as a typed input error when it cannot be read. */
export function readInputFile(field: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (cause) {
    throw new InvalidInputError({ field, message: `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, cause });
  }
}

/** A string option, or undefined. parseArgs types every value as string | boolean | array. */
export const stringOption = (ctx: CommandContext, name: string): string | undefined => {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
};
