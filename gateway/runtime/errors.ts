import { ZhengyinError } from '../../common/index.ts';

export type RuntimeErrorCode =
  | 'PG_PORT_IN_USE'
  | 'PG_ALREADY_SERVED'
  | 'PG_INIT_FAILED'
  | 'PG_START_FAILED'
  | 'PG_DATA_DIR'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_MODIFIED'
  | 'HTTP_PORT_IN_USE';

/** The embedded stack could not start or stop; the message says what to do about it. */
export class RuntimeError extends ZhengyinError {
  readonly code: RuntimeErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(p: Readonly<{ code: RuntimeErrorCode; message: string; details?: Record<string, unknown>; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.code = p.code;
    this.details = p.details ?? {};
  }
}
