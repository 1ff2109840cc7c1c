// The front door of ledger/: other folders import only from here.
export type {
  Ledger,
  ProvingLedger,
  AnchorReceipt,
  AnchorRejection,
  AnchorOutcome,
  EvidenceVersion,
  EvidenceQuery,
  QueryPage,
  LedgerInfo,
  EventsRequest,
  LedgerEvent,
  CloseableAsyncIterable,
} from './ledger.ts';
export { canProve } from './ledger.ts';
export { canonicalJson } from './canonical.ts';
export type {
  EvidenceDomain,
  EvidenceType,
  EvidenceRecord,
  LicenceEvidence,
  RealEstateEvidence,
  FundEvidence,
  AccessLogHeadEvidence,
  ProjectEvidence,
  StoredEvidence,
  SubjectKey,
} from './evidence.ts';
export { evidenceTypes, evidenceDomains, isEvidenceType, isEvidenceDomain, domainOf, subjectOf } from './evidence.ts';
export type { WriterPolicy, Principal } from './policy.ts';
export { singleOrganisationPolicy } from './policy.ts';
export type { InclusionProof, InclusionVerdict, InclusionProblem, VerifyProofOptions, ChainVerdict, ChainProblem, ChainProblemKind } from './proof.ts';
export { verifyInclusionProof } from './proof.ts';
export {
  LedgerError,
  AnchorError,
  AnchorEndorseError,
  AnchorSubmitError,
  AnchorCommitError,
  EvidenceRejectedError,
  InvalidEvidenceError,
  EvidenceConflictError,
  WriterNotAllowedError,
  NoLiveRegistrationError,
  StepOutOfOrderError,
  PolicyRefusedError,
  LedgerQueryError,
  LedgerClosedError,
} from './errors.ts';
export type { RejectionReason } from './errors.ts';
export { saltedHash, holderHash, accountHash, loadSalt } from './hashing.ts';
export * as ledgers from './ledgers.ts';
export type { KeySealer } from './embedded/node-identity.ts';
export * as outbox from './outbox/index.ts';
export type { OutboxWriter, OutboxStats, OutboxEntry, OutboxDrainer, OutboxWorkerOptions, DrainResult, OutboxReconciler } from './outbox/index.ts';
export { enqueueEvidence } from './outbox/outbox.ts';
export { checkProjectStepOrder } from './project-order.ts';
export * as checkpointers from './checkpointers.ts';
