import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  AccessDescription,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  DistributionPoint,
  ExtKeyUsage,
  Extension,
  GeneralName,
  InfoAccess,
  PublicKeyInfo,
} from 'pkijs';
import type { SigningKey } from '../types.ts';
import { defaultDigest, signatureAlgorithm, toAlgorithmIdentifier } from '../cms/algorithms.ts';
import { parseCertificate, type CertificateInfo, type KeyUsageName, keyUsageNames } from './certificate-info.ts';
import { encode, toArrayBuffer } from '../cms/der.ts';
import { randomSerial, wholeSeconds, x509Time } from './encoding.ts';
import { PkiInputError } from './errors.ts';
import { buildName, type DistinguishedName } from './names.ts';
import { oid } from '../cms/oids.ts';

/**
 * The certificate profiles the service issues (RFC 5280):
 *
 * | profile | basicConstraints | keyUsage (critical) | extKeyUsage | other |
 * | --- | --- | --- | --- | --- |
 * | root-ca | cA, critical | keyCertSign, cRLSign | — | SKI |
 * | issuing-ca | cA, pathLen 0, critical | keyCertSign, cRLSign | — | SKI, AKI, CDP, AIA |
 * | seal | — | digitalSignature, nonRepudiation | — | SKI, AKI, CDP, AIA |
 * | tsa | — | digitalSignature | timeStamping, critical (RFC 3161 §2.3) | SKI, AKI, CDP, AIA |
 * | ocsp-responder | — | digitalSignature | OCSPSigning | SKI, AKI, id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1) |
 *
 * Seal certificates carry no extKeyUsage: NSS (and so poppler's pdfsig) rejects a
 * document-signing certificate whose EKU lacks emailProtection, while no EKU means any use.
 */
export type CertificateProfile = 'root-ca' | 'issuing-ca' | 'seal' | 'tsa' | 'ocsp-responder';

/** Where relying parties fetch the issuer's CRL, OCSP answers and certificate (RFC 5280 §4.2.1.13, §4.2.2.1). */
export interface PublicationUrls {
  readonly crl: string;
  readonly ocsp: string;
  readonly caIssuers: string;
}

export interface CertificateRequest {
  readonly profile: CertificateProfile;
  readonly subject: DistinguishedName;
  /** The subject's SubjectPublicKeyInfo, DER. */
  readonly publicKey: Uint8Array;
  readonly notBefore: Date;
  /** Capped at the issuer's notAfter: a CA does not vouch beyond its own validity. */
  readonly notAfter: Date;
  /**
   * The issuing CA: its certificate and key. For 'root-ca' only the key (the root signs
   * itself); `publicKey` must then be that key's public half.
   */
  readonly issuer: { readonly certificate?: Uint8Array | CertificateInfo; readonly key: SigningKey };
  /** Required for 'issuing-ca', 'seal' and 'tsa'; not written into 'root-ca' and 'ocsp-responder'. */
  readonly urls?: PublicationUrls;
}

const profileKeyUsage: Readonly<Record<CertificateProfile, readonly KeyUsageName[]>> = {
  'root-ca': ['keyCertSign', 'cRLSign'],
  'issuing-ca': ['keyCertSign', 'cRLSign'],
  seal: ['digitalSignature', 'nonRepudiation'],
  tsa: ['digitalSignature'],
  'ocsp-responder': ['digitalSignature'],
};

/**
 * Issues a certificate of `profile`: builds the TBSCertificate with pkijs and signs it with
 * the issuer's key through node:crypto (no WebCrypto on this path). The serial number is
 * random (see `randomSerial`).
 *
 * @returns The certificate, DER.
 * @throws {@link PkiInputError} The issuer is not a CA, the validity is empty, or URLs are missing.
 */
export async function issueCertificate(request: CertificateRequest): Promise<Uint8Array> {
  const { profile } = request;
  const selfSigned = profile === 'root-ca';
  const issuer = selfSigned ? undefined : issuerInfo(request.issuer.certificate);
  if (issuer && (!issuer.isCa || (issuer.keyUsage && !issuer.keyUsage.includes('keyCertSign')))) {
    throw new PkiInputError({ field: 'issuer.certificate', message: `issuer ${issuer.subject} is not a CA (basicConstraints cA and keyUsage keyCertSign)`, standard: 'RFC 5280 §4.2.1.9' });
  }
  const notBefore = wholeSeconds(request.notBefore);
  const notAfter = wholeSeconds(issuer && issuer.notAfter < request.notAfter ? issuer.notAfter : request.notAfter);
  if (!(notBefore < notAfter)) {
    throw new PkiInputError({ field: 'notAfter', message: `empty validity period ${notBefore.toISOString()} .. ${notAfter.toISOString()}`, standard: 'RFC 5280 §4.1.2.5' });
  }
  const needsUrls = profile === 'issuing-ca' || profile === 'seal' || profile === 'tsa';
  if (needsUrls && !request.urls) {
    throw new PkiInputError({ field: 'urls', message: `a ${profile} certificate needs CRL, OCSP and caIssuers URLs`, standard: 'RFC 5280 §4.2.1.13' });
  }

  const publicKeyInfo = PublicKeyInfo.fromBER(toArrayBuffer(request.publicKey));
  const subjectKeyId = keyIdentifier(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  const extensions: Extension[] = [];
  if (profile === 'root-ca' || profile === 'issuing-ca') {
    extensions.push(extension(oid.basicConstraints, true, new BasicConstraints({ cA: true, ...(profile === 'issuing-ca' ? { pathLenConstraint: 0 } : {}) })));
  }
  extensions.push(new Extension({ extnID: oid.keyUsage, critical: true, extnValue: toArrayBuffer(encode(keyUsageBits(profileKeyUsage[profile]))) }));
  if (profile === 'tsa') extensions.push(extension(oid.extKeyUsage, true, new ExtKeyUsage({ keyPurposes: [oid.kpTimeStamping] })));
  if (profile === 'ocsp-responder') extensions.push(extension(oid.extKeyUsage, false, new ExtKeyUsage({ keyPurposes: [oid.kpOcspSigning] })));
  extensions.push(new Extension({ extnID: oid.subjectKeyIdentifier, extnValue: toArrayBuffer(encode(new asn1js.OctetString({ valueHex: toArrayBuffer(subjectKeyId) }))) }));
  if (issuer) {
    const authorityKeyId = issuer.subjectKeyIdentifier ?? keyIdentifier(issuer.publicKeyBits);
    extensions.push(extension(oid.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(authorityKeyId) }) })));
  }
  if (needsUrls && request.urls) {
    const uri = (value: string) => new GeneralName({ type: 6, value });
    extensions.push(
      extension(oid.crlDistributionPoints, false, new CRLDistributionPoints({ distributionPoints: [new DistributionPoint({ distributionPoint: [uri(request.urls.crl)] })] })),
      extension(
        oid.authorityInfoAccess,
        false,
        new InfoAccess({
          accessDescriptions: [
            new AccessDescription({ accessMethod: oid.adOcsp, accessLocation: uri(request.urls.ocsp) }),
            new AccessDescription({ accessMethod: oid.adCaIssuers, accessLocation: uri(request.urls.caIssuers) }),
          ],
        }),
      ),
    );
  }
  if (profile === 'ocsp-responder') {
    extensions.push(new Extension({ extnID: oid.ocspNoCheck, extnValue: toArrayBuffer(encode(new asn1js.Null())) }));
  }

  const digest = defaultDigest(request.issuer.key.algorithm);
  const algorithm = toAlgorithmIdentifier(signatureAlgorithm(request.issuer.key.algorithm, digest));
  const subject = buildName(request.subject);
  const certificate = new Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(randomSerial()) }),
    signature: algorithm,
    issuer: issuer ? issuer.certificate.subject : subject,
    notBefore: x509Time(notBefore),
    notAfter: x509Time(notAfter),
    subject,
    subjectPublicKeyInfo: publicKeyInfo,
    extensions,
    signatureAlgorithm: algorithm,
  });
  const tbs = encode(certificate.encodeTBS());
  certificate.tbsView = tbs;
  const signature = await request.issuer.key.sign(tbs, digest);
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  return encode(certificate.toSchema());
}

/** Key identifier, RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export const keyIdentifier = (publicKeyBits: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(publicKeyBits).digest());

function issuerInfo(certificate: Uint8Array | CertificateInfo | undefined): CertificateInfo {
  if (!certificate) throw new PkiInputError({ field: 'issuer.certificate', message: 'only a root CA signs itself; other profiles need the issuer certificate', standard: 'RFC 5280 §6.1' });
  return certificate instanceof Uint8Array ? parseCertificate(certificate, 'issuer.certificate') : certificate;
}

function extension(extnID: string, critical: boolean, value: { toSchema(): asn1js.AsnType }): Extension {
  return new Extension({ extnID, critical, extnValue: toArrayBuffer(encode(value.toSchema() as asn1js.BaseBlock)) });
}

/** KeyUsage as a DER named-bit BIT STRING: trailing zero bits dropped (X.690 §11.2.2). */
function keyUsageBits(usages: readonly KeyUsageName[]): asn1js.BitString {
  const bits = usages.map((u) => keyUsageNames.indexOf(u));
  const last = Math.max(...bits);
  const bytes = new Uint8Array((last >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: 7 - (last & 7) });
}
