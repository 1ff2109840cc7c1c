import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Attribute, IssuerAndSerialNumber, SignedAndUnsignedAttributes, SignerInfo } from 'pkijs';
import type { DigestAlgorithm, SigningKey } from '../types.ts';
import { digestAlgorithm, nodeDigest, signatureAlgorithm } from './algorithms.ts';
import type { CertificateInfo } from './certificate-info.ts';
import { encode, toArrayBuffer } from './der.ts';
import { oid } from './oids.ts';

/**
 * ESS signing-certificate-v2 attribute (RFC 5035 §3): the signer's certificate by SHA-256
 * hash (hashAlgorithm left at its DEFAULT, so absent in DER) and by issuer and serial.
 *
 * @asn
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 */
export function signingCertificateV2(certificate: CertificateInfo): Attribute {
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames with one directoryName [4]; Name is a CHOICE, so the tag is explicit.
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.certificate.issuer.toSchema()] })] }),
      certificate.certificate.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(certificate.der).digest()) }), issuerSerial],
  });
  return new Attribute({ type: oid.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] });
}

/**
 * A CMS SignerInfo (RFC 5652 §5.3) over `content` with signed attributes contentType,
 * messageDigest and `extra`, signed through `key` (node:crypto, not WebCrypto). The
 * signed attributes are DER-sorted (a SET OF, X.690 §11.6) before they are both signed
 * and written, so the bytes signed are the bytes sent.
 */
export async function signContent(p: {
  readonly content: Uint8Array;
  readonly contentType: string;
  readonly signer: CertificateInfo;
  readonly key: SigningKey;
  readonly digest: DigestAlgorithm;
  readonly extra?: readonly Attribute[];
}): Promise<SignerInfo> {
  const attributes = [
    new Attribute({ type: oid.contentType, values: [new asn1js.ObjectIdentifier({ value: p.contentType })] }),
    new Attribute({ type: oid.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash(nodeDigest[p.digest]).update(p.content).digest()) })] }),
    ...(p.extra ?? []),
  ];
  const sorted = attributes
    .map((attribute) => ({ attribute, der: Buffer.from(encode(attribute.toSchema())) }))
    .sort((a, b) => Buffer.compare(a.der, b.der));
  const signedSet = encode(new asn1js.Set({ value: sorted.map((s) => s.attribute.toSchema()) }));
  const signature = await p.key.sign(signedSet, p.digest);
  return new SignerInfo({
    version: 1,
    sid: new IssuerAndSerialNumber({ issuer: p.signer.certificate.issuer, serialNumber: p.signer.certificate.serialNumber }),
    digestAlgorithm: digestAlgorithm(p.digest),
    signedAttrs: new SignedAndUnsignedAttributes({ type: 0, attributes: sorted.map((s) => s.attribute) }),
    signatureAlgorithm: signatureAlgorithm(p.key.algorithm, p.digest),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
}
