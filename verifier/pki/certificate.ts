/**
 * An X.509 certificate (RFC 5280 §4.1) read once from DER with the TLV walker; node:crypto
 * holds its key and checks signatures on it. Parsed certificates are shared between
 * verifications by SHA-256 of their DER.
 */
import { createHash, createPublicKey, hash, X509Certificate, type KeyObject } from 'node:crypto';
import { sharedContentCache } from '../cache.ts';
import { checkKey } from '../cms/algorithms.ts';
import { bytesOf, childrenOf, contentOf, oidOf, readTlv, type Tlv } from '../cms/der.ts';
import { sm2PointOfKey, SM2_OID, verifySm2 } from '../cms/sm2.ts';
import type { CertificateInfo } from '../report/types.ts';
import { readExtensions, type CertificateExtensions, type KeyUsageBit } from './certificate-extensions.ts';
import { attributeValue, nameToString, sameName } from './names.ts';

export { OID, type KeyUsageBit } from './certificate-extensions.ts';

const CERTS = sharedContentCache<Cert>(2000);

export class Cert {
  readonly der: Uint8Array;
  readonly sha256: string;
  /** INTEGER contents of the serial number. */
  readonly serial: Uint8Array;
  readonly serialHex: string;
  /** DER of the issuer and subject Names. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
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
  readonly #spki: Uint8Array;
  /** The subjectPublicKey BIT STRING's key bytes (RFC 6960 issuerKeyHash input). */
  readonly #keyBits: Uint8Array;
  /** Kept for SM2-with-SM3 certificates, which node:crypto cannot check (no distinguishing ID). */
  readonly #tbs: Uint8Array;
  readonly #signatureAlgorithm: string | undefined;
  readonly #signatureValue: Uint8Array | undefined;
  #x509: X509Certificate | undefined;
  #key: KeyObject | undefined;
  readonly #issuedBy = new Map<string, boolean>();
  readonly #digests = new Map<string, Buffer>();
  readonly #info: (CertificateInfo | undefined)[] = [undefined, undefined];

  private constructor(der: Uint8Array, sha256: string) {
    this.der = der;
    this.sha256 = sha256;
    const top = readTlv(der, 0);
    if (top.end !== der.length) throw new Error('data after the certificate');
    const [tbs, sigAlg, sigValue] = childrenOf(der, top);
    if (!tbs) throw new Error('no tbsCertificate');
    this.#tbs = bytesOf(der, tbs);
    const algOid = sigAlg?.tag === 16 ? childrenOf(der, sigAlg)[0] : undefined;
    this.#signatureAlgorithm = algOid ? oidOf(der, algOid) : undefined;
    this.#signatureValue = sigValue?.tag === 3 ? contentOf(der, sigValue).subarray(1) : undefined;
    const t = childrenOf(der, tbs);
    let i = t[0]?.cls === 2 && t[0]?.tag === 0 ? 1 : 0;
    const serial = t[i++];
    i++; // signature AlgorithmIdentifier: node:crypto reads it when verifying
    const issuer = t[i++];
    const validity = t[i++];
    const subject = t[i++];
    const spki = t[i++];
    if (serial?.tag !== 2 || issuer?.tag !== 16 || validity?.tag !== 16 || subject?.tag !== 16 || spki?.tag !== 16) {
      throw new Error('tbsCertificate does not have the RFC 5280 structure');
    }
    this.serial = contentOf(der, serial);
    this.serialHex = Buffer.from(this.serial).toString('hex').toUpperCase();
    this.issuerDer = bytesOf(der, issuer);
    this.subjectDer = bytesOf(der, subject);
    const [nb, na] = childrenOf(der, validity);
    this.notBefore = time(der, nb);
    this.notAfter = time(der, na);
    this.#spki = bytesOf(der, spki);
    const bits = childrenOf(der, spki)[1];
    if (bits?.tag !== 3) throw new Error('subjectPublicKey is not a BIT STRING');
    this.#keyBits = contentOf(der, bits).subarray(1);
    const ext: CertificateExtensions = readExtensions(der, t.slice(i).find((x) => x.cls === 2 && x.tag === 3));
    this.keyUsage = ext.keyUsage;
    this.extKeyUsage = ext.extKeyUsage;
    this.extKeyUsageCritical = ext.extKeyUsageCritical;
    this.isCa = ext.isCa;
    this.pathLen = ext.pathLen;
    this.subjectKeyId = ext.subjectKeyId;
    this.authorityKeyId = ext.authorityKeyId;
    this.unknownCritical = ext.unknownCritical;
    this.crlUrls = ext.crlUrls;
    this.ocspUrls = ext.ocspUrls;
    this.caIssuerUrls = ext.caIssuerUrls;
    this.ocspNoCheck = ext.ocspNoCheck;
  }

  /**
   * Parses DER (or finds it in the shared cache). Throws on anything that is not one
   * X.509 certificate with a key node:crypto can read; callers decide whether that is a
   * verdict or a caller error.
   */
  static fromDer(der: Uint8Array): Cert {
    const cached = CERTS.get(der);
    if (cached) return cached;
    const copy = new Uint8Array(der);
    const cert = new Cert(copy, hash('sha256', copy, 'hex'));
    void cert.publicKey;
    CERTS.set(cert.der, cert);
    return cert;
  }

  get x509(): X509Certificate {
    this.#x509 ??= new X509Certificate(Buffer.from(this.der));
    return this.#x509;
  }

  get publicKey(): KeyObject {
    this.#key ??= createPublicKey({ key: Buffer.from(this.#spki), format: 'der', type: 'spki' });
    return this.#key;
  }

  #subject: string | undefined;
  #issuer: string | undefined;

  get subject(): string {
    this.#subject ??= nameToString(this.subjectDer);
    return this.#subject;
  }

  get issuer(): string {
    this.#issuer ??= nameToString(this.issuerDer);
    return this.#issuer;
  }

  /** Whether `issuer`'s name (and key id) fit this certificate's issuer: a hint, not a proof. */
  namedIssuer(issuer: Cert): boolean {
    if (this.authorityKeyId && issuer.subjectKeyId && this.authorityKeyId !== issuer.subjectKeyId) return false;
    return sameName(this.issuerDer, issuer.subjectDer);
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
      ok = sameName(this.issuerDer, issuer.subjectDer) && this.#signedBy(issuer);
    } catch {
      ok = false;
    }
    this.#issuedBy.set(issuer.sha256, ok);
    return ok;
  }

  #signedBy(issuer: Cert): boolean {
    if (this.#signatureAlgorithm !== SM2_OID.sm2WithSm3) return this.x509.verify(issuer.publicKey);
    const point = sm2PointOfKey(issuer.publicKey);
    return point !== undefined && this.#signatureValue !== undefined && verifySm2(this.#tbs, this.#signatureValue, point);
  }

  sameKey(other: Cert): boolean {
    try {
      return this.publicKey.equals(other.publicKey);
    } catch {
      return false;
    }
  }

  info(trustAnchor = false): CertificateInfo {
    const i = trustAnchor ? 1 : 0;
    this.#info[i] ??= Object.freeze({
      subject: this.subject,
      issuer: this.issuer,
      commonName: attributeValue(this.subjectDer, '2.5.4.3'),
      organization: attributeValue(this.subjectDer, '2.5.4.10'),
      serialNumber: this.serialHex,
      notBefore: this.notBefore.toISOString(),
      notAfter: this.notAfter.toISOString(),
      sha256: this.sha256,
      trustAnchor,
    });
    return this.#info[i]!;
  }

  /** The `algorithm` (a node:crypto name) digest of the DER, e.g. for ESS certHash; memoised. */
  digest(algorithm: string): Buffer {
    let d = this.#digests.get(algorithm);
    if (!d) this.#digests.set(algorithm, (d = hash(algorithm, this.der, 'buffer')));
    return d;
  }

  /** Hash of the subjectPublicKey bits (RFC 6960 §4.1.1 issuerKeyHash). */
  keyHash(hash: string): Buffer {
    return createHash(hash).update(this.#keyBits).digest();
  }

  /** Hash of the DER subject name (RFC 6960 issuerNameHash). */
  nameHash(hash: string): Buffer {
    return createHash(hash).update(this.subjectDer).digest();
  }
}

/** UTCTime or GeneralizedTime in the DER form RFC 5280 §4.1.2.5 requires (`Z`, seconds). */
function time(der: Uint8Array, t: Tlv | undefined): Date {
  if (!t) throw new Error('validity is incomplete');
  const s = Buffer.from(contentOf(der, t)).toString('latin1');
  const m = t.tag === 23 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 24 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s) : null;
  if (!m) throw new Error(`unreadable validity time "${s}"`);
  let year = Number(m[1]);
  if (t.tag === 23) year += year < 50 ? 2000 : 1900;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  if (Number.isNaN(d.getTime())) throw new Error('invalid validity time');
  return d;
}
