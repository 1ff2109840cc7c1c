import { createHash, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestAlgorithm, TimestampAuthority } from '../../../signer/index.ts';

const DIGEST_OID: Record<DigestAlgorithm, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

/**
 * A minimal in-process RFC 3161 TSA (pkijs structures, node:crypto signature) for the
 * benchmark and fast tests: TSTInfo with policy 1.2.3.4.1, accuracy 1 s, signed by an
 * EC key with contentType, messageDigest and ESS signing-certificate-v2 (RFC 5816).
 * Its tokens pass `openssl ts -verify` (see tests/pades/local-tsa.test.ts).
 */
export class LocalTsa implements TimestampAuthority {
  readonly #key: KeyObject;
  readonly #certificate: pkijs.Certificate;
  readonly #essAttribute: pkijs.Attribute;
  readonly #extraCertificates: pkijs.Certificate[];
  #serial = BigInt(`0x${randomBytes(6).toString('hex')}`);

  /** `chain`: CA certificates to carry in each token as well (makes tokens bigger). */
  constructor(p: { certificate: Uint8Array; key: string | KeyObject; chain?: readonly Uint8Array[] }) {
    this.#key = typeof p.key === 'string' ? createPrivateKey(p.key) : p.key;
    this.#certificate = pkijs.Certificate.fromBER(p.certificate);
    this.#extraCertificates = (p.chain ?? []).map((c) => pkijs.Certificate.fromBER(c));
    const essCertIdV2 = new asn1js.Sequence({
      value: [
        new asn1js.OctetString({ valueHex: createHash('sha256').update(p.certificate).digest() }),
        new asn1js.Sequence({
          value: [
            new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: this.#certificate.issuer })] }).toSchema(),
            this.#certificate.serialNumber,
          ],
        }),
      ],
    });
    this.#essAttribute = new pkijs.Attribute({
      type: '1.2.840.113549.1.9.16.2.47',
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
    });
  }

  async timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    this.#serial += 1n;
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: '1.2.3.4.1',
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID[digest] }),
        hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
      }),
      serialNumber: new asn1js.Integer({ valueHex: Buffer.from(this.#serial.toString(16).padStart(12, '0'), 'hex') }),
      genTime: new Date(),
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
    });
    const tstDer = new Uint8Array(tstInfo.toSchema().toBER(false));
    const attributes = [
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(tstDer).digest() })] }),
      this.#essAttribute,
    ];
    const signedAttrs = new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false);
    const signature = sign('sha256', new Uint8Array(signedAttrs), { key: this.#key, dsaEncoding: 'der' });
    const signedData = new pkijs.SignedData({
      version: 3,
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID['SHA-256'] })],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: '1.2.840.113549.1.9.16.1.4',
        eContent: new asn1js.OctetString({ valueHex: tstDer }),
      }),
      certificates: [this.#certificate, ...this.#extraCertificates],
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: this.#certificate.issuer, serialNumber: this.#certificate.serialNumber }),
          digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID['SHA-256'] }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
          signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' }),
          signature: new asn1js.OctetString({ valueHex: signature }),
        }),
      ],
    });
    const token = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) });
    return new Uint8Array(token.toSchema().toBER(false));
  }
}
