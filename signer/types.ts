/**
 * The seams between the parts of `signer/`: PKI and key store on one side, PAdES signing
 * on the other. A key-store entry, an HSM or a remote department all fit `SigningKey`.
 */

/** SM3 (GB/T 32905) only with SM2 keys, whose signature algorithm includes it. */
export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SM3';

/** 'SM2': GB/T 32918 (商用密码), signing SM2-with-SM3 with the default user ID; see signer/sm2. */
export type KeyAlgorithm = 'EC-P256' | 'EC-P384' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'SM2';

/** A private key that never leaves its store: it signs, it is never exported. */
export interface SigningKey {
  readonly algorithm: KeyAlgorithm;
  /**
   * Signs `data` (hashing it with `digest` first) and returns the signature as CMS carries
   * it: a DER ECDSA-Sig-Value for EC keys, the RSASSA-PKCS1-v1_5 signature for RSA keys,
   * a DER SEQUENCE{r, s} for SM2 keys (which take only 'SM3').
   */
  sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
}

/** A key with its certificate and the chain that issued it. */
export interface SigningIdentity {
  readonly key: SigningKey;
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuing CA certificates, DER, nearest first, up to and including the root. */
  readonly chain: readonly Uint8Array[];
}

/** An RFC 3161 time-stamp authority, local or remote. */
export interface TimestampAuthority {
  /**
   * Returns a TimeStampToken (a CMS ContentInfo, DER) over `imprint`, the `digest` hash of
   * the data being time-stamped. Throws a `SignerError` unless the TSA granted it.
   */
  timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
}

/** Validation material for PAdES B-LT: what a verifier needs offline, years later. */
export interface ValidationMaterial {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
}

/** Gathers CRLs and OCSP responses for certificates (from the local CA, or fetched). */
export interface RevocationSource {
  /** `certificates`: DER end-entity and CA certificates needing revocation data. */
  collect(certificates: readonly Uint8Array[], at?: Date): Promise<ValidationMaterial>;
}

/**
 * What signing a document with an electronic seal needs (GB/T 38540-2020 §8, SES_Signature
 * V4): the maker-signed seal, the signer's certificate that the seal binds, and the
 * signer's key as a function. For an SM2 seal `sign` makes a DER SEQUENCE{r, s}, SM2 with
 * SM3 and the default user ID, over exactly the bytes given (DER(TBS_Sign)).
 */
export interface SealSigner {
  /** SES_Seal, DER, as the maker signed it. */
  readonly sesSeal: Uint8Array;
  /** The signer's (seal) certificate, DER. */
  readonly certificate: Uint8Array;
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}
