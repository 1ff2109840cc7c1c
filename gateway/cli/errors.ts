import { InvalidInputError } from '../../common/index.ts';

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
