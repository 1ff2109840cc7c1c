import { ZhengyinError } from '../common/index.ts';

/** Base of every error from `ledger/`. */
export abstract class LedgerError extends ZhengyinError {}

type Ids = Readonly<{ message: string; evidenceIds: readonly string[]; transactionId: string; cause?: unknown }>;

/** An anchoring transaction failed at one stage; carries the ids needed to reconcile. */
export abstract class AnchorError extends LedgerError {
  readonly evidenceIds: readonly string[];
  /** The failed transaction ('' when none was built). */
  readonly transactionId: string;

  constructor(p: Ids) {
    super(p.message, { cause: p.cause });
    this.evidenceIds = p.evidenceIds;
    this.transactionId = p.transactionId;
  }
}

/**
 * Endorsement failed for a reason other than the contract refusing the record: peer
 * unreachable, chaincode not running, deadline passed. Safe to retry: anchoring is
 * idempotent by evidence id.
 */
export class AnchorEndorseError extends AnchorError {
  readonly code = 'ANCHOR_ENDORSE';
}

/** The orderer did not accept the endorsed transaction. Safe to retry. */
export class AnchorSubmitError extends AnchorError {
  readonly code = 'ANCHOR_SUBMIT';
}

/**
 * The transaction was ordered but committed as invalid (e.g. `MVCC_READ_CONFLICT` after
 * the ledger's own retries), or its commit status could not be read. Safe to retry.
 */
export class AnchorCommitError extends AnchorError {
  readonly code = 'ANCHOR_COMMIT';
  /** Fabric's TxValidationCode, e.g. 11; undefined when the status could not be read. */
  readonly validationCode: number | undefined;
  /** Its name, e.g. 'MVCC_READ_CONFLICT'. */
  readonly validationCodeName: string | undefined;

  constructor(p: Ids & Readonly<{ validationCode?: number; validationCodeName?: string }>) {
    super(p);
    this.validationCode = p.validationCode;
    this.validationCodeName = p.validationCodeName;
  }
}

/** The reasons the contract gives for refusing a record (the `[CODE]` of its message). */
export type RejectionReason = 'INVALID_EVIDENCE' | 'EVIDENCE_CONFLICT' | 'WRITER_NOT_ALLOWED' | 'NO_LIVE_REGISTRATION' | 'STEP_OUT_OF_ORDER';

type Rejection = Readonly<{ message: string; evidenceId: string; transactionId: string; field?: string }>;

/**
 * The contract refused the record. Retrying the same content fails the same way until
 * something on the chain changes (the writer policy, a registration).
 */
export abstract class EvidenceRejectedError extends LedgerError {
  abstract override readonly code: RejectionReason;
  readonly evidenceId: string;
  /** The refused proposal's transaction id (nothing was committed). */
  readonly transactionId: string;
  /** The record field the refusal names, if any. */
  readonly field: string | undefined;

  constructor(p: Rejection) {
    super(p.field ? `${p.field}: ${p.message}` : p.message);
    this.evidenceId = p.evidenceId;
    this.transactionId = p.transactionId;
    this.field = p.field;
  }
}

/** A field is missing, malformed, or not allowed for the type (personal data is refused this way). */
export class InvalidEvidenceError extends EvidenceRejectedError {
  readonly code = 'INVALID_EVIDENCE';
}

/** The evidence id was recorded earlier with other content. */
export class EvidenceConflictError extends EvidenceRejectedError {
  readonly code = 'EVIDENCE_CONFLICT';
}

/** The writer policy on the chain does not let this identity write this domain. */
export class WriterNotAllowedError extends EvidenceRejectedError {
  readonly code = 'WRITER_NOT_ALLOWED';
}

/** A 公积金 贷款发放 names a property without a live 不动产 registration on the chain. */
export class NoLiveRegistrationError extends EvidenceRejectedError {
  readonly code = 'NO_LIVE_REGISTRATION';
}

/** A 工程建设项目 step decision before the step it follows is approved, or of a step already approved. */
export class StepOutOfOrderError extends EvidenceRejectedError {
  readonly code = 'STEP_OUT_OF_ORDER';
}

const rejections: Record<RejectionReason, new (p: Rejection) => EvidenceRejectedError> = {
  INVALID_EVIDENCE: InvalidEvidenceError,
  EVIDENCE_CONFLICT: EvidenceConflictError,
  WRITER_NOT_ALLOWED: WriterNotAllowedError,
  NO_LIVE_REGISTRATION: NoLiveRegistrationError,
  STEP_OUT_OF_ORDER: StepOutOfOrderError,
};

export function rejectionError(reason: RejectionReason, p: Rejection): EvidenceRejectedError {
  return new rejections[reason](p);
}

export const isRejectionReason = (code: string): code is RejectionReason => Object.hasOwn(rejections, code);

/** The contract refused a writer-policy change: not an admin, or a malformed policy. */
export class PolicyRefusedError extends LedgerError {
  readonly code: 'POLICY_ADMIN_REQUIRED' | 'INVALID_POLICY';
  readonly field: string | undefined;

  constructor(p: Readonly<{ code: 'POLICY_ADMIN_REQUIRED' | 'INVALID_POLICY'; message: string; field?: string }>) {
    super(p.message);
    this.code = p.code;
    this.field = p.field;
  }
}

/** A read (evaluate) failed: ledger unreachable, or a malformed query argument. */
export class LedgerQueryError extends LedgerError {
  readonly code = 'LEDGER_QUERY';
  readonly transactionName: string;

  constructor(p: Readonly<{ message: string; transactionName: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
    this.transactionName = p.transactionName;
  }
}

/** The ledger was closed. */
export class LedgerClosedError extends LedgerError {
  readonly code = 'LEDGER_CLOSED';

  constructor() {
    super('the ledger is closed');
  }
}

/** A `[CODE] field: detail` refusal inside a chaincode error message. */
export interface Refusal {
  readonly code: string;
  readonly field: string | undefined;
  readonly detail: string;
}

/**
 * Finds the contract's refusal (chaincode/src/errors.ts `Refusal`) in an error message:
 * Fabric passes chaincode errors as text, sometimes inside its own words
 * (`chaincode response 500, [CODE] …`), and the outbox gets the refusal's own message.
 * The one reader of that format; the detail ends at the end of its line.
 */
export function parseRefusal(message: string): Refusal | undefined {
  const m = /\[([A-Z][A-Z_]+)\] (?:([A-Za-z][\w.[\]]*): )?([^\n]*)/.exec(message);
  return m ? { code: m[1]!, field: m[2], detail: m[3]! } : undefined;
}
