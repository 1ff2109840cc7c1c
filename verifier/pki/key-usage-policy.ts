/**
 * The key-usage policy (documented in docs/verifier.md, "Key usage"):
 * - signer: keyUsage, when present, asserts digitalSignature or nonRepudiation
 *   (contentCommitment) (RFC 5280 §4.2.1.3; ETSI EN 319 412-2 §4.3.2). extendedKeyUsage is
 *   not required; when present it must not be limited to time-stamping or OCSP signing.
 * - time-stamping unit: extendedKeyUsage present, critical, exactly id-kp-timeStamping
 *   (RFC 3161 §2.3); keyUsage, when present, asserts digitalSignature or nonRepudiation.
 * - OCSP responder (delegated): extendedKeyUsage includes id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
 * - CA: basicConstraints cA=TRUE and, when keyUsage is present, keyCertSign (RFC 5280 §4.2.1.9).
 */
import { OID, type Cert } from './certificate.ts';

export type CertificateRole = 'signer' | 'tsa' | 'ocsp';

/** Undefined when `cert` may act in `role`, else why not. */
export function keyUsageProblem(cert: Cert, role: CertificateRole): string | undefined {
  const ku = cert.keyUsage;
  const eku = cert.extKeyUsage;
  const signs = !ku || ku.has('digitalSignature') || ku.has('nonRepudiation');
  switch (role) {
    case 'signer':
      if (!signs) return 'the signer certificate\'s keyUsage allows neither digitalSignature nor nonRepudiation';
      if (eku && eku.length > 0 && eku.every((p) => p === OID.kpTimeStamping || p === OID.kpOcspSigning)) {
        return 'the signer certificate is limited to time-stamping or OCSP signing by extendedKeyUsage';
      }
      return undefined;
    case 'tsa':
      if (!eku || !cert.extKeyUsageCritical || eku.length !== 1 || eku[0] !== OID.kpTimeStamping) {
        return 'the time-stamping certificate lacks a critical extendedKeyUsage of exactly id-kp-timeStamping (RFC 3161 §2.3)';
      }
      return signs ? undefined : 'the time-stamping certificate\'s keyUsage allows neither digitalSignature nor nonRepudiation';
    case 'ocsp':
      return eku?.includes(OID.kpOcspSigning) ? undefined : 'the OCSP responder certificate lacks id-kp-OCSPSigning';
  }
}

export function caProblem(cert: Cert): string | undefined {
  if (!cert.isCa) return `${cert.subject} issues certificates but is not a CA (basicConstraints)`;
  if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) return `${cert.subject} issues certificates but its keyUsage lacks keyCertSign`;
  return undefined;
}
