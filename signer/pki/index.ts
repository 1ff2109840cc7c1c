// signer/pki: X.509 profiles, CRLs, OCSP, RFC 3161 time-stamps, PKCS#12. Pure library:
// no database, no HTTP; gateway/services/pki-service.ts persists and serves it.
export { keyAlgorithms, isKeyAlgorithm, keyAlgorithmOf, defaultDigest } from '../cms/algorithms.ts';
export { parseCertificate, type CertificateInfo, type KeyUsageName } from './certificate-info.ts';
export { orderChain } from './chain.ts';
export { issueCrl, type CrlRequest } from './crl.ts';
export { toPem, fromPem, serialHex } from './encoding.ts';
export { PkiInputError, CertificateRevokedError, CertificateValidityError, CertificateExpiredError, CertificateNotYetValidError, Pkcs12Error, TimestampError, type CertificateRef } from './errors.ts';
export { buildName, formatName, usccIdentifier, type DistinguishedName } from './names.ts';
export { NodeSigningKey, generateKeyPair } from './node-key.ts';
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
} from './ocsp.ts';
export { issueCertificate, keyIdentifier, type CertificateProfile, type CertificateRequest, type PublicationUrls } from './profiles.ts';
export { crlReasons, crlReasonCode, crlReasonName, isCrlReason, type CrlReason, type RevokedEntry } from './revocation-reason.ts';
export { LocalRevocationSource, type RevocationDirectory } from './revocation-source.ts';
export { TimestampResponder, LocalTimestampAuthority, ZHENGYIN_TSA_POLICY, type TimestampResponderOptions, type TokenRequest } from './tsa.ts';
