import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type { DigestAlgorithm } from '../types.ts';
import { UnsupportedAlgorithmError } from './errors.ts';

/** Digest algorithms CMS may name (RFC 5754 §2; parameters absent). */
export const DIGESTS: Readonly<Record<DigestAlgorithm, { oid: string; node: string; length: number }>> = {
  'SHA-256': { oid: '2.16.840.1.101.3.4.2.1', node: 'sha256', length: 32 },
  'SHA-384': { oid: '2.16.840.1.101.3.4.2.2', node: 'sha384', length: 48 },
  'SHA-512': { oid: '2.16.840.1.101.3.4.2.3', node: 'sha512', length: 64 },
};

export function hash(digest: DigestAlgorithm, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHash(DIGESTS[digest].node);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The family of a signer's public key, read from its certificate. */
export type KeyFamily = 'EC' | 'RSA';

/** SignerInfo.signatureAlgorithm (RFC 5754 §3.2 for RSA, RFC 5753 / RFC 5758 §3.2 for ECDSA). */
const SIGNATURE_OIDS: Readonly<Record<KeyFamily, Record<DigestAlgorithm, string>>> = {
  EC: { 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-384': '1.2.840.10045.4.3.3', 'SHA-512': '1.2.840.10045.4.3.4' },
  RSA: { 'SHA-256': '1.2.840.113549.1.1.11', 'SHA-384': '1.2.840.113549.1.1.12', 'SHA-512': '1.2.840.113549.1.1.13' },
};

export interface SignatureAlgorithm {
  readonly oid: string;
  /** RSA's AlgorithmIdentifier carries NULL parameters; ECDSA's has none (RFC 5758 §3.2). */
  readonly nullParameters: boolean;
}

export const signatureAlgorithm = (family: KeyFamily, digest: DigestAlgorithm): SignatureAlgorithm => ({
  oid: SIGNATURE_OIDS[family][digest],
  nullParameters: family === 'RSA',
});

/** What the certificate's public key tells us before anything is signed. */
export interface PublicKeyInfo {
  readonly family: KeyFamily;
  readonly publicKey: KeyObject;
  /** The longest signature value this key can produce, for sizing /Contents. */
  readonly maxSignatureLength: number;
}

/** Reads the key family and size from a DER certificate. */
export function publicKeyInfo(certificate: Uint8Array): PublicKeyInfo {
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(certificate).publicKey;
  } catch (cause) {
    throw new UnsupportedAlgorithmError({ message: 'identity.certificate: not a DER X.509 certificate (RFC 5280)', cause });
  }
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (publicKey.asymmetricKeyType === 'ec') {
    const bits = { prime256v1: 256, 'P-256': 256, secp384r1: 384, 'P-384': 384, secp521r1: 521, 'P-521': 521 }[details.namedCurve ?? ''];
    if (!bits) throw new UnsupportedAlgorithmError({ message: `identity.certificate: EC curve ${details.namedCurve} is not supported` });
    // ECDSA-Sig-Value: SEQUENCE of two INTEGERs, each up to the order's length plus a sign byte.
    const n = Math.ceil(bits / 8) + 1;
    return { family: 'EC', publicKey, maxSignatureLength: 2 + 2 * (2 + n) + (n > 60 ? 1 : 0) };
  }
  if (publicKey.asymmetricKeyType === 'rsa') {
    return { family: 'RSA', publicKey, maxSignatureLength: Math.ceil((details.modulusLength ?? 4096) / 8) };
  }
  throw new UnsupportedAlgorithmError({
    message: `identity.certificate: key type ${publicKey.asymmetricKeyType} is not supported (EC or RSA PKCS#1 v1.5)`,
  });
}
