import { X509Certificate, type KeyObject } from 'node:crypto';
import type { KeyFamily } from '../cms/algorithms.ts';
import { UnsupportedAlgorithmError } from './errors.ts';

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
