/**
 * The options every verification takes (PDF and OFD alike), and the validation context
 * built from them: trust anchors, certificates, revocation data, time, limits.
 */
import { InvalidVerifyOptionError } from './errors.ts';
import { Budget, type VerifyLimits } from './limits.ts';
import { derObjects } from './pem.ts';
import { Cert } from './pki/certificate.ts';
import { CertPool } from './pki/cert-pool.ts';
import { OnlineFetcher, type OnlineOptions } from './pki/online.ts';
import type { PathContext, RevocationPolicy } from './pki/path-validation.ts';
import { RevocationStore } from './pki/revocation-store.ts';

export interface VerifyOptions {
  /** Trust anchors: DER certificates or PEM text (a PEM may hold several). */
  readonly trust?: readonly (Uint8Array | string)[];
  /** More certificates for building paths (intermediates). */
  readonly certificates?: readonly (Uint8Array | string)[];
  /** CRLs, DER or PEM. */
  readonly crls?: readonly (Uint8Array | string)[];
  /** OCSP responses (OCSPResponse or BasicOCSPResponse), DER. */
  readonly ocspResponses?: readonly Uint8Array[];
  /** Validation time. @default now */
  readonly at?: Date;
  /** Fetch CRLs, OCSP responses and issuer certificates over HTTP(S). @default false */
  readonly online?: boolean | OnlineOptions;
  /**
   * 'require': a certificate without usable revocation information makes the signature
   * INDETERMINATE/TRY_LATER (EN 319 102-1 §5.2.5). 'soft-fail': noted, not failed.
   * @default 'require'
   */
  readonly revocation?: RevocationPolicy;
  readonly limits?: Partial<VerifyLimits>;
}

/**
 * Checks `bytes` and `options` and builds the context of one verification.
 *
 * @throws {@link InvalidVerifyOptionError} `bytes` is not a Uint8Array, `at` is not a
 * valid date, or a trust anchor / certificate option is not a certificate.
 */
export function verificationContext(bytes: Uint8Array, options: VerifyOptions): PathContext {
  if (!(bytes instanceof Uint8Array)) throw new InvalidVerifyOptionError({ field: 'bytes', message: 'must be a Uint8Array' });
  if (options === null || typeof options !== 'object') throw new InvalidVerifyOptionError({ field: 'options', message: 'must be an object' });
  const at = options.at ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new InvalidVerifyOptionError({ field: 'at', message: 'must be a valid Date' });
  const budget = new Budget(options.limits);
  const pool = new CertPool(budget);
  const anchors = certificatesOption(options.trust ?? [], 'trust').map((c) => pool.addCert(c, 'TRUST_ANCHOR'));
  for (const c of certificatesOption(options.certificates ?? [], 'certificates')) pool.addCert(c, 'OPTIONS');
  const revocation = new RevocationStore(budget);
  for (const input of options.crls ?? []) for (const der of derObjects(input)) revocation.addCrl(der, 'OPTIONS');
  for (const der of options.ocspResponses ?? []) revocation.addOcsp(der, 'OPTIONS');
  const online = options.online ? new OnlineFetcher(options.online === true ? {} : options.online, () => budget.remainingMs()) : undefined;
  return { pool, anchors, revocation, at, budget, online, revocationPolicy: options.revocation ?? 'require' };
}

function certificatesOption(inputs: readonly (Uint8Array | string)[], field: string): Cert[] {
  if (!Array.isArray(inputs)) throw new InvalidVerifyOptionError({ field, message: 'must be an array of DER or PEM certificates' });
  return inputs.flatMap((input, i) => {
    const ders = derObjects(input);
    if (ders.length === 0) throw new InvalidVerifyOptionError({ field: `${field}[${i}]`, message: 'holds no certificate' });
    return ders.map((der) => {
      try {
        return Cert.fromDer(der);
      } catch (cause) {
        throw new InvalidVerifyOptionError({ field: `${field}[${i}]`, message: 'is not an X.509 certificate (RFC 5280)', cause });
      }
    });
  });
}
