/**
 * The root of every error zhengyin throws across a folder boundary.
 *
 * `code` is stable: callers, the CLI and the GraphQL gateway switch on it, never on the
 * message. signer/, verifier/ and ledger/ each have their own base (`SignerError`,
 * `VerifierError`, `LedgerError`) so a caller can catch one module's failures as a family.
 * The gateway's errors and the shared ones below extend this class directly; the gateway
 * has no base of its own (and `GatewayError` is fabric-gateway's name for its gRPC errors).
 */
export abstract class ZhengyinError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value supplied by a caller is malformed. Names the field and, where one applies, the standard. */
export class InvalidInputError extends ZhengyinError {
  readonly code: string = 'INVALID_INPUT';
  readonly field: string;
  readonly standard: string | undefined;

  constructor(p: Readonly<{ field: string; message: string; standard?: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.field = p.field;
    this.standard = p.standard;
  }
}

/** A code fails its check character (GB 32100-2015, GB 11643-1999, GB/T 36904). */
export class InvalidCodeError extends InvalidInputError {
  override readonly code = 'INVALID_CODE';
  readonly value: string;

  constructor(p: Readonly<{ field: string; value: string; standard: string; reason: string }>) {
    super({ field: p.field, standard: p.standard, message: `${p.field}: ${p.reason} (${p.standard})` });
    this.value = p.value;
  }
}

/** Something the caller named does not exist. */
export class NotFoundError extends ZhengyinError {
  readonly code = 'NOT_FOUND';
  readonly entity: string;
  readonly id: string;

  constructor(p: Readonly<{ entity: string; id: string }>) {
    super(`${p.entity} not found: ${p.id}`);
    this.entity = p.entity;
    this.id = p.id;
  }
}

/** The caller is not allowed to do this; checked in the service layer, not only at the edge. */
export class ForbiddenError extends ZhengyinError {
  readonly code = 'FORBIDDEN';
  readonly action: string;

  constructor(p: Readonly<{ action: string; reason: string }>) {
    super(`${p.action}: ${p.reason}`);
    this.action = p.action;
  }
}

/** Configuration is missing or contradictory; the process cannot start as configured. */
export class ConfigurationError extends ZhengyinError {
  readonly code = 'CONFIGURATION';
  readonly setting: string;

  constructor(p: Readonly<{ setting: string; message: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.setting = p.setting;
  }
}

export const isZhengyinError = (e: unknown): e is ZhengyinError => e instanceof ZhengyinError;

/**
 * Whether an error code blames the caller's input (a malformed code, PDF or option), as
 * opposed to a refusal, a missing thing or a fault of ours: the CLI exits 65 for these and
 * HTTP answers 400.
 */
export const isInputErrorCode = (code: string): boolean =>
  code.startsWith('INVALID') || code.startsWith('PDF_') || code === 'OFD_READ' || code === 'OFD_SEAL' || code === 'USAGE';
