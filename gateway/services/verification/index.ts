/** Verification of any PDF, enriched from our registries when it is one of ours. Other folders import only this file. */
export {
  VerificationService,
  type LedgerAnchor,
  type RegisteredLicence,
  type RegisteredSeal,
  type SignatureRegistration,
  type VerificationResult,
  type VerificationServiceOptions,
} from './verification-service.ts';
export { NotAPdfError, PdfTooLargeError } from './errors.ts';
