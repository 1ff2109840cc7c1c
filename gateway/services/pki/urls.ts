import { publicRoute } from '../../runtime/config.ts';

/**
 * The paths of the PKI endpoints, relative to the public base URL. The HTTP routes serve
 * them and the service writes them into certificates, so both read them from here.
 */
export const pkiPaths = {
  rootDer: 'pki/root.crt',
  rootPem: 'pki/root.pem',
  /** caIssuers (RFC 5280 §4.2.2.1): the CA certificate `caId`, DER. */
  caCertificate: (caId: string) => `pki/ca/${caId}.crt`,
  /** cRLDistributionPoints (RFC 5280 §4.2.1.13): the current CRL of CA `caId`, DER. */
  crl: (caId: string) => `pki/crl/${caId}.crl`,
  /** OCSP (RFC 6960 Appendix A): POST, or GET `pki/ocsp/<base64>`. */
  ocsp: 'pki/ocsp',
  /** RFC 3161 time-stamping over HTTP (§3.4). */
  tsa: 'pki/tsa',
} as const;

/** Absolute URLs of the PKI endpoints under `base` (config.publicUrl). */
export function pkiUrls(base: URL) {
  return {
    rootDer: publicRoute(base, pkiPaths.rootDer),
    rootPem: publicRoute(base, pkiPaths.rootPem),
    caCertificate: (caId: string) => publicRoute(base, pkiPaths.caCertificate(caId)),
    crl: (caId: string) => publicRoute(base, pkiPaths.crl(caId)),
    ocsp: publicRoute(base, pkiPaths.ocsp),
    tsa: publicRoute(base, pkiPaths.tsa),
  };
}
