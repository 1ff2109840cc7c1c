/**
 * Why the contract refused something. Fabric carries only a message string from the
 * chaincode to the client, so the code travels as a `[CODE] ` prefix of the message;
 * zhengyin's ledger/ turns it back into a typed error.
 */
export type RefusalCode =
  | 'INVALID_EVIDENCE'
  | 'EVIDENCE_CONFLICT'
  | 'WRITER_NOT_ALLOWED'
  | 'NO_LIVE_REGISTRATION'
  | 'STEP_OUT_OF_ORDER'
  | 'INVALID_POLICY'
  | 'POLICY_ADMIN_REQUIRED'
  | 'INVALID_ARGUMENT';

export class Refusal extends Error {
  readonly code: RefusalCode;
  readonly field: string | undefined;

  constructor(code: RefusalCode, message: string, field?: string) {
    super(`[${code}] ${field ? `${field}: ` : ''}${message}`);
    this.name = 'Refusal';
    this.code = code;
    this.field = field;
  }

  /** The message without the code prefix, as a batch outcome reports it. */
  get detail(): string {
    return this.message.replace(/^\[[A-Z_]+\] /, '');
  }
}
