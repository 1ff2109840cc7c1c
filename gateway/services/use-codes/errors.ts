import { ZhengyinError } from '../../../common/index.ts';

/**
 * A use code that opens nothing: unknown (never minted here, or mistyped past its check
 * character), expired, or withdrawn by its holder. Nothing was written.
 */
export class UseCodeRefusedError extends ZhengyinError {
  readonly code: 'USE_CODE_UNKNOWN' | 'USE_CODE_EXPIRED' | 'USE_CODE_WITHDRAWN';

  constructor(p: Readonly<{ code: UseCodeRefusedError['code']; message: string }>) {
    super(p.message);
    this.code = p.code;
  }
}

/** Too many presentations from one address: wait `retryAfterSeconds`. Nothing was looked up or written. */
export class UseCodeRateLimitedError extends ZhengyinError {
  readonly code = 'RATE_LIMITED';
  readonly retryAfterSeconds: number;

  constructor(p: Readonly<{ retryAfterSeconds: number }>) {
    super(`too many use-code presentations from this address; retry in ${p.retryAfterSeconds} s`);
    this.retryAfterSeconds = p.retryAfterSeconds;
  }
}
