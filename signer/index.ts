// The front door of signer/: other folders import only from here. Each section is one
// area of signer/ (DESIGN.md); names are listed one by one so that what leaves signer/
// is a decision, not a side effect.

// ── Shared seams: what a key, an identity, a TSA and revocation data look like ──
export type {
  DigestAlgorithm,
  KeyAlgorithm,
  SigningKey,
  SigningIdentity,
  TimestampAuthority,
  ValidationMaterial,
  RevocationSource,
  SealSigner,
} from './types.ts';
export { SignerError } from './errors.ts';

// ── PKI (signer/pki): X.509 profiles, CRLs, OCSP, RFC 3161 time-stamps, PKCS#12. No database, no HTTP ──
export { keyAlgorithms, isKeyAlgorithm, keyAlgorithmOf } from './pki/key-algorithms.ts';
export { defaultDigest } from './cms/algorithms.ts';
export { parseCertificate, type CertificateInfo, type KeyUsageName } from './pki/certificate-info.ts';
export { orderChain } from './pki/chain.ts';
export { issueCrl, type CrlRequest } from './pki/crl.ts';
export { toPem, fromPem, serialHex } from './pki/encoding.ts';
export { PkiInputError, CertificateRevokedError, CertificateValidityError, CertificateExpiredError, CertificateNotYetValidError, Pkcs12Error, TimestampRejectedError, type CertificateRef } from './pki/errors.ts';
export { buildName, formatName, usccIdentifier, type DistinguishedName } from './pki/names.ts';
export { NodeSigningKey, generateKeyPair } from './pki/node-key.ts';
export {
  respondOcsp,
  buildOcspResponse,
  ocspErrorResponse,
  certIdFor,
  certIdMatches,
  decodeOcspGetRequest,
  type OcspCertId,
  type OcspCertStatus,
  type OcspIssuer,
  type OcspSigner,
  type OcspResponderOptions,
} from './pki/ocsp.ts';
export { countOcspRequests } from './pki/ocsp-request-count.ts';
export { issueCertificate, keyIdentifier, type CertificateProfile, type CertificateRequest, type PublicationUrls } from './pki/profiles.ts';
export { crlReasons, crlReasonCode, crlReasonName, isCrlReason, type CrlReason, type RevokedEntry } from './pki/revocation-reason.ts';
export { LocalRevocationSource, type RevocationDirectory } from './pki/revocation-source.ts';
export { TimestampResponder, LocalTimestampAuthority, ZHENGYIN_TSA_POLICY, type TimestampResponderOptions, type TokenRequest } from './pki/tsa.ts';

// ── SM2 (signer/sm2): 商用密码 keys and signatures, SM2-with-SM3 and the default user ID ──
export { generateSm2KeyPair, type Sm2KeyPair } from './sm2/key-pair.ts';
export { sm2Sign, sm2Verify, SM2_DEFAULT_USER_ID } from './sm2/sign.ts';
export { sm2Spki, sm2PointOfSpki, sm2Pkcs8, sm2KeyOfPkcs8, type Sm2KeyHex } from './sm2/key-encoding.ts';
export { Sm2SigningKey } from './sm2/signing-key.ts';

// ── Key store (signer/keystore) ──
export { KeyEncryptionKey } from './keystore/kek.ts';
export { KeyStore, MemoryKeyStorage, type KeyStorage, type StoredKey, type KeyHandle } from './keystore/key-store.ts';
export { KekMismatchError, KeyUnsealError, KeyNotFoundError, InvalidKekError } from './keystore/errors.ts';

// ── PDF incremental updates (signer/pdf) ──
export { IncrementalWriter, type WrittenRevision } from './pdf/incremental-writer.ts';
export { PdfReadError, PdfWriteError, PdfEncryptedError } from './pdf/errors.ts';

// ── PAdES signing (signer/pades) ──
export { newSession, type SessionOptions, type FieldAppearance, type SignatureAppearance, type SigningSession } from './pades/session.ts';
export { resume, type PreparedDocument, type SignedDocument, type PreparedDocumentJson } from './pades/prepared-document.ts';
export { signPdf, applySeal, type SignPdfOptions, type ApplySealOptions } from './pades/sign-pdf.ts';
export type { SignerCertificates } from './pades/cades.ts';
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

// ── Licence model and identifiers (signer/licence): GB/T 36903, GB/T 36904, GB 32100, GB 11643 ──
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
export type {
  LicenceType,
  HolderCodeType,
  HolderKind,
  HolderMapping,
  FaceSchema,
  FaceField,
  FaceFieldKind,
  TextField,
  MultilineField,
  DateField,
  MoneyField,
  NumberField,
  EnumField,
  UsccField,
  IdNumberField,
  PartyCodeField,
  FaceConstraint,
  NotBeforeConstraint,
  ValidityRule,
  LicenceLayout,
  FieldPlacement,
  TextPlacement,
  BoxPlacement,
  Rgb,
} from './licence/licence-type.ts';
export { HOLDER_CODE_TYPE_NAMES, PARTY_CODE_TYPES } from './licence/licence-type.ts';
export { FaceFieldError, FaceDataError, type FaceFieldProblem } from './licence/errors.ts';
export { checkLicenceType, licenceTypeProblems, LicenceTypeError } from './licence/type-check.ts';
export { validateFaceData, checkFaceData, type FaceData, type FaceValidationOptions } from './licence/face-data.ts';
export { validityPeriod, type ValidityPeriod } from './licence/validity.ts';
export { LONG_TERM, isIsoDate, isoDateOf, chineseDate, addToDate } from './licence/dates.ts';
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

// ── Licence rendering (signer/render) ──
export {
  renderLicence,
  LICENCE_ATTACHMENT_NAME,
  type RenderOptions,
  type RenderedLicence,
  type PageRect,
  type LicenceAttachment,
} from './render/render-licence.ts';
export { renderPrintFile, type PrintFileOptions } from './render/print-file.ts';
export { LICENCE_XMP_NAMESPACE } from './render/xmp.ts';
export { GlyphMissingError, LayoutOverflowError, RenderSetupError } from './render/errors.ts';

// ── OFD licences and seals (signer/ofd): GB/T 33190, GB/T 38540 ──
export { renderLicenceOfd, type RenderOfdOptions, type RenderedOfd, type OfdBox } from './ofd/licence-ofd.ts';
export { signOfd, prepareOfdSeal, type SignOfdOptions, type PrepareOfdSealOptions, type PreparedOfdSeal, type OfdSigner } from './ofd/sign-ofd.ts';
export { DEFAULT_OFD_READ_LIMITS, type OfdReadLimits } from './ofd/ofd-zip.ts';
export { OfdReadError, OfdSealError } from './ofd/errors.ts';
export { placeOfdSeal, type OfdSealPlaceRequest, type OfdSealPlace } from './ofd/seal-place.ts';

// ── Electronic seals (signer/seal): GB/T 38540 ──
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
export { SealFormatError, SealMakerError, type SealMakerProblem } from './seal/errors.ts';
export { drawSealPicture, type SealPictureOptions, type DrawnSealPicture } from './seal/picture/seal-picture.ts';

// ── Annotated copies (signer/annotate): 加注件, a signed copy carrying its original ──
export { makeAnnotatedCopy, ORIGINAL_ATTACHMENT_NAME, type AnnotatedCopyInput, type AnnotatedCopySigner } from './annotate/annotated-copy.ts';
export { checkNote, NOTE_LIMITS, type AnnotationNote } from './annotate/note-text.ts';
export { makeAnnotatedOfdCopy, ORIGINAL_OFD_ATTACHMENT_NAME, type AnnotatedOfdCopyInput } from './annotate/annotated-ofd-copy.ts';
