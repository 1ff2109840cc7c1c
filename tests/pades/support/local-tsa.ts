import { createHash, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { generalizedTime, integer, oid, setOf, TAG, tlv } from '../../../signer/cms/der.ts';
import type { DigestAlgorithm, TimestampAuthority } from '../../../signer/index.ts';
import { DIGESTS } from '../../../signer/cms/algorithms.ts';
import { attribute } from '../../../signer/cms/attributes.ts';
import { oid as OID } from '../../../signer/cms/oids.ts';
import { encodeSignedData } from '../../../signer/cms/signed-data.ts';
import { cadesProfile, type CadesProfile } from '../../../signer/pades/cades.ts';

const POLICY = '1.2.3.4.1';

/**
 * A minimal in-process RFC 3161 TSA (node:crypto signature, DER built with the signer's
 * CMS encoder) for the benchmark and fast tests: TSTInfo with policy 1.2.3.4.1, accuracy
 * 1 s, signed by an EC key with contentType, messageDigest and ESS signing-certificate-v2
 * (RFC 5816). Its tokens pass `openssl ts -verify` (tests/pades/local-tsa.test.ts). The
 * PKI engineer's TSA replaces it.
 */
export class LocalTsa implements TimestampAuthority {
  readonly #key: KeyObject;
  readonly #profile: CadesProfile;
  readonly #certificates: readonly Uint8Array[];
  #serial = BigInt(`0x${randomBytes(6).toString('hex')}`);

  /** `chain`: CA certificates to carry in each token as well (makes tokens bigger). */
  constructor(p: { certificate: Uint8Array; key: string | KeyObject; chain?: readonly Uint8Array[] }) {
    this.#key = typeof p.key === 'string' ? createPrivateKey(p.key) : p.key;
    this.#profile = cadesProfile({ certificate: p.certificate, chain: [] }, 'SHA-256');
    this.#certificates = [p.certificate, ...(p.chain ?? [])];
  }

  async timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    this.#serial += 1n;
    const tstInfo = tlv(
      TAG.SEQUENCE,
      integer(1),
      oid(POLICY),
      tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, oid(DIGESTS[digest].oid)), tlv(TAG.OCTET_STRING, imprint)),
      integer(Buffer.from(this.#serial.toString(16).padStart(12, '0'), 'hex')),
      generalizedTime(new Date()),
      tlv(TAG.SEQUENCE, integer(1)), // accuracy: 1 second
    );
    const signedAttributes = setOf(
      attribute(OID.contentType, oid(OID.tstInfo)),
      attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, createHash('sha256').update(tstInfo).digest())),
      this.#profile.signingCertificateV2,
    );
    return encodeSignedData({
      eContentType: OID.tstInfo,
      eContent: tstInfo,
      digest: 'SHA-256',
      certificates: this.#certificates,
      sid: this.#profile.sid,
      signedAttributes,
      signatureAlgorithm: { oid: '1.2.840.10045.4.3.2', nullParameters: false },
      signature: sign('sha256', signedAttributes, { key: this.#key, dsaEncoding: 'der' }),
    });
  }
}
