// The front door of verifier/: other folders import only from here.
export { verifyPdf, type VerifyOptions } from './verify-pdf.ts';
export { DEFAULT_LIMITS, type VerifyLimits } from './limits.ts';
export type { OnlineOptions } from './pki/online.ts';
export type { RevocationPolicy } from './pki/path-validation.ts';
export type {
  Indication,
  SubIndication,
  FailedSubIndication,
  IndeterminateSubIndication,
  Outcome,
  Coverage,
  ModificationLevel,
  PadesLevel,
  SignatureKind,
  CertificateInfo,
  RevocationCheck,
  TimestampReport,
  SignatureReport,
  DocumentSummary,
  DocumentVerdict,
  VerificationReport,
} from './report/types.ts';
export { VerifierError, PdfSyntaxError, LimitExceededError, SignatureValidationError, InvalidVerifyOptionError } from './errors.ts';
export { summary, documentSummary, renderText } from './report/render.ts';
export { PASSED, failed, indeterminate, isTrusted, isRevoked } from './report/outcome.ts';
export { readAttachments, type Attachment, type EmbeddedContent, type ReadAttachmentsOptions } from './attachments.ts';
export { clearVerifierCaches } from './cache.ts';
