import { InvalidInputError, ZhengyinError } from '../../common/index.ts';

/** The CLI's own usage error: wrong flags or arguments (exit 64). */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/**
 * A file the user named holds more than the command reads (exit 65). Raised as soon as
 * the cap is passed, whatever the file is: a regular file, a pipe, a device such as
 * /dev/zero, or a named pipe whose writer never stops.
 */
export class InputTooLargeError extends InvalidInputError {
  override readonly code = 'INVALID_INPUT_TOO_LARGE';
  readonly file: string;
  readonly maxBytes: number;

  constructor(p: Readonly<{ field: string; file: string; maxBytes: number }>) {
    super({ field: p.field, message: `${p.field}: ${p.file} is over the limit of ${p.maxBytes} bytes` });
    this.file = p.file;
    this.maxBytes = p.maxBytes;
  }
}

/**
 * The licence was issued and stored, but its PDF could not be written where asked
 * (exit 1). Issuing again would issue a second licence: fetch this one's PDF with
 * `zhengyin licence pdf IDENTIFIER --out FILE`.
 */
export class OutputAfterCommitError extends ZhengyinError {
  readonly code = 'OUTPUT_AFTER_COMMIT';
  readonly identifier: string;

  constructor(p: Readonly<{ identifier: string; file: string; cause: unknown }>) {
    const reason = (p.cause as NodeJS.ErrnoException).code ?? (p.cause as Error).message;
    super(
      `licence ${p.identifier} was issued and stored, but ${p.file} could not be written (${reason}); ` +
        `do not issue again: fetch its PDF with zhengyin licence pdf ${p.identifier} --out FILE (its OFD: zhengyin licence ofd)`,
      { cause: p.cause },
    );
    this.identifier = p.identifier;
  }
}
