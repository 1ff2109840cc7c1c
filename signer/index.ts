// The front door of signer/: other folders import only from here.
export type {
  DigestAlgorithm,
  KeyAlgorithm,
  SigningKey,
  SigningIdentity,
  TimestampAuthority,
  ValidationMaterial,
  RevocationSource,
} from './types.ts';
export { SignerError } from './errors.ts';

// PDF incremental updates and PAdES signing (signer/pdf, signer/pades).
export { IncrementalWriter, type WrittenRevision } from './pdf/incremental-writer.ts';
export { PdfReadError, PdfWriteError, PdfEncryptedError } from './pdf/errors.ts';
export { newSession, type SessionOptions, type SignatureAppearance, type SigningSession } from './pades/session.ts';
export { resume, type PreparedDocument, type SignedDocument, type PreparedDocumentJson } from './pades/prepared-document.ts';
export { signPdf, applySeal, type SignPdfOptions, type ApplySealOptions } from './pades/sign-pdf.ts';
export type { SignerCertificates } from './pades/cms.ts';
export {
  InvalidSignOptionError,
  UnsupportedAlgorithmError,
  DocMdpError,
  SigningKeyError,
  SignatureMismatchError,
  TimestampError,
  ContentsOverflowError,
} from './pades/errors.ts';
export { addValidationData, type ValidationDataOptions } from './pades/validation-data.ts';
export { addDocumentTimestamp, type DocumentTimestampOptions } from './pades/document-timestamp.ts';
