import fs from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../common/index.ts';
import type { CommandContext } from './command.ts';
import { UsageError } from './errors.ts';

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

/** Writes a file all at once (temporary file + rename), so a failure never leaves half a PDF. */
export function writeOutputFile(file: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

/** An output file claimed before the work that fills it: see {@link claimOutputFile}. */
export interface ClaimedOutputFile {
  readonly path: string;
  /** Writes all of `bytes` and moves them into place. */
  write(bytes: Uint8Array): void;
  /** Removes the claim when there is nothing to write. */
  discard(): void;
}

/**
 * Creates the temporary file beside `file` now, so that a folder that is missing or not
 * writable is found before the command commits anything (issuing stores a licence and
 * consumes a serial, which a failed write could not undo).
 * @throws `InvalidInputError` (field `out`)
 */
export function claimOutputFile(file: string, field = 'out'): ClaimedOutputFile {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidInputError({ field, message: `cannot write ${file}: it is a folder; name a file in it` });
  }
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w', 0o644);
  } catch (cause) {
    throw new InvalidInputError({ field, message: `cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, cause });
  }
  const discard = () => {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
  };
  return {
    path: file,
    write(bytes) {
      try {
        fs.writeFileSync(fd, bytes);
        fs.closeSync(fd);
        fs.renameSync(tmp, file);
      } catch (e) {
        discard();
        throw e;
      }
    },
    discard,
  };
}

/** JSON for `--json` output: bigints as decimal strings, dates as ISO 8601. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}

/** `label  value` lines, labels padded to one column. */
export function printFields(ctx: CommandContext, fields: readonly (readonly [string, unknown])[]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) if (v !== undefined) ctx.stdout.write(`  ${k.padEnd(width)}  ${String(v)}\n`);
}

export function formatAge(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
