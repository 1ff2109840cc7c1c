/**
 * Test-only X.509 building with pkijs (structure) and node:crypto (keys, signatures):
 * certificates, CRLs and OCSP responses for a declared test PKI. Not built on signer/.
 */
import { createHash, generateKeyPairSync, sign, type Hash as Hash_, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type KeySpec = 'rsa2048' | 'rsa3072' | 'p256' | 'p384' | 'ed25519' | 'ed448';
/** shake256: SHAKE256 with 512 bits of output, the digest of Ed448 in CMS (RFC 8419). */
export type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'shake256';
type ShaHash = Exclude<Hash, 'shake256'>;
export type SigScheme = 'pkcs1' | 'pss' | 'ecdsa' | 'ed25519' | 'ed448';

export const HASH_OID: Record<Hash, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  shake256: '2.16.840.1.101.3.4.2.12',
};
const RSA_OID: Record<ShaHash, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_OID: Record<ShaHash, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
const SALT: Record<ShaHash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const keyCache = new Map<string, KeyPair>();

/** A key pair; `label` makes it reusable within a test run (key generation is slow). */
export function keyPair(spec: KeySpec, label?: string): KeyPair {
  const cached = label ? keyCache.get(`${spec}:${label}`) : undefined;
  if (cached) return cached;
  const kp =
    spec === 'rsa2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : spec === 'rsa3072' ? generateKeyPairSync('rsa', { modulusLength: 3072 })
        : spec === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : spec === 'p384' ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
            : spec === 'ed448' ? generateKeyPairSync('ed448') : generateKeyPairSync('ed25519');
  if (label) keyCache.set(`${spec}:${label}`, kp);
  return kp;
}

export function defaultScheme(key: KeyObject): SigScheme {
  const t = key.asymmetricKeyType;
  return t === 'ec' ? 'ecdsa' : t === 'ed25519' ? 'ed25519' : t === 'ed448' ? 'ed448' : 'pkcs1';
}

function sha(hash: Hash): ShaHash {
  if (hash === 'shake256') throw new Error('SHAKE256 goes only with Ed448');
  return hash;
}

export function hashAlgorithm(hash: Hash): pkijs.AlgorithmIdentifier {
  // RFC 8419 §2.3: id-shake256 has no parameters.
  return new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash], algorithmParams: hash === 'shake256' ? undefined : new asn1js.Null() });
}

/** A hasher for `hash` (SHAKE256 with its 512-bit output). */
export function hasher(hash: Hash): Hash_ {
  return hash === 'shake256' ? createHash('shake256', { outputLength: 64 }) : createHash(hash);
}

export function signatureAlgorithm(scheme: SigScheme, hash: Hash): pkijs.AlgorithmIdentifier {
  switch (scheme) {
    case 'pkcs1':
      return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_OID[sha(hash)], algorithmParams: new asn1js.Null() });
    case 'ecdsa':
      return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_OID[sha(hash)] });
    case 'ed25519':
      return new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.101.112' });
    case 'ed448':
      return new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.101.113' });
    case 'pss': {
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: hashAlgorithm(hash),
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.8', algorithmParams: hashAlgorithm(hash).toSchema() }),
        saltLength: SALT[sha(hash)],
      });
      return new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.10', algorithmParams: params.toSchema() });
    }
  }
}

/** Signs `data` as the scheme says (ECDSA: DER Ecdsa-Sig-Value, as CMS and X.509 carry it). */
export function rawSign(scheme: SigScheme, hash: Hash, data: Uint8Array, key: KeyObject): Buffer {
  switch (scheme) {
    case 'pkcs1':
      return sign(sha(hash), data, key);
    case 'ecdsa':
      return sign(sha(hash), data, { key, dsaEncoding: 'der' });
    case 'ed25519':
    case 'ed448':
      return sign(null, data, key);
    case 'pss':
      return sign(hash, data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: SALT[sha(hash)] });
  }
}

export interface NameSpec {
  readonly CN: string;
  readonly O?: string;
  readonly C?: string;
}

/** A Name with one attribute per RDN, as CAs write them (pkijs alone would write one multi-valued RDN). */
export function name(spec: NameSpec): pkijs.RelativeDistinguishedNames {
  const rdns: asn1js.Set[] = [];
  const add = (type: string, value: asn1js.BaseStringBlock): void => {
    rdns.push(new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] }));
  };
  if (spec.C) add('2.5.4.6', new asn1js.PrintableString({ value: spec.C }));
  if (spec.O) add('2.5.4.10', new asn1js.Utf8String({ value: spec.O }));
  add('2.5.4.3', new asn1js.Utf8String({ value: spec.CN }));
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

export interface CertSpec {
  readonly subject: NameSpec;
  readonly serial: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly ca?: { readonly pathLen?: number };
  /** Key usage bit names (RFC 5280 §4.2.1.3). */
  readonly keyUsage?: readonly ('digitalSignature' | 'nonRepudiation' | 'keyCertSign' | 'cRLSign' | 'keyEncipherment')[];
  readonly extKeyUsage?: { readonly oids: readonly string[]; readonly critical: boolean };
  readonly crlUrl?: string;
  readonly ocspUrl?: string;
  readonly caIssuersUrl?: string;
  readonly ocspNoCheck?: boolean;
  /** Extra extensions (e.g. an unknown critical one). */
  readonly extraExtensions?: readonly pkijs.Extension[];
}

export interface Issuer {
  readonly subject: pkijs.RelativeDistinguishedNames;
  readonly privateKey: KeyObject;
  /** SHA-1 of the issuer's public key, for the authority key identifier. */
  readonly keyId: Uint8Array;
}

const KU_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

export function keyId(publicKey: KeyObject): Uint8Array {
  return createHash('sha1').update(spkiBitString(publicKey)).digest();
}

function spkiBitString(publicKey: KeyObject): Uint8Array {
  const spki = pkijs.PublicKeyInfo.fromBER(publicKey.export({ type: 'spki', format: 'der' }));
  return spki.subjectPublicKey.valueBlock.valueHexView;
}

/** Issues a certificate; `issuer` undefined means self-signed with `selfKey`. */
export function issueCertificate(spec: CertSpec, issuer: Issuer | { self: KeyObject }, hash: Hash = 'sha256', scheme?: SigScheme): Uint8Array {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: spec.serial });
  const subject = name(spec.subject);
  cert.subject = subject;
  cert.issuer = 'self' in issuer ? subject : issuer.subject;
  cert.notBefore = new pkijs.Time({ type: 1, value: spec.notBefore });
  cert.notAfter = new pkijs.Time({ type: 1, value: spec.notAfter });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spec.publicKey.export({ type: 'spki', format: 'der' }));
  const ext: pkijs.Extension[] = [];
  const add = (extnID: string, critical: boolean, value: asn1js.BaseBlock): void => {
    ext.push(new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) }));
  };
  if (spec.ca) add('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: spec.ca.pathLen }).toSchema());
  else add('2.5.29.19', true, new pkijs.BasicConstraints({ cA: false }).toSchema());
  if (spec.keyUsage) {
    const bits = new Uint8Array(2);
    for (const u of spec.keyUsage) {
      const i = KU_BITS.indexOf(u);
      bits[i >> 3]! |= 0x80 >> (i & 7);
    }
    const used = bits[1] ? 2 : 1;
    const unused = 0; // keep full octets; trailing zero bits are harmless for readers
    add('2.5.29.15', true, new asn1js.BitString({ valueHex: bits.slice(0, used), unusedBits: unused }));
  }
  if (spec.extKeyUsage) add('2.5.29.37', spec.extKeyUsage.critical, new pkijs.ExtKeyUsage({ keyPurposes: [...spec.extKeyUsage.oids] }).toSchema());
  add('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId(spec.publicKey) }));
  const issuerKeyId = 'self' in issuer ? keyId(spec.publicKey) : issuer.keyId;
  add('2.5.29.35', false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: issuerKeyId }) }).toSchema());
  if (spec.crlUrl) {
    add('2.5.29.31', false, new pkijs.CRLDistributionPoints({
      distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: spec.crlUrl })] })],
    }).toSchema());
  }
  const access: pkijs.AccessDescription[] = [];
  if (spec.ocspUrl) access.push(new pkijs.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: new pkijs.GeneralName({ type: 6, value: spec.ocspUrl }) }));
  if (spec.caIssuersUrl) access.push(new pkijs.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.2', accessLocation: new pkijs.GeneralName({ type: 6, value: spec.caIssuersUrl }) }));
  if (access.length > 0) add('1.3.6.1.5.5.7.1.1', false, new pkijs.InfoAccess({ accessDescriptions: access }).toSchema());
  if (spec.ocspNoCheck) add('1.3.6.1.5.5.7.48.1.5', false, new asn1js.Null());
  ext.push(...(spec.extraExtensions ?? []));
  cert.extensions = ext;
  const key = 'self' in issuer ? issuer.self : issuer.privateKey;
  const s = scheme ?? defaultScheme(key);
  cert.signature = signatureAlgorithm(s, hash);
  cert.signatureAlgorithm = signatureAlgorithm(s, hash);
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: rawSign(s, hash, tbs, key) });
  return new Uint8Array(cert.toSchema().toBER(false));
}

export interface RevokedEntry {
  readonly serial: number;
  readonly at: Date;
  readonly reason?: number;
}

/** A CRL (RFC 5280 §5) signed by `issuer`. */
export function issueCrl(issuer: Issuer, p: { thisUpdate: Date; nextUpdate?: Date; revoked?: readonly RevokedEntry[]; number?: number; hash?: Hash; extensions?: pkijs.Extension[] }): Uint8Array {
  const hash = p.hash ?? 'sha256';
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: p.thisUpdate });
  if (p.nextUpdate) crl.nextUpdate = new pkijs.Time({ type: 0, value: p.nextUpdate });
  if (p.revoked && p.revoked.length > 0) {
    crl.revokedCertificates = p.revoked.map((r) => new pkijs.RevokedCertificate({
      userCertificate: new asn1js.Integer({ value: r.serial }),
      revocationDate: new pkijs.Time({ type: 0, value: r.at }),
      crlEntryExtensions: r.reason === undefined ? undefined : new pkijs.Extensions({
        extensions: [new pkijs.Extension({ extnID: '2.5.29.21', critical: false, extnValue: new asn1js.Enumerated({ value: r.reason }).toBER(false) })],
      }),
    }));
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.20', critical: false, extnValue: new asn1js.Integer({ value: p.number ?? 1 }).toBER(false) }),
      ...(p.extensions ?? []),
    ],
  });
  const s = defaultScheme(issuer.privateKey);
  crl.signature = signatureAlgorithm(s, hash);
  crl.signatureAlgorithm = signatureAlgorithm(s, hash);
  const tbs = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false));
  crl.tbsView = tbs;
  crl.signatureValue = new asn1js.BitString({ valueHex: rawSign(s, hash, tbs, issuer.privateKey) });
  return new Uint8Array(crl.toSchema().toBER(false));
}

export interface OcspSpec {
  /** DER of the certificate asked about and of its issuer. */
  readonly certificate: Uint8Array;
  readonly issuerCertificate: Uint8Array;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly producedAt: Date;
  /** The responder: the issuer itself or a delegated responder. */
  readonly responder: { readonly certificate: Uint8Array; readonly privateKey: KeyObject };
  readonly includeResponderCertificate?: boolean;
}

/** An OCSPResponse (RFC 6960 §4.2.1) with a BasicOCSPResponse. */
export function issueOcsp(p: OcspSpec): Uint8Array {
  const cert = pkijs.Certificate.fromBER(p.certificate);
  const issuer = pkijs.Certificate.fromBER(p.issuerCertificate);
  const responder = pkijs.Certificate.fromBER(p.responder.certificate);
  const certId = new pkijs.CertID({
    hashAlgorithm: hashAlgorithm('sha1'),
    issuerNameHash: new asn1js.OctetString({ valueHex: createHash('sha1').update(new Uint8Array(issuer.subject.toSchema().toBER(false))).digest() }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: createHash('sha1').update(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest() }),
    serialNumber: cert.serialNumber,
  });
  const status =
    p.status === 'good' ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } })
      : p.status === 'unknown' ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } })
        : new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: p.revokedAt! })] });
  const rd = new pkijs.ResponseData({
    responderID: responder.subject,
    producedAt: p.producedAt,
    responses: [new pkijs.SingleResponse({ certID: certId, certStatus: status, thisUpdate: p.thisUpdate, nextUpdate: p.nextUpdate })],
  });
  const tbs = new Uint8Array(rd.toSchema(true).toBER(false));
  rd.tbsView = tbs;
  const s = defaultScheme(p.responder.privateKey);
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: rd,
    signatureAlgorithm: signatureAlgorithm(s, 'sha256'),
    signature: new asn1js.BitString({ valueHex: rawSign(s, 'sha256', tbs, p.responder.privateKey) }),
    certs: p.includeResponderCertificate ? [responder] : undefined,
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({ responseType: '1.3.6.1.5.5.7.48.1.1', response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
  });
  return new Uint8Array(response.toSchema().toBER(false));
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
