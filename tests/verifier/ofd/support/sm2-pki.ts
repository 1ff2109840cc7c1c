/**
 * An SM2 test PKI made here with pkijs and sm-crypto-v2 (never with signer/): certificates
 * signed SM2-with-SM3 (OID 1.2.156.10197.1.501) with the standard user ID, and CRLs.
 *
 *   root (SM2)           2020-01-01 … 2040-01-01, CRL
 *   ├ maker              2020-01-01 … 2035-01-01  the seal-making authority (signs SES_Seal)
 *   ├ signer             2024-01-01 … 2030-01-01  the department that applies the seal
 *   └ stranger           2024-01-01 … 2030-01-01  holds a valid certificate, not named in the seal
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sm2 } from 'sm-crypto-v2';
import { name, type NameSpec } from '../../support/x509.ts';

export const SM2_WITH_SM3 = '1.2.156.10197.1.501';
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

export interface Sm2Identity {
  readonly certificate: Uint8Array;
  /** sm-crypto-v2 hex keys: private d, public 04‖x‖y. */
  readonly privateKey: string;
  readonly publicKey: string;
  readonly subject: pkijs.RelativeDistinguishedNames;
}

export interface Sm2Pki {
  readonly root: Sm2Identity;
  readonly maker: Sm2Identity;
  readonly signer: Sm2Identity;
  readonly stranger: Sm2Identity;
  /** The root's CRL, issued 2025-12-31, revoking nobody. */
  readonly crl: Uint8Array;
}

export const sm2Spki = (publicKey: string): Uint8Array => new Uint8Array(Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'hex')]));

/** SM2 over SM3 with the standard user ID; DER SEQUENCE{r, s} unless `raw`. */
export function sm2Sign(data: Uint8Array, privateKey: string, raw = false): Uint8Array {
  return new Uint8Array(Buffer.from(sm2.doSignature(data, privateKey, { hash: true, der: !raw }), 'hex'));
}

const algorithm = (): pkijs.AlgorithmIdentifier => new pkijs.AlgorithmIdentifier({ algorithmId: SM2_WITH_SM3 });

export interface Sm2CertSpec {
  readonly subject: NameSpec;
  readonly serial: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: boolean;
}

/** Issues an SM2 certificate for a fresh key; `issuer` undefined: self-signed. */
export function issueSm2(spec: Sm2CertSpec, issuer?: Sm2Identity): Sm2Identity {
  const keys = sm2.generateKeyPairHex();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: spec.serial });
  const subject = name(spec.subject);
  cert.subject = subject;
  cert.issuer = issuer?.subject ?? subject;
  cert.notBefore = new pkijs.Time({ type: 1, value: spec.notBefore });
  cert.notAfter = new pkijs.Time({ type: 1, value: spec.notAfter });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(sm2Spki(keys.publicKey));
  const ext = (extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension =>
    new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
  const keyId = (pub: string): Uint8Array => createHash('sha1').update(Buffer.from(pub, 'hex')).digest();
  cert.extensions = [
    ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: spec.ca === true }).toSchema()),
    ext('2.5.29.15', true, new asn1js.BitString({ valueHex: new Uint8Array([spec.ca ? 0x06 : 0xc0]), unusedBits: 0 })),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId(keys.publicKey) })),
    ext('2.5.29.35', false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId(issuer?.publicKey ?? keys.publicKey) }) }).toSchema()),
  ];
  cert.signature = algorithm();
  cert.signatureAlgorithm = algorithm();
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: sm2Sign(tbs, issuer?.privateKey ?? keys.privateKey) });
  return { certificate: new Uint8Array(cert.toSchema().toBER(false)), privateKey: keys.privateKey, publicKey: keys.publicKey, subject };
}

/** A CRL of `issuer`, SM2-signed. */
export function issueSm2Crl(issuer: Sm2Identity, thisUpdate: Date, nextUpdate: Date, revokedSerials: readonly number[] = []): Uint8Array {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: thisUpdate });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: nextUpdate });
  if (revokedSerials.length > 0) {
    crl.revokedCertificates = revokedSerials.map((serial) => new pkijs.RevokedCertificate({
      userCertificate: new asn1js.Integer({ value: serial }),
      revocationDate: new pkijs.Time({ type: 0, value: thisUpdate }),
    }));
  }
  crl.signature = algorithm();
  crl.signatureAlgorithm = algorithm();
  const tbs = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false));
  crl.tbsView = tbs;
  crl.signatureValue = new asn1js.BitString({ valueHex: sm2Sign(tbs, issuer.privateKey) });
  return new Uint8Array(crl.toSchema().toBER(false));
}

let cached: Sm2Pki | undefined;

/** The PKI above, made once per test file. */
export function sm2Pki(): Sm2Pki {
  if (cached) return cached;
  const y = (year: number): Date => new Date(Date.UTC(year, 0, 1));
  const root = issueSm2({ subject: { CN: 'Zhengyin Test SM2 Root CA', O: 'Zhengyin Test', C: 'CN' }, serial: 1, notBefore: y(2020), notAfter: y(2040), ca: true });
  const maker = issueSm2({ subject: { CN: '测试印章制作单位', O: 'Zhengyin Test', C: 'CN' }, serial: 2, notBefore: y(2020), notAfter: y(2035) }, root);
  const signer = issueSm2({ subject: { CN: '测试政务服务中心', O: 'Zhengyin Test', C: 'CN' }, serial: 3, notBefore: y(2024), notAfter: y(2030) }, root);
  const stranger = issueSm2({ subject: { CN: 'Somebody Else', O: 'Elsewhere', C: 'CN' }, serial: 4, notBefore: y(2024), notAfter: y(2030) }, root);
  const crl = issueSm2Crl(root, new Date('2025-12-31T00:00:00Z'), new Date('2026-06-30T00:00:00Z'));
  cached = { root, maker, signer, stranger, crl };
  return cached;
}
