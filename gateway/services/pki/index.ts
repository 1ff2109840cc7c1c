/**
 * The service's own certification authority: root and department CAs, seal-signing
 * certificates, CRL/OCSP/TSA, PKCS#12 import. Other folders import only this file.
 */
export { PkiService, type PkiServiceOptions, type SealCertificateOptions } from './pki-service.ts';
export type { CertificateRecord, CertificateRole } from './certificate-record.ts';
export type { IssuedCrl } from './crl-publisher.ts';
export { pkiPaths, pkiUrls } from './urls.ts';
