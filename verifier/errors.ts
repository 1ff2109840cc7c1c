import { ZhengyinError } from '../common/index.ts';
import { outcomeOf } from './report/outcome.ts';
import type { FailedOrIndeterminate } from './report/types.ts';
import type { VerifyLimits } from './limits.ts';

/**
 * Base of every error from `verifier/`. The verifier resolves to a report for any PDF, so
 * these cross the folder boundary only for caller mistakes (bad options); inside, they
 * carry a failure to the place that turns it into report fields.
 */
export abstract class VerifierError extends ZhengyinError {}

/** The bytes are not a PDF this verifier can read (ISO 32000-1 §7). */
export class PdfSyntaxError extends VerifierError {
  readonly code = 'PDF_SYNTAX';
  /** Byte offset where reading failed, when known. */
  readonly offset: number | undefined;

  constructor(p: Readonly<{ message: string; offset?: number; cause?: unknown }>) {
    super(p.offset === undefined ? p.message : `${p.message} (at byte ${p.offset})`, { cause: p.cause });
    this.offset = p.offset;
  }
}

/** The bytes are not an OFD package this verifier can read (GB/T 33190; the zip of APPNOTE 6.3). */
export class OfdFormatError extends VerifierError {
  readonly code = 'OFD_FORMAT';
  /** The package entry being read, when known. */
  readonly entry: string | undefined;

  constructor(p: Readonly<{ message: string; entry?: string; cause?: unknown }>) {
    super(p.entry === undefined ? p.message : `${p.entry}: ${p.message}`, { cause: p.cause });
    this.entry = p.entry;
  }
}

/** Hostile or enormous input hit one of the configured bounds ({@link VerifyLimits}). */
export class LimitExceededError extends VerifierError {
  readonly code = 'LIMIT_EXCEEDED';
  readonly limit: keyof VerifyLimits;

  constructor(p: Readonly<{ limit: keyof VerifyLimits; message: string }>) {
    super(p.message);
    this.limit = p.limit;
  }
}

/**
 * A check inside signature validation failed with a known ETSI EN 319 102-1 outcome.
 * Thrown and caught inside the verifier only; it becomes report fields, never a rejection.
 */
export class SignatureValidationError extends VerifierError {
  readonly code = 'SIGNATURE_VALIDATION';
  readonly outcome: FailedOrIndeterminate;

  constructor(p: Readonly<FailedOrIndeterminate & { message: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.outcome = outcomeOf(p);
  }

  get indication(): FailedOrIndeterminate['indication'] {
    return this.outcome.indication;
  }

  get subIndication(): FailedOrIndeterminate['subIndication'] {
    return this.outcome.subIndication;
  }
}

/** Caller supplied unusable options (a trust anchor that is not a certificate, a bad time). */
export class InvalidVerifyOptionError extends VerifierError {
  readonly code = 'INVALID_INPUT';
  readonly field: string;

  constructor(p: Readonly<{ field: string; message: string; cause?: unknown }>) {
    super(`${p.field}: ${p.message}`, { cause: p.cause });
    this.field = p.field;
  }
}
