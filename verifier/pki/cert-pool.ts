/** Every certificate a verification may use, deduplicated by SHA-256, bounded in number. */
import type { Budget } from '../limits.ts';
import type { CertificateSource } from '../report/types.ts';
import { Cert } from './certificate.ts';

export class CertPool {
  readonly #bySha = new Map<string, Cert>();
  readonly #source = new Map<string, CertificateSource>();
  readonly #budget: Budget;

  constructor(budget: Budget) {
    this.#budget = budget;
  }

  /** Adds DER; returns the (possibly already known) certificate, or undefined if unreadable. */
  add(der: Uint8Array, source: CertificateSource): Cert | undefined {
    let cert: Cert;
    try {
      cert = Cert.fromDer(der);
    } catch {
      return undefined;
    }
    return this.addCert(cert, source);
  }

  /** Adds `cert` (the first source that brought it is kept). */
  addCert(cert: Cert, source: CertificateSource): Cert {
    const known = this.#bySha.get(cert.sha256);
    if (known) return known;
    this.#budget.check('maxCertificates', this.#bySha.size + 1, 'certificates');
    this.#bySha.set(cert.sha256, cert);
    this.#source.set(cert.sha256, source);
    return cert;
  }

  sourceOf(cert: Cert): CertificateSource | undefined {
    return this.#source.get(cert.sha256);
  }

  has(cert: Cert): boolean {
    return this.#bySha.has(cert.sha256);
  }

  all(): Cert[] {
    return [...this.#bySha.values()];
  }

  /** Certificates whose subject is `cert`'s issuer name (and whose key id fits): candidates only. */
  issuerCandidates(cert: Cert): Cert[] {
    return this.all().filter((c) => c !== cert && cert.namedIssuer(c));
  }
}
