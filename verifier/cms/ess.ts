/**
 * ESS signing-certificate attributes (RFC 2634 §5.4 v1, RFC 5035 §3 v2): the signer binds
 * its certificate into the signed attributes, so a different certificate with the same
 * key (or the same issuer and serial) cannot be swapped in.
 */
import type { Cert } from '../pki/certificate.ts';
import { equalBytes } from '../pdf/objects.ts';
import { sameName } from '../pki/names.ts';
import { hashName } from './algorithms.ts';
import { bytesOf, childrenOf, contentOf, oidOf, readTlv, type Tlv } from './der.ts';
import { attributes, CMS_OID, type RawAttribute } from './signed-data.ts';

export type EssResult =
  | { readonly status: 'absent' }
  | { readonly status: 'match'; readonly version: 1 | 2 }
  | { readonly status: 'mismatch'; readonly version: 1 | 2; readonly reason: string };

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
 * (v1: ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }).
 * The first ESSCertID names the signer's certificate.
 */
export function checkSigningCertificate(signedAttrs: readonly RawAttribute[] | undefined, signer: Cert): EssResult {
  const v2 = attributes(signedAttrs, CMS_OID.signingCertificateV2);
  const v1 = attributes(signedAttrs, CMS_OID.signingCertificate);
  const attr = v2[0] ?? v1[0];
  if (!attr) return { status: 'absent' };
  const version: 1 | 2 = v2[0] ? 2 : 1;
  const mismatch = (reason: string): EssResult => ({ status: 'mismatch', version, reason });
  if (v2.length + v1.length > 1 || attr.values.length !== 1) return mismatch('more than one signing-certificate attribute or value');
  const der = attr.values[0]!;
  try {
    const certs = childrenOf(der, readTlv(der, 0))[0];
    const first = certs && childrenOf(der, certs)[0];
    if (!first) return mismatch('the signing-certificate attribute lists no certificate');
    const parts: Tlv[] = childrenOf(der, first);
    let hash = 'sha1';
    if (version === 2) {
      hash = 'sha256';
      if (parts[0]?.tag === 16) hash = hashName(oidOf(der, childrenOf(der, parts.shift()!)[0]!) ?? '');
    }
    const certHash = parts.shift();
    if (!certHash || certHash.tag !== 4) return mismatch('certHash is not an OCTET STRING');
    if (!equalBytes(signer.digest(hash), contentOf(der, certHash))) {
      return mismatch(`the ${hash} hash of the signer's certificate differs from the signing-certificate attribute`);
    }
    const issuerSerial = parts.shift();
    if (issuerSerial) {
      const [names, serial] = childrenOf(der, issuerSerial);
      if (serial?.tag !== 2 || !equalBytes(contentOf(der, serial), signer.serial)) {
        return mismatch('issuerSerial names another serial number');
      }
      // GeneralNames: the directoryName alternative is [4] EXPLICIT Name (RFC 5280 §4.2.1.6).
      const dir = names ? childrenOf(der, names).find((n) => n.cls === 2 && n.tag === 4 && n.constructed) : undefined;
      const name = dir && childrenOf(der, dir)[0];
      if (!name || !sameName(bytesOf(der, name), signer.issuerDer)) return mismatch('issuerSerial names another issuer');
    }
    return { status: 'match', version };
  } catch (e) {
    return mismatch(`the signing-certificate attribute is malformed: ${(e as Error).message}`);
  }
}
