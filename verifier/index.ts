// The front door of verifier/: other folders import only from here.
export { verifyPdf } from './verify-pdf.ts';
export { verifyOfd } from './verify-ofd.ts';
export { verify, sniffFormat, type DocumentFormat } from './verify.ts';
export type { VerifyOptions } from './verify-options.ts';
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
  SealReport,
} from './report/types.ts';
export { VerifierError, PdfSyntaxError, OfdFormatError, LimitExceededError, SignatureValidationError, InvalidVerifyOptionError } from './errors.ts';
export { summary, documentSummary, renderText } from './report/render.ts';
export { PASSED, failed, indeterminate, isTrusted, isRevoked } from './report/outcome.ts';
export { readAttachments, type Attachment, type EmbeddedContent, type ReadAttachmentsOptions } from './attachments.ts';
export { clearVerifierCaches } from './cache.ts';
