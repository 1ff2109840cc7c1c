/**
 * An X.509 certificate (RFC 5280) read once: pkijs for structure, node:crypto for the key
 * and for checking signatures on it.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Certificate, type Extension } from 'pkijs';
import { checkKey } from '../cms/algorithms.ts';
import { sharedCache } from '../cache.ts';
import type { CertificateInfo } from '../report/types.ts';
import { attributeValue, nameToString, sameName } from './names.ts';

export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  privateKeyUsagePeriod: '2.5.29.16',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  nameConstraints: '2.5.29.30',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/**
 * Critical extensions this verifier processes (or which carry no constraint it must
 * enforce). Any other critical extension fails the path (RFC 5280 §4.2).
 */
const UNDERSTOOD_CRITICAL = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier,
  OID.crlDistributionPoints, OID.authorityInfoAccess, OID.subjectAltName, OID.issuerAltName, OID.ocspNoCheck,
  OID.qcStatements, OID.privateKeyUsagePeriod, OID.certificatePolicies,
]);

const CERTS = sharedCache<Cert>(2000);

export class Cert {
  readonly der: Uint8Array;
  readonly cert: Certificate;
  readonly sha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialHex: string;
  readonly keyUsage: ReadonlySet<KeyUsageBit> | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly extKeyUsageCritical: boolean;
  readonly isCa: boolean;
  readonly pathLen: number | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  readonly unknownCritical: readonly string[];
  readonly crlUrls: readonly string[];
  readonly ocspUrls: readonly string[];
  readonly caIssuerUrls: readonly string[];
  readonly ocspNoCheck: boolean;
  #x509: X509Certificate | undefined;
  #key: KeyObject | undefined;
  readonly #issuedBy = new Map<string, boolean>();

  private constructor(der: Uint8Array, cert: Certificate, sha256: string) {
    this.der = der;
    this.cert = cert;
    this.sha256 = sha256;
    this.notBefore = cert.notBefore.value;
    this.notAfter = cert.notAfter.value;
    this.serialHex = Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
    const ext = (oid: string): Extension | undefined => cert.extensions?.find((e) => e.extnID === oid);
    const parsed = (oid: string): unknown => {
      try {
        return ext(oid)?.parsedValue;
      } catch {
        return undefined;
      }
    };
    const ku = parsed(OID.keyUsage) as asn1js.BitString | undefined;
    if (ext(OID.keyUsage)) {
      const bytes = ku?.valueBlock?.valueHexView ?? new Uint8Array();
      const set = new Set<KeyUsageBit>();
      KEY_USAGE_BITS.forEach((name, i) => {
        if (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) set.add(name);
      });
      this.keyUsage = set;
    }
    const eku = parsed(OID.extKeyUsage) as { keyPurposes?: string[] } | undefined;
    this.extKeyUsage = ext(OID.extKeyUsage) ? [...(eku?.keyPurposes ?? [])] : undefined;
    this.extKeyUsageCritical = ext(OID.extKeyUsage)?.critical ?? false;
    const bc = parsed(OID.basicConstraints) as { cA?: boolean; pathLenConstraint?: number | asn1js.Integer } | undefined;
    this.isCa = bc?.cA === true;
    const pl = bc?.pathLenConstraint;
    this.pathLen = typeof pl === 'number' ? pl : pl instanceof asn1js.Integer ? pl.valueBlock.valueDec : undefined;
    const ski = parsed(OID.subjectKeyIdentifier) as asn1js.OctetString | undefined;
    this.subjectKeyId = ski?.valueBlock ? hex(ski.valueBlock.valueHexView) : undefined;
    const aki = parsed(OID.authorityKeyIdentifier) as { keyIdentifier?: asn1js.OctetString } | undefined;
    this.authorityKeyId = aki?.keyIdentifier?.valueBlock ? hex(aki.keyIdentifier.valueBlock.valueHexView) : undefined;
    this.unknownCritical = (cert.extensions ?? []).filter((e) => e.critical && !UNDERSTOOD_CRITICAL.has(e.extnID)).map((e) => e.extnID);
    this.crlUrls = urls(parsed(OID.crlDistributionPoints), 'crl');
    const aia = parsed(OID.authorityInfoAccess) as { accessDescriptions?: { accessMethod: string; accessLocation: { type: number; value: unknown } }[] } | undefined;
    const access = (method: string): string[] =>
      (aia?.accessDescriptions ?? [])
        .filter((d) => d.accessMethod === method && d.accessLocation.type === 6 && typeof d.accessLocation.value === 'string')
        .map((d) => d.accessLocation.value as string);
    this.ocspUrls = access('1.3.6.1.5.5.7.48.1');
    this.caIssuerUrls = access('1.3.6.1.5.5.7.48.2');
    this.ocspNoCheck = ext(OID.ocspNoCheck) !== undefined;
  }

  /**
   * Parses DER. Throws on anything that is not one X.509 certificate; the caller decides
   * whether that is a verdict or a caller error.
   */
  static fromDer(der: Uint8Array): Cert {
    const sha256 = createHash('sha256').update(der).digest('hex');
    const cached = CERTS.get(sha256);
    if (cached) return cached;
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1 || asn1.offset !== der.length) throw new Error('not a single DER certificate');
    const cert = new Cert(new Uint8Array(der), new Certificate({ schema: asn1.result }), sha256);
    // OpenSSL must read it too (and its key): what pkijs accepts, node:crypto may not.
    void cert.publicKey;
    CERTS.set(sha256, cert);
    return cert;
  }

  get x509(): X509Certificate {
    this.#x509 ??= new X509Certificate(Buffer.from(this.der));
    return this.#x509;
  }

  get publicKey(): KeyObject {
    this.#key ??= this.x509.publicKey;
    return this.#key;
  }

  get subject(): string {
    return nameToString(this.cert.subject);
  }

  get issuer(): string {
    return nameToString(this.cert.issuer);
  }

  get selfIssued(): boolean {
    return sameName(this.cert.subject, this.cert.issuer);
  }

  /** Whether `issuer`'s name is this certificate's issuer name (the hint; not the proof). */
  namedIssuer(issuer: Cert): boolean {
    if (this.authorityKeyId && issuer.subjectKeyId && this.authorityKeyId !== issuer.subjectKeyId) return false;
    return sameName(this.cert.issuer, issuer.cert.subject);
  }

  /**
   * Whether `issuer`'s key verifies this certificate's signature (RFC 5280 §6.1.3 (a)(1))
   * and its name is our issuer name ((a)(4)). Cached per pair.
   */
  issuedBy(issuer: Cert): boolean {
    const cached = this.#issuedBy.get(issuer.sha256);
    if (cached !== undefined) return cached;
    let ok = false;
    try {
      checkKey(issuer.publicKey);
      ok = sameName(this.cert.issuer, issuer.cert.subject) && this.x509.verify(issuer.publicKey);
    } catch {
      ok = false;
    }
    this.#issuedBy.set(issuer.sha256, ok);
    return ok;
  }

  /** Whether the public keys are the same (for matching an OCSP responder by key). */
  sameKey(other: Cert): boolean {
    try {
      return this.publicKey.equals(other.publicKey);
    } catch {
      return false;
    }
  }

  readonly #info: (CertificateInfo | undefined)[] = [undefined, undefined];

  info(trustAnchor = false): CertificateInfo {
    const i = trustAnchor ? 1 : 0;
    this.#info[i] ??= Object.freeze(this.#describe(trustAnchor));
    return this.#info[i]!;
  }

  #describe(trustAnchor: boolean): CertificateInfo {
    return {
      subject: this.subject,
      issuer: this.issuer,
      commonName: attributeValue(this.cert.subject, '2.5.4.3'),
      organization: attributeValue(this.cert.subject, '2.5.4.10'),
      serialNumber: this.serialHex,
      notBefore: this.notBefore.toISOString(),
      notAfter: this.notAfter.toISOString(),
      sha256: this.sha256,
      trustAnchor,
    };
  }

  /** SHA-1 of the subjectPublicKey BIT STRING contents (RFC 6960 §4.1.1 issuerKeyHash). */
  keyHash(hash: string): Buffer {
    return createHash(hash).update(this.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
  }

  /** Hash of the DER subject name (RFC 6960 issuerNameHash). */
  nameHash(hash: string): Buffer {
    return createHash(hash).update(new Uint8Array(this.cert.subject.valueBeforeDecode)).digest();
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function urls(crldp: unknown, _kind: 'crl'): string[] {
  const points = (crldp as { distributionPoints?: { distributionPoint?: unknown }[] } | undefined)?.distributionPoints ?? [];
  const out: string[] = [];
  for (const p of points) {
    const names = p.distributionPoint;
    if (!Array.isArray(names)) continue;
    for (const n of names as { type: number; value: unknown }[]) if (n.type === 6 && typeof n.value === 'string') out.push(n.value);
  }
  return out;
}
