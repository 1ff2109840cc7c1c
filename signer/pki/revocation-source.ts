import type { RevocationSource, ValidationMaterial } from '../types.ts';
import { parseCertificate, type CertificateInfo } from './certificate-info.ts';

/** What a `LocalRevocationSource` asks of the CA that issued the certificates. */
export interface RevocationDirectory {
  /** The issuing CA's certificate if this CA issued `certificate`; undefined for a root or a foreign certificate. */
  issuerOf(certificate: CertificateInfo): Promise<CertificateInfo | undefined>;
  /** The issuer's current CRL, DER. */
  crl(issuer: CertificateInfo): Promise<Uint8Array | undefined>;
  /** A fresh OCSP response (DER) about `certificate`, with the certificates needed to check its signer. */
  ocsp(certificate: CertificateInfo, issuer: CertificateInfo): Promise<{ response: Uint8Array; certificates: readonly CertificateInfo[] } | undefined>;
}

/**
 * Gathers validation material for PAdES B-LT from the service's own CA: for each
 * certificate and every CA above it, the issuer's current CRL and an OCSP response, plus
 * the certificates needed to check those (issuers, OCSP responder certificates).
 * Certificates this CA did not issue get nothing (no network fetching here).
 *
 * The material is current at the moment of the call; `at` is accepted for the interface
 * and not used, as a local CA has no older answers to give.
 */
export class LocalRevocationSource implements RevocationSource {
  readonly #directory: RevocationDirectory;

  constructor(directory: RevocationDirectory) {
    this.#directory = directory;
  }

  async collect(certificates: readonly Uint8Array[]): Promise<ValidationMaterial> {
    const certs = new Map<string, Uint8Array>();
    const crls = new Map<string, Uint8Array>();
    const ocspResponses: Uint8Array[] = [];
    const queue = certificates.map((der) => parseCertificate(der));
    const visited = new Set<string>();
    while (queue.length > 0) {
      const certificate = queue.shift()!;
      if (visited.has(certificate.sha256)) continue;
      visited.add(certificate.sha256);
      certs.set(certificate.sha256, certificate.der);
      const issuer = await this.#directory.issuerOf(certificate);
      if (!issuer) continue;
      if (!crls.has(issuer.sha256)) {
        const crl = await this.#directory.crl(issuer);
        if (crl) crls.set(issuer.sha256, crl);
      }
      const ocsp = await this.#directory.ocsp(certificate, issuer);
      if (ocsp) {
        ocspResponses.push(ocsp.response);
        for (const c of ocsp.certificates) certs.set(c.sha256, c.der);
      }
      queue.push(issuer);
    }
    return { certificates: [...certs.values()], crls: [...crls.values()], ocspResponses };
  }
}

