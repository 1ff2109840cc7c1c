/**
 * The verification report: plain data, JSON-serialisable, frozen. Outcome names are the
 * verbatim ETSI EN 319 102-1 (v1.3.1, §5.1.3, Table 5) indications and sub-indications.
 */

/** ETSI EN 319 102-1 §5.1.3 main status indication. */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 Table 5 sub-indications of TOTAL_FAILED (those this verifier can reach). */
export type FailedSubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

/** ETSI EN 319 102-1 Table 5 sub-indications of INDETERMINATE (those this verifier can reach). */
export type IndeterminateSubIndication =
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'REVOCATION_OUT_OF_BOUNDS_NO_POE'
  | 'TIMESTAMP_ORDER_FAILURE'
  | 'NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

export type SubIndication = FailedSubIndication | IndeterminateSubIndication;

/**
 * An indication with the only sub-indications EN 319 102-1 pairs with it: none with
 * TOTAL_PASSED, a failure with TOTAL_FAILED, an indeterminate one with INDETERMINATE
 * (so TOTAL_PASSED/HASH_FAILURE cannot be written down). Build with `report/outcome.ts`.
 */
export type Outcome =
  | { readonly indication: 'TOTAL_PASSED'; readonly subIndication: null }
  | { readonly indication: 'TOTAL_FAILED'; readonly subIndication: FailedSubIndication }
  | { readonly indication: 'INDETERMINATE'; readonly subIndication: IndeterminateSubIndication };

/** An outcome other than TOTAL_PASSED. */
export type FailedOrIndeterminate = Exclude<Outcome, { readonly indication: 'TOTAL_PASSED' }>;

/**
 * How much of the file a signature's /ByteRange covers (pyHanko `SignatureCoverageLevel`);
 * REFERENCED_FILES for OFD: the package files the signature's References list.
 */
export type Coverage = 'ENTIRE_FILE' | 'ENTIRE_REVISION' | 'CONTIGUOUS_BLOCK_FROM_START' | 'UNCLEAR' | 'REFERENCED_FILES';

/** What changed after signing, least to most: `'NONE' < 'LTA_UPDATES' < 'FORM_FILLING' < 'ANNOTATIONS' < 'OTHER'`. */
export type ModificationLevel = 'NONE' | 'LTA_UPDATES' | 'FORM_FILLING' | 'ANNOTATIONS' | 'OTHER';

export const MODIFICATION_LEVELS: readonly ModificationLevel[] = ['NONE', 'LTA_UPDATES', 'FORM_FILLING', 'ANNOTATIONS', 'OTHER'];

/** PAdES baseline level reached (ETSI EN 319 142-1 §6). */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export type SignatureKind = 'SIGNATURE' | 'DOCUMENT_TIMESTAMP';

export type CertificateSource = 'SIGNATURE' | 'TIMESTAMP' | 'DSS' | 'OPTIONS' | 'TRUST_ANCHOR' | 'ONLINE';
export type RevocationSource = 'SIGNATURE' | 'DSS' | 'OPTIONS' | 'ONLINE';

export interface CertificateInfo {
  /** RFC 4514 string of the subject, e.g. `CN=张三,O=XVerify Test Org,C=CN`. */
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | null;
  readonly organization: string | null;
  /** Upper-case hex. */
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  readonly trustAnchor: boolean;
}

export interface RevocationCheck {
  /** SHA-256 of the certificate checked. */
  readonly certificate: string;
  readonly subject: string;
  readonly type: 'CRL' | 'OCSP';
  readonly source: RevocationSource;
  readonly status: 'GOOD' | 'REVOKED';
  readonly thisUpdate: string;
  readonly nextUpdate: string | null;
  readonly revocationTime: string | null;
  readonly revocationReason: string | null;
}

export type TimestampReport = Outcome & TimestampDetails;

export interface TimestampDetails {
  /** TSTInfo genTime (RFC 3161 §2.4.2). */
  readonly genTime: string | null;
  /** The imprint matches what the token should cover; null when its hash algorithm is not supported. */
  readonly intact: boolean | null;
  readonly tsa: CertificateInfo | null;
  readonly certificatePath: readonly CertificateInfo[];
  readonly problems: readonly string[];
}

/**
 * Per signature or document time-stamp. `trusted` and `revoked` are read-only views of the
 * outcome (`isTrusted`, `isRevoked` in report/outcome.ts), enumerable so JSON carries them,
 * never stored apart from it.
 */
export type SignatureReport = Outcome & SignatureDetails & DerivedStatus;

export interface DerivedStatus {
  /** The signer's certificate chains to a configured trust anchor, policies met: indication TOTAL_PASSED. */
  readonly trusted: boolean;
  /** The signer's or a CA's certificate is revoked: sub-indication REVOKED, REVOKED_NO_POE or REVOKED_CA_NO_POE. */
  readonly revoked: boolean;
}

export interface SignatureDetails {
  readonly kind: SignatureKind;
  /** Fully qualified field name; null for a signature dictionary no field points to. */
  readonly fieldName: string | null;
  readonly filter: string | null;
  readonly subFilter: string | null;
  /** adbe.pkcs7.detached or adbe.pkcs7.sha1: read, but older than PAdES. */
  readonly legacy: boolean;
  /** 1-based number of the revision this signature covers. */
  readonly revision: number | null;
  readonly byteRange: readonly number[] | null;
  readonly coverage: Coverage;
  /**
   * The digest of the covered bytes equals what the signature commits to (messageDigest);
   * null when the digest algorithm is not supported (INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE).
   */
  readonly intact: boolean | null;
  /** The signature value verifies with the signer's public key. */
  readonly valid: boolean;
  readonly signer: CertificateInfo | null;
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  /** /M of the signature dictionary (or the CMS signingTime): the signer's claim. */
  readonly claimedSigningTime: string | null;
  /** The earliest time proven by a valid time-stamp over this signature. */
  readonly provenSigningTime: string | null;
  readonly timestamp: TimestampReport | null;
  /** Signer first, trust anchor last. */
  readonly certificatePath: readonly CertificateInfo[];
  readonly revocation: readonly RevocationCheck[];
  readonly padesLevel: PadesLevel | null;
  /** DocMDP /P of a certification signature (ISO 32000-1 §12.8.2.2), else null. */
  readonly certificationLevel: 1 | 2 | 3 | null;
  readonly modification: ModificationLevel;
  /** `modification` is within what the document permits after this signature. */
  readonly modificationAllowed: boolean;
  /** Each later change no rule accepted, e.g. `revision 3: object 3 0 (Page) changed /Contents`. */
  readonly changes: readonly string[];
  readonly reason: string | null;
  readonly location: string | null;
  readonly signerName: string | null;
  /** OFD: the electronic seal the signature applies (GB/T 38540 / GM/T 0031); null for PDF. */
  readonly seal: SealReport | null;
  /** Why the indication is what it is, most important first. */
  readonly problems: readonly string[];
}

/** An OFD signature's SES_Seal, as judged. */
export interface SealReport {
  readonly format: 'GB/T 38540 SES_Seal V4' | 'GM/T 0031 SES_Seal V1';
  readonly esId: string | null;
  readonly name: string | null;
  /** The seal type number the seal declares (GB/T 38540 §7.1). */
  readonly type: number | null;
  readonly vendorId: string | null;
  readonly createDate: string | null;
  readonly validStart: string | null;
  readonly validEnd: string | null;
  readonly maker: CertificateInfo | null;
  /** The maker's signature over the seal information verifies with the maker certificate. */
  readonly makerSignatureValid: boolean;
  /** The maker certificate's path outcome; null when the maker signature did not verify. */
  readonly makerIndication: Indication | null;
  readonly makerSubIndication: SubIndication | null;
  /** Maker first, trust anchor last. */
  readonly makerPath: readonly CertificateInfo[];
  /** The signer's certificate is among (or its digest among) those the seal lists. */
  readonly signerBound: boolean;
  /** The SES_Signature carries a time-stamp. */
  readonly timeStamped: boolean;
}

export type DocumentVerdict = 'VALID' | 'INVALID' | 'INDETERMINATE' | 'UNSIGNED' | 'UNREADABLE';

/** The document's own outcome: set only when it could not be read (TOTAL_FAILED/FORMAT_FAILURE). */
export type DocumentSummary = (Outcome | { readonly indication: null; readonly subIndication: null }) & DocumentDetails;

export interface DocumentDetails {
  /**
   * UNREADABLE: not a PDF we can read (FORMAT_FAILURE). UNSIGNED: no signature or
   * document time-stamp. INVALID: any TOTAL_FAILED or disallowed change. INDETERMINATE:
   * any INDETERMINATE. VALID: everything TOTAL_PASSED with allowed changes only.
   */
  readonly verdict: DocumentVerdict;
  readonly size: number;
  readonly sha256: string;
  readonly revisions: number;
  readonly signatureCount: number;
  readonly documentTimestampCount: number;
  readonly problems: readonly string[];
}

export interface VerificationReport {
  readonly document: DocumentSummary;
  readonly signatures: readonly SignatureReport[];
  /** The validation time (`at`), ISO 8601. */
  readonly validationTime: string;
}
