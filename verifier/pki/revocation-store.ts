/**
 * All revocation evidence of one verification (CMS, /DSS, caller, online) and the rule
 * that picks an answer for a certificate at a time: a verified REVOKED entry wins; else
 * the freshest GOOD answer that speaks for the time needed; else no answer.
 */
import { hash } from 'node:crypto';
import type { Budget } from '../limits.ts';
import type { RevocationCheck, RevocationSource } from '../report/types.ts';
import type { Cert } from './certificate.ts';
import { Crl, type RevocationAnswer } from './crl.ts';
import { Ocsp } from './ocsp.ts';

export type RevocationStatus =
  | { readonly status: 'GOOD' | 'REVOKED'; readonly answer: RevocationAnswer; readonly check: RevocationCheck }
  | { readonly status: 'UNKNOWN'; readonly why: 'NONE' | 'NOT_FRESH' };

export class RevocationStore {
  readonly #crls: { readonly crl: Crl; readonly source: RevocationSource }[] = [];
  readonly #ocsps: { readonly ocsp: Ocsp; readonly source: RevocationSource }[] = [];
  readonly #seen = new Set<string>();
  readonly #budget: Budget;

  constructor(budget: Budget) {
    this.#budget = budget;
  }

  addCrl(der: Uint8Array, source: RevocationSource): void {
    const crl = Crl.fromDer(der);
    // Parsed CRLs are shared by DER: the same object means the same CRL.
    if (!crl || this.#crls.some((c) => c.crl === crl)) return;
    this.#budget.check('maxCertificates', this.#crls.length + this.#ocsps.length + 1, 'revocation objects');
    this.#crls.push({ crl, source });
  }

  addOcsp(der: Uint8Array, source: RevocationSource): void {
    if (!this.#first(der)) return;
    const ocsp = Ocsp.fromDer(der);
    if (ocsp) this.#ocsps.push({ ocsp, source });
  }

  #first(der: Uint8Array): boolean {
    const key = hash('sha256', der, 'hex');
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    this.#budget.check('maxCertificates', this.#seen.size, 'revocation objects');
    return true;
  }

  /**
   * The status of `cert` at `needed` (the proven signing time, or `at`), judged at
   * validation time `at`. A GOOD answer counts when issued at or after `needed`, or when
   * `needed` falls in its [thisUpdate, nextUpdate] window, and the certificate had not
   * expired when it was issued (unless the CRL keeps expired certificates).
   */
  status(cert: Cert, issuer: Cert, needed: Date, at: Date, pool: readonly Cert[]): RevocationStatus {
    const answers: Sourced[] = [];
    for (const { crl, source } of this.#crls) {
      this.#budget.tick();
      const a = crl.answer(cert, issuer, at);
      if (a) answers.push(sourced(a, source));
    }
    for (const { ocsp, source } of this.#ocsps) {
      this.#budget.tick();
      const a = ocsp.answer(cert, issuer, at, pool);
      if (a) answers.push(sourced(a, source));
    }
    const revoked = answers
      .filter((a) => a.status === 'REVOKED' && a.revocationTime && a.revocationTime.getTime() <= at.getTime())
      .sort((a, b) => a.revocationTime!.getTime() - b.revocationTime!.getTime())[0];
    if (revoked) return { status: 'REVOKED', answer: revoked, check: toCheck(cert, revoked) };
    const t = needed.getTime();
    const fresh = answers
      .filter((a) => a.status === 'GOOD' || (a.revocationTime && a.revocationTime.getTime() > at.getTime()))
      .filter((a) => {
        const issued = a.thisUpdate.getTime();
        const coversTime = issued >= t || (issued <= t && (a.nextUpdate === null || a.nextUpdate.getTime() >= t));
        const stillListed = issued <= cert.notAfter.getTime() || (a.coversExpiredSince !== null && a.coversExpiredSince.getTime() <= cert.notAfter.getTime());
        return coversTime && stillListed;
      })
      .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
    if (fresh) {
      const good: Sourced = sourced(
        { type: fresh.type, status: 'GOOD', thisUpdate: fresh.thisUpdate, nextUpdate: fresh.nextUpdate, revocationTime: null, reason: null, coversExpiredSince: fresh.coversExpiredSince },
        fresh.source,
      );
      return { status: 'GOOD', answer: good, check: toCheck(cert, good) };
    }
    return { status: 'UNKNOWN', why: answers.length > 0 ? 'NOT_FRESH' : 'NONE' };
  }
}

type Sourced = RevocationAnswer & { readonly source: RevocationSource };

// Object literals, not spreads: `{ ...a, key }` takes V8 (Node 20) microseconds a time.
function sourced(a: RevocationAnswer, source: RevocationSource): Sourced {
  return {
    type: a.type, status: a.status, thisUpdate: a.thisUpdate, nextUpdate: a.nextUpdate,
    revocationTime: a.revocationTime, reason: a.reason, coversExpiredSince: a.coversExpiredSince, source,
  };
}

function toCheck(cert: Cert, a: Sourced): RevocationCheck {
  return {
    certificate: cert.sha256,
    subject: cert.subject,
    type: a.type,
    source: a.source,
    status: a.status,
    thisUpdate: iso(a.thisUpdate),
    nextUpdate: a.nextUpdate ? iso(a.nextUpdate) : null,
    revocationTime: a.revocationTime ? iso(a.revocationTime) : null,
    revocationReason: a.reason,
  };
}

// The dates of a CRL, cached with it, are written into every report that uses it: keep
// their text with the Date objects (checked against the time, should one ever change).
const ISO = new WeakMap<Date, { readonly time: number; readonly text: string }>();

function iso(d: Date): string {
  const time = d.getTime();
  let e = ISO.get(d);
  if (e === undefined || e.time !== time) ISO.set(d, (e = { time, text: d.toISOString() }));
  return e.text;
}
