/**
 * ESS signing-certificate attributes (RFC 2634 §5.4 v1, RFC 5035 §3 v2): the signer binds
 * its certificate into the signed attributes, so a different certificate with the same
 * key (or the same issuer and serial) cannot be swapped in.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier } from 'pkijs';
import type { Cert } from '../pki/certificate.ts';
import { sameNameDer } from '../pki/names.ts';
import { hashName } from './algorithms.ts';
import { attributes, CMS_OID, type RawAttribute } from './signed-data.ts';

export type EssResult =
  | { readonly status: 'absent' }
  | { readonly status: 'match'; readonly version: 1 | 2 }
  | { readonly status: 'mismatch'; readonly version: 1 | 2; readonly reason: string };

export function checkSigningCertificate(signedAttrs: readonly RawAttribute[] | undefined, signer: Cert): EssResult {
  const v2 = attributes(signedAttrs, CMS_OID.signingCertificateV2);
  const v1 = attributes(signedAttrs, CMS_OID.signingCertificate);
  const attr = v2[0] ?? v1[0];
  if (!attr) return { status: 'absent' };
  const version: 1 | 2 = v2[0] ? 2 : 1;
  if (v2.length + v1.length > 1 || attr.values.length !== 1) {
    return { status: 'mismatch', version, reason: 'more than one signing-certificate attribute or value' };
  }
  try {
    const seq = asn1js.fromBER(attr.values[0]!).result as asn1js.Sequence;
    const certs = seq.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence | undefined;
    if (!first) return { status: 'mismatch', version, reason: 'the signing-certificate attribute lists no certificate' };
    const parts = [...first.valueBlock.value];
    let hash = 'sha1';
    if (version === 2) {
      hash = 'sha256';
      if (parts[0] instanceof asn1js.Sequence) hash = hashName(new AlgorithmIdentifier({ schema: parts.shift() }).algorithmId);
    }
    const certHash = parts.shift();
    if (!(certHash instanceof asn1js.OctetString)) return { status: 'mismatch', version, reason: 'certHash is not an OCTET STRING' };
    const actual = createHash(hash).update(signer.der).digest();
    if (!actual.equals(Buffer.from(certHash.valueBlock.valueHexView))) {
      return { status: 'mismatch', version, reason: `the ${hash} hash of the signer's certificate differs from the signing-certificate attribute` };
    }
    const issuerSerial = parts.shift();
    if (issuerSerial instanceof asn1js.Sequence) {
      const [names, serial] = issuerSerial.valueBlock.value;
      if (!(serial instanceof asn1js.Integer) || !Buffer.from(serial.valueBlock.valueHexView).equals(Buffer.from(signer.cert.serialNumber.valueBlock.valueHexView))) {
        return { status: 'mismatch', version, reason: 'issuerSerial names another serial number' };
      }
      // GeneralNames: the directoryName alternative is [4] EXPLICIT Name (RFC 5280 §4.2.1.6).
      const dir = (names as asn1js.Sequence).valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 4) as asn1js.Constructed | undefined;
      const name = dir?.valueBlock.value[0];
      if (!name || !sameNameDer(name.valueBeforeDecodeView, signer.cert.issuer)) return { status: 'mismatch', version, reason: 'issuerSerial names another issuer' };
    }
    return { status: 'match', version };
  } catch (e) {
    return { status: 'mismatch', version, reason: `the signing-certificate attribute is malformed: ${(e as Error).message}` };
  }
}
