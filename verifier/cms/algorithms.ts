/**
 * Digest and signature algorithms by OID (RFC 5754, RFC 4055, RFC 5758, RFC 8419), checked
 * with node:crypto. What is not listed here is reported as CRYPTO_CONSTRAINTS_FAILURE:
 * an algorithm the validation policy does not accept (EN 319 102-1 §5.2.8).
 */
import { createHash, createPublicKey, publicDecrypt, verify, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, RSASSAPSSParams } from 'pkijs';
import { sm2PointOfKey, SM2_OID, verifySm2 } from './sm2.ts';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'shake256' | 'sm3';

const DIGESTS: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  // id-shake256 with 512 bits of output: the digest RFC 8419 §2.3 pairs with Ed448.
  '2.16.840.1.101.3.4.2.12': 'shake256',
  [SM2_OID.sm3]: 'sm3',
};

const RSA_PKCS1: Record<string, HashName | null> = {
  '1.2.840.113549.1.1.1': null, // rsaEncryption: the hash is the digestAlgorithm's
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA: Record<string, HashName | null> = {
  '1.2.840.10045.2.1': null, // id-ecPublicKey used as a signature algorithm: hash from digestAlgorithm
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const ED25519 = '1.3.101.112';
const ED448 = '1.3.101.113';

/** EC curves accepted (FIPS 186-4 P-256, P-384, P-521). */
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 16384;

/** An algorithm outside the accepted set: the caller reports CRYPTO_CONSTRAINTS_FAILURE. */
export class UnsupportedAlgorithmError extends Error {
  override readonly name = 'UnsupportedAlgorithmError';
}

export function hashName(oid: string): HashName {
  const h = DIGESTS[oid];
  if (!h) throw new UnsupportedAlgorithmError(`digest algorithm ${oid} is not supported`);
  return h;
}

export const digest = (name: HashName, parts: readonly Uint8Array[]): Buffer => {
  const h = name === 'shake256' ? createHash(name, { outputLength: 64 }) : createHash(name);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Human name for a report, e.g. `RSASSA-PSS with SHA-256`, `ECDSA with SHA-384`. */
export function signatureAlgorithmName(alg: AlgorithmIdentifier, digestOid?: string): string {
  try {
    const s = signatureScheme(alg, digestOid);
    const h = hashLabel(s.hash);
    return s.kind === 'rsa-pss' ? `RSASSA-PSS with ${h}` : s.kind === 'rsa' ? `RSA with ${h}` : s.kind === 'ecdsa' ? `ECDSA with ${h}`
      : s.kind === 'sm2' ? 'SM2 with SM3' : s.kind === 'ed448' ? 'Ed448' : 'Ed25519';
  } catch {
    return alg.algorithmId;
  }
}

export function digestAlgorithmName(oid: string): string {
  const h = DIGESTS[oid];
  return h ? hashLabel(h) : oid;
}

const hashLabel = (h: HashName): string => (h === 'shake256' ? 'SHAKE256' : h === 'sm3' ? 'SM3' : h.toUpperCase().replace('SHA', 'SHA-'));

interface Scheme {
  readonly kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'sm2';
  readonly hash: HashName;
  readonly saltLength?: number;
}

function signatureScheme(alg: AlgorithmIdentifier, digestOid?: string): Scheme {
  const oid = alg.algorithmId;
  const fallback = (): HashName => {
    if (!digestOid) throw new UnsupportedAlgorithmError(`${oid} needs a digest algorithm`);
    return hashName(digestOid);
  };
  if (oid in RSA_PKCS1) return { kind: 'rsa', hash: RSA_PKCS1[oid] ?? fallback() };
  if (oid in ECDSA) return { kind: 'ecdsa', hash: ECDSA[oid] ?? fallback() };
  // EdDSA (RFC 8419): PureEdDSA over the signed attributes; the hash is the scheme's own.
  if (oid === ED25519) return { kind: 'ed25519', hash: 'sha512' };
  if (oid === ED448) return { kind: 'ed448', hash: 'shake256' };
  // SM2 hashes Z(user ID, key) ‖ message with SM3 itself (GB/T 32918.2 §6.1).
  if (oid === SM2_OID.sm2WithSm3 || oid === SM2_OID.sm2Sign) return { kind: 'sm2', hash: 'sm3' };
  if (oid === RSA_PSS) {
    let params: RSASSAPSSParams;
    try {
      params = alg.algorithmParams instanceof asn1js.Sequence ? new RSASSAPSSParams({ schema: alg.algorithmParams }) : new RSASSAPSSParams();
    } catch (e) {
      throw new UnsupportedAlgorithmError(`RSASSA-PSS parameters are malformed: ${(e as Error).message}`);
    }
    const hash = hashName(params.hashAlgorithm.algorithmId);
    if (params.maskGenAlgorithm.algorithmId !== MGF1) throw new UnsupportedAlgorithmError('RSASSA-PSS mask generation is not MGF1');
    const mgfHash = params.maskGenAlgorithm.algorithmParams instanceof asn1js.Sequence
      ? new AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId
      : '1.3.14.3.2.26';
    // node:crypto uses the signature hash for MGF1; a different MGF1 hash cannot be checked.
    if (hashName(mgfHash) !== hash) throw new UnsupportedAlgorithmError('RSASSA-PSS with an MGF1 hash unlike the message hash');
    if (params.trailerField !== 1) throw new UnsupportedAlgorithmError('RSASSA-PSS trailer field is not 1');
    return { kind: 'rsa-pss', hash, saltLength: params.saltLength };
  }
  throw new UnsupportedAlgorithmError(`signature algorithm ${oid} is not supported`);
}

/** The hash a signature algorithm applies to the data. */
export function signatureHash(alg: AlgorithmIdentifier, digestOid?: string): HashName {
  return signatureScheme(alg, digestOid).hash;
}

/** Refuses keys outside the accepted sizes and curves. */
export function checkKey(key: KeyObject): void {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) throw new UnsupportedAlgorithmError(`RSA key of ${bits} bits`);
  } else if (key.asymmetricKeyType === 'ec') {
    if (!CURVES.has(details.namedCurve ?? '')) throw new UnsupportedAlgorithmError(`EC curve ${details.namedCurve ?? 'unknown'}`);
  } else if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'ed448' && !sm2PointOfKey(key)) {
    throw new UnsupportedAlgorithmError(`public key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

/**
 * Checks `signature` over `data` with `key`. False for a signature that does not verify
 * (including a key of the wrong type); throws {@link UnsupportedAlgorithmError} for an
 * algorithm or key outside the policy.
 */
export function verifySignature(alg: AlgorithmIdentifier, digestOid: string | undefined, data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  const scheme = signatureScheme(alg, digestOid);
  checkKey(key);
  const type = key.asymmetricKeyType;
  try {
    switch (scheme.kind) {
      case 'rsa':
        return type === 'rsa' && verify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        return (type === 'rsa' || type === 'rsa-pss') &&
          verify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength ?? 20 }, signature);
      case 'ecdsa':
        return type === 'ec' && verify(scheme.hash, data, { key, dsaEncoding: 'der' }, signature);
      case 'ed25519':
        return type === 'ed25519' && verify(null, data, key, signature);
      case 'ed448':
        return type === 'ed448' && verify(null, data, key, signature);
      case 'sm2': {
        const point = sm2PointOfKey(key);
        return point !== undefined && verifySm2(data, signature, point);
      }
    }
  } catch {
    return false;
  }
}

/**
 * For RSA PKCS#1 v1.5 without signed attributes: the digest inside the signature, so a
 * changed document (HASH_FAILURE) can be told from a bad signature (SIG_CRYPTO_FAILURE).
 */
export function recoverRsaDigest(signature: Uint8Array, key: KeyObject): Uint8Array | undefined {
  try {
    const digestInfo = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    const parsed = asn1js.fromBER(digestInfo);
    const seq = parsed.result as asn1js.Sequence;
    const octets = seq.valueBlock.value[1];
    return octets instanceof asn1js.OctetString ? octets.valueBlock.valueHexView : undefined;
  } catch {
    return undefined;
  }
}

export function keyFromSpki(spkiDer: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
}
