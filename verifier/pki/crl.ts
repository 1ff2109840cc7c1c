/**
 * One CRL (RFC 5280 §5) as revocation evidence for certificates of one issuer. Only
 * complete, direct CRLs are used: a delta CRL, an indirect CRL, a CRL partitioned by reason
 * or any unknown critical extension makes it unusable (§6.3.3).
 */
import * as asn1js from 'asn1js';
import { CertificateRevocationList, type RevokedCertificate } from 'pkijs';
import { verifySignature } from '../cms/algorithms.ts';
import { sharedContentCache } from '../cache.ts';
import type { Cert } from './certificate.ts';
import { rdnDer, sameName } from './names.ts';

const IDP = '2.5.29.28';
const DELTA_INDICATOR = '2.5.29.27';
const CRL_NUMBER = '2.5.29.20';
const AKI = '2.5.29.35';
const EXPIRED_CERTS_ON_CRL = '2.5.29.60';
const REASON = '2.5.29.21';

export const REASONS = [
  'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation',
  'certificateHold', 'unused', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise',
] as const;

export interface RevocationAnswer {
  readonly type: 'CRL' | 'OCSP';
  readonly status: 'GOOD' | 'REVOKED';
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly revocationTime: Date | null;
  readonly reason: string | null;
  /** Time until which a GOOD answer also speaks for an expired certificate (ExpiredCertsOnCRL). */
  readonly coversExpiredSince: Date | null;
}

const CRLS = sharedContentCache<Crl>(256);

/** What the CRL's own extensions say about its scope (RFC 5280 §5.2), read once per CRL. */
interface CrlScope {
  /** A delta CRL, an indirect or partitioned one, or an unknown critical extension: not used. */
  readonly unusable: boolean;
  readonly onlyCa: boolean;
  readonly onlyUser: boolean;
  readonly expiredSince: Date | null;
}

export class Crl {
  readonly crl: CertificateRevocationList;
  readonly #issuerDer: Uint8Array;
  readonly #scope: CrlScope;
  readonly #verified = new Map<string, boolean>();
  #bySerial: Map<string, RevokedCertificate> | undefined;
  readonly #reasons = new Map<RevokedCertificate, string | null>();

  private constructor(crl: CertificateRevocationList) {
    this.crl = crl;
    this.#issuerDer = rdnDer(crl.issuer);
    this.#scope = scopeOf(crl);
  }

  /** Parses (or finds in the shared cache) a CRL; undefined when it is not one. */
  static fromDer(der: Uint8Array): Crl | undefined {
    const cached = CRLS.get(der);
    if (cached) return cached;
    try {
      // A copy: the parsed CRL keeps views of its bytes, and the caller's may change later.
      const copy = new Uint8Array(der);
      const asn1 = asn1js.fromBER(copy);
      if (asn1.offset === -1) return undefined;
      const crl = new Crl(new CertificateRevocationList({ schema: asn1.result }));
      CRLS.set(copy, crl);
      return crl;
    } catch {
      return undefined;
    }
  }

  /**
   * What this CRL says about `cert`, issued by `issuer`; undefined when it cannot speak
   * for it (another issuer, bad signature, unsupported scope, issued after `at`).
   */
  answer(cert: Cert, issuer: Cert, at: Date): RevocationAnswer | undefined {
    const crl = this.crl;
    if (!sameName(this.#issuerDer, cert.issuerDer)) return undefined;
    if (crl.thisUpdate.value.getTime() > at.getTime()) return undefined;
    const scope = this.#scope;
    if (scope.unusable || (scope.onlyCa && !cert.isCa) || (scope.onlyUser && cert.isCa)) return undefined;
    if (!this.#signedBy(issuer)) return undefined;
    const entry = this.#entry(cert.serialHex);
    const thisUpdate = crl.thisUpdate.value;
    const nextUpdate = crl.nextUpdate?.value ?? null;
    if (entry) {
      const reason = this.#reason(entry);
      if (reason !== 'removeFromCRL') {
        return { type: 'CRL', status: 'REVOKED', thisUpdate, nextUpdate, revocationTime: entry.revocationDate.value, reason, coversExpiredSince: scope.expiredSince };
      }
    }
    return { type: 'CRL', status: 'GOOD', thisUpdate, nextUpdate, revocationTime: null, reason: null, coversExpiredSince: scope.expiredSince };
  }

  /** The entry's reasonCode (RFC 5280 §5.3.1), read once. */
  #reason(entry: RevokedCertificate): string | null {
    let reason = this.#reasons.get(entry);
    if (reason === undefined) this.#reasons.set(entry, (reason = entryReason(entry.crlEntryExtensions?.extensions)));
    return reason;
  }

  /** The first entry for a serial number (upper-case hex of the INTEGER contents). */
  #entry(serialHex: string): RevokedCertificate | undefined {
    if (!this.#bySerial) {
      this.#bySerial = new Map();
      for (const r of this.crl.revokedCertificates ?? []) {
        const k = Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase();
        if (!this.#bySerial.has(k)) this.#bySerial.set(k, r);
      }
    }
    return this.#bySerial.get(serialHex);
  }

  #signedBy(issuer: Cert): boolean {
    let ok = this.#verified.get(issuer.sha256);
    if (ok === undefined) {
      try {
        ok = (!issuer.keyUsage || issuer.keyUsage.has('cRLSign')) &&
          verifySignature(this.crl.signatureAlgorithm, undefined, this.crl.tbsView, this.crl.signatureValue.valueBlock.valueHexView, issuer.publicKey);
      } catch {
        ok = false;
      }
      this.#verified.set(issuer.sha256, ok);
    }
    return ok;
  }
}

function scopeOf(crl: CertificateRevocationList): CrlScope {
  let unusable = false;
  let onlyCa = false;
  let onlyUser = false;
  let expiredSince: Date | null = null;
  for (const e of crl.crlExtensions?.extensions ?? []) {
    if (e.extnID === DELTA_INDICATOR) unusable = true;
    else if (e.extnID === IDP) {
      const scope = idpScope(e.extnValue.valueBlock.valueHexView);
      if (!scope || scope.indirect || scope.someReasons || scope.distributionPoint || scope.onlyAttribute) unusable = true;
      else {
        onlyCa ||= scope.onlyCa;
        onlyUser ||= scope.onlyUser;
      }
    } else if (e.extnID === EXPIRED_CERTS_ON_CRL) {
      try {
        const t = asn1js.fromBER(e.extnValue.valueBlock.valueHexView).result as asn1js.GeneralizedTime;
        expiredSince = t.toDate();
      } catch {
        unusable = true;
      }
    } else if (e.critical && e.extnID !== CRL_NUMBER && e.extnID !== AKI) unusable = true;
  }
  return { unusable, onlyCa, onlyUser, expiredSince };
}

function entryReason(exts: readonly { extnID: string; extnValue: asn1js.OctetString }[] | undefined): string | null {
  const e = exts?.find((x) => x.extnID === REASON);
  if (!e) return null;
  try {
    const v = asn1js.fromBER(e.extnValue.valueBlock.valueHexView).result as asn1js.Enumerated;
    return REASONS[v.valueBlock.valueDec] ?? `reason ${v.valueBlock.valueDec}`;
  } catch {
    return null;
  }
}

interface IdpScope {
  distributionPoint: boolean;
  onlyUser: boolean;
  onlyCa: boolean;
  someReasons: boolean;
  indirect: boolean;
  onlyAttribute: boolean;
}

/** IssuingDistributionPoint (RFC 5280 §5.2.5), read by tag. */
function idpScope(der: Uint8Array): IdpScope | undefined {
  let asn1;
  try {
    asn1 = asn1js.fromBER(der);
  } catch {
    return undefined;
  }
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Sequence)) return undefined;
  const scope: IdpScope = { distributionPoint: false, onlyUser: false, onlyCa: false, someReasons: false, indirect: false, onlyAttribute: false };
  for (const el of asn1.result.valueBlock.value) {
    const flag = (): boolean => {
      const v = (el as asn1js.Primitive).valueBlock.valueHexView;
      return v.length > 0 && v[0] !== 0;
    };
    switch (el.idBlock.tagNumber) {
      // A distribution point name scopes the CRL; matching it against the certificate's
      // CRLDP is not implemented, so such CRLs are not used (documented limit).
      case 0: scope.distributionPoint = true; break;
      case 1: scope.onlyUser = flag(); break;
      case 2: scope.onlyCa = flag(); break;
      case 3: scope.someReasons = true; break;
      case 4: scope.indirect = flag(); break;
      case 5: scope.onlyAttribute = flag(); break;
    }
  }
  return scope;
}
