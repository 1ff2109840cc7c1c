/**
 * The declared test PKI (house style 15): who issues whom, validity windows, who is
 * revoked when. Built with pkijs + node:crypto, never with signer/. Validation time in
 * tests is {@link T0}.
 *
 *   root (RSA)          2020-01-01 … 2040-01-01
 *   └ intermediate (RSA) 2020-01-01 … 2035-01-01, pathLen 0, CRL + OCSP
 *     ├ rsaSigner       2024-01-01 … 2030-01-01  digitalSignature+nonRepudiation
 *     ├ pssSigner       (RSA key, signs with RSASSA-PSS)
 *     ├ p384Signer      ECDSA P-384
 *     ├ p256Signer      ECDSA P-256
 *     ├ expiredSigner   2020-01-01 … 2021-01-01
 *     ├ revokedSigner   revoked 2025-06-01 (keyCompromise)
 *     ├ encipherOnly    keyUsage keyEncipherment only (fails the signer key-usage policy)
 *     ├ tsa             critical EKU timeStamping, 2019-01-01 … 2035-01-01
 *     └ ocspResponder   EKU OCSPSigning, ocsp-nocheck
 */
import type { KeyObject } from 'node:crypto';
import { issueCertificate, issueCrl, issueOcsp, keyId, keyPair, name, type Issuer, type KeySpec, type NameSpec, type SigScheme } from './x509.ts';

export const T0 = new Date('2026-01-01T00:00:00Z');
export const REVOKED_AT = new Date('2025-06-01T00:00:00Z');
const day = 86_400_000;

export interface Identity {
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Issuing certificates, nearest first, up to and including the root. */
  readonly chain: readonly Uint8Array[];
  /** Scheme this identity signs CMS with. */
  readonly scheme?: SigScheme;
}

export interface TestPki {
  readonly root: Identity;
  readonly intermediate: Identity;
  readonly rsaSigner: Identity;
  readonly pssSigner: Identity;
  readonly p384Signer: Identity;
  readonly p256Signer: Identity;
  readonly expiredSigner: Identity;
  readonly revokedSigner: Identity;
  readonly encipherOnly: Identity;
  readonly tsa: Identity;
  readonly ocspResponder: Identity;
  /** Trust anchors (the root), DER. */
  readonly trust: readonly Uint8Array[];
  /** CRLs of the intermediate (listing revokedSigner) and of the root, issued T0 − 1 day. */
  readonly crls: readonly Uint8Array[];
  /** An OCSP response about `who`, from the delegated responder, produced at `at`. */
  ocsp(who: Identity, status: 'good' | 'revoked', at?: Date): Uint8Array;
  /** The intermediate and root as issuers, for tests that issue their own certificates and CRLs. */
  readonly issuers: { readonly root: Issuer; readonly intermediate: Issuer };
}

export const ROOT_NAME: NameSpec = { CN: 'Zhengyin Test Root CA', O: 'Zhengyin Test PKI', C: 'CN' };
export const INTERMEDIATE_NAME: NameSpec = { CN: 'Zhengyin Test Intermediate CA', O: 'Zhengyin Test PKI', C: 'CN' };

export const INTERMEDIATE_CRL_URL = 'http://pki.test/intermediate.crl';
export const INTERMEDIATE_OCSP_URL = 'http://pki.test/ocsp';
export const INTERMEDIATE_CA_ISSUERS_URL = 'http://pki.test/intermediate.crt';

let memo: TestPki | undefined;

export function testPki(): TestPki {
  if (memo) return memo;
  const rootKey = keyPair('rsa2048', 'root');
  const rootName = ROOT_NAME;
  const rootCert = issueCertificate(
    { subject: rootName, serial: 1, notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z'), publicKey: rootKey.publicKey, ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
    { self: rootKey.privateKey },
  );
  const root: Identity = { certificate: rootCert, ...rootKey, chain: [] };
  const rootIssuer: Issuer = { subject: name(rootName), privateKey: rootKey.privateKey, keyId: keyId(rootKey.publicKey) };

  const intKey = keyPair('rsa2048', 'intermediate');
  const intName = INTERMEDIATE_NAME;
  const intCert = issueCertificate(
    { subject: intName, serial: 2, notBefore: new Date('2020-01-01Z'), notAfter: new Date('2035-01-01Z'), publicKey: intKey.publicKey, ca: { pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
    rootIssuer,
  );
  const intermediate: Identity = { certificate: intCert, ...intKey, chain: [rootCert] };
  const intIssuer: Issuer = { subject: name(intName), privateKey: intKey.privateKey, keyId: keyId(intKey.publicKey) };

  let serial = 100;
  const serials = new Map<Identity, number>();
  const leaf = (
    cn: string,
    spec: KeySpec,
    p: { notBefore?: Date; notAfter?: Date; keyUsage?: ('digitalSignature' | 'nonRepudiation' | 'keyEncipherment')[]; eku?: { oids: string[]; critical: boolean }; ocspNoCheck?: boolean; scheme?: SigScheme } = {},
  ): Identity => {
    const kp = keyPair(spec, cn);
    const certificate = issueCertificate(
      {
        subject: { CN: cn, O: '示例电子证照签发机构', C: 'CN' },
        serial: serial++,
        notBefore: p.notBefore ?? new Date('2024-01-01Z'),
        notAfter: p.notAfter ?? new Date('2030-01-01Z'),
        publicKey: kp.publicKey,
        keyUsage: p.keyUsage ?? ['digitalSignature', 'nonRepudiation'],
        extKeyUsage: p.eku,
        crlUrl: INTERMEDIATE_CRL_URL,
        ocspUrl: INTERMEDIATE_OCSP_URL,
        caIssuersUrl: INTERMEDIATE_CA_ISSUERS_URL,
        ocspNoCheck: p.ocspNoCheck,
      },
      intIssuer,
    );
    const identity: Identity = { certificate, ...kp, chain: [intCert, rootCert], scheme: p.scheme };
    serials.set(identity, serial - 1);
    return identity;
  };
  const rsaSigner = leaf('Test Seal RSA (电子印章)', 'rsa2048');
  const pssSigner = leaf('Test Seal RSA-PSS', 'rsa2048', { scheme: 'pss' });
  const p384Signer = leaf('张三 ECDSA P-384', 'p384');
  const p256Signer = leaf('李四 ECDSA P-256', 'p256');
  const expiredSigner = leaf('Expired Signer', 'p256', { notBefore: new Date('2020-01-01Z'), notAfter: new Date('2021-01-01Z') });
  const revokedSigner = leaf('Revoked Signer', 'p256');
  const encipherOnly = leaf('Encipherment Only', 'p256', { keyUsage: ['keyEncipherment'] });
  const tsa = leaf('Test TSA', 'p256', { eku: { oids: ['1.3.6.1.5.5.7.3.8'], critical: true }, notBefore: new Date('2019-01-01Z'), notAfter: new Date('2035-01-01Z') });
  const ocspResponder = leaf('Test OCSP Responder', 'p256', { eku: { oids: ['1.3.6.1.5.5.7.3.9'], critical: false }, ocspNoCheck: true });

  const crls = [
    issueCrl(intIssuer, { thisUpdate: new Date(T0.getTime() - day), nextUpdate: new Date(T0.getTime() + 30 * day), revoked: [{ serial: serials.get(revokedSigner)!, at: REVOKED_AT, reason: 1 }] }),
    issueCrl(rootIssuer, { thisUpdate: new Date(T0.getTime() - day), nextUpdate: new Date(T0.getTime() + 30 * day) }),
  ];
  memo = {
    root, intermediate, rsaSigner, pssSigner, p384Signer, p256Signer, expiredSigner, revokedSigner, encipherOnly, tsa, ocspResponder,
    trust: [rootCert],
    crls,
    issuers: { root: rootIssuer, intermediate: intIssuer },
    ocsp(who, status, at = new Date(T0.getTime() - day)) {
      return issueOcsp({
        certificate: who.certificate,
        issuerCertificate: intCert,
        status,
        revokedAt: status === 'revoked' ? REVOKED_AT : undefined,
        thisUpdate: at,
        nextUpdate: new Date(at.getTime() + 7 * day),
        producedAt: at,
        responder: { certificate: ocspResponder.certificate, privateKey: ocspResponder.privateKey },
        includeResponderCertificate: true,
      });
    },
  };
  return memo;
}
