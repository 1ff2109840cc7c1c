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
export { newSession, type SessionOptions, type FieldAppearance, type SignatureAppearance, type SigningSession } from './pades/session.ts';
export { resume, type PreparedDocument, type SignedDocument, type PreparedDocumentJson } from './pades/prepared-document.ts';
export { signPdf, applySeal, type SignPdfOptions, type ApplySealOptions } from './pades/sign-pdf.ts';
export type { SignerCertificates } from './pades/cms.ts';
export {
  InvalidSignOptionError,
  UnsupportedAlgorithmError,
  DocMdpError,
  NewFieldAfterCertificationError,
  SigningKeyError,
  SignatureMismatchError,
  TimestampError,
  ContentsOverflowError,
} from './pades/errors.ts';
export { addValidationData, type ValidationDataOptions } from './pades/validation-data.ts';
export { addDocumentTimestamp, type DocumentTimestampOptions } from './pades/document-timestamp.ts';

// Licences as data, rendering, seals (licdoc).
export { mod37_36, mod11_2 } from './licence/iso7064.ts';
export { parseUscc, isValidUscc, usccCheckCharacter, USCC_STANDARD } from './licence/uscc.ts';
export { parseIdNumber, isValidIdNumber, ID_NUMBER_STANDARD, type IdNumberOptions } from './licence/id-number.ts';
export {
  newIdentifier,
  parseIdentifier,
  isValidIdentifier,
  identifierCheckCharacter,
  IDENTIFIER_ROOT,
  IDENTIFIER_STANDARD,
  type LicenceIdentifier,
  type LicenceIdentifierParts,
} from './licence/identifier.ts';
export type * from './licence/licence-type.ts';
export { HOLDER_CODE_TYPE_NAMES, PARTY_CODE_TYPES } from './licence/licence-type.ts';
export { FaceFieldError, FaceDataError, type FaceFieldProblem } from './licence/errors.ts';
export { checkLicenceType, licenceTypeProblems, LicenceTypeError } from './licence/type-check.ts';
export { validateFaceData, checkFaceData, type FaceData, type FaceValidationOptions } from './licence/face-data.ts';
export { validityPeriod, type ValidityPeriod } from './licence/validity.ts';
export { LONG_TERM, isIsoDate, isoDateOf, chineseDate } from './licence/dates.ts';
export { newLicenceMetadata, type LicenceMetadata, type LicenceStatus, type NewLicenceInput } from './licence/metadata.ts';
export {
  SEED_LICENCE_TYPES,
  BUSINESS_LICENCE,
  REAL_ESTATE_CERTIFICATE,
  PROVIDENT_FUND_CERTIFICATE,
  LOCAL_DEFINING_AUTHORITY,
  SEED_EXAMPLES,
  type LicenceExample,
} from './licence/seed/index.ts';
export {
  renderLicence,
  LICENCE_ATTACHMENT_NAME,
  type RenderOptions,
  type RenderedLicence,
  type PageRect,
  type LicenceAttachment,
} from './render/render-licence.ts';
export { LICENCE_XMP_NAMESPACE } from './render/xmp.ts';
export { GlyphMissingError, LayoutOverflowError, RenderSetupError } from './render/errors.ts';
export { SESeal, type ISESeal, type SESealJson, type SESealParameters, type SESealSchema } from './seal/asn1/se-seal.ts';
export { SESSealInfo, type ISESSealInfo, type SESSealInfoJson } from './seal/asn1/ses-seal-info.ts';
export { SESHeader, SES_HEADER_ID, SES_VERSION, type ISESHeader } from './seal/asn1/ses-header.ts';
export { SESESPropertyInfo, CERT_LIST_TYPE, SEAL_TYPE, type CertListType, type ISESESPropertyInfo } from './seal/asn1/ses-es-property-info.ts';
export { SESESPictrueInfo, type ISESESPictrueInfo } from './seal/asn1/ses-es-pictrue-info.ts';
export { CertDigestObj } from './seal/asn1/cert-digest-obj.ts';
export { ExtData } from './seal/asn1/ext-data.ts';
export {
  newSealInfo,
  signSeal,
  decodeSeal,
  verifySeal,
  sealBindsCertificate,
  SM2_WITH_SM3,
  ZHENGYIN_VID,
  type NewSealInput,
  type SealMaker,
  type SealPicture,
  type SealVerification,
  type SealVerificationFailure,
} from './seal/seal.ts';
export { SealFormatError } from './seal/errors.ts';
export { drawSealPicture, type SealPictureOptions, type DrawnSealPicture } from './seal/picture/seal-picture.ts';

// PKI and key store (signer/pki, signer/keystore).
export * from './pki/index.ts';
export * from './keystore/index.ts';
