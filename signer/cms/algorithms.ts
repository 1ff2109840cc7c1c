import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier } from 'pkijs';
import type { DigestAlgorithm, KeyAlgorithm } from '../types.ts';
import { oid as oidDer, TAG, tlv } from './der.ts';
import { oid } from './oids.ts';
import { PkiInputError } from '../pki/errors.ts';

/** The digests signer/ signs and time-stamps with: OID (RFC 5754 §2), node:crypto's name, length in octets. */
export const DIGESTS: Readonly<Record<DigestAlgorithm, { readonly oid: string; readonly node: string; readonly length: number }>> = {
  'SHA-256': { oid: oid.sha256, node: 'sha256', length: 32 },
  'SHA-384': { oid: oid.sha384, node: 'sha384', length: 48 },
  'SHA-512': { oid: oid.sha512, node: 'sha512', length: 64 },
  SM3: { oid: oid.sm3, node: 'sm3', length: 32 },
};

/** The digest algorithm named by an OID, or undefined for one we do not accept (SHA-1, MD5, …). SM3 is accepted. */
export function digestFromOid(value: string): DigestAlgorithm | undefined {
  return (Object.keys(DIGESTS) as DigestAlgorithm[]).find((d) => DIGESTS[d].oid === value);
}

/** The family of a key: what decides the signature algorithm's OID and parameters. */
export type KeyFamily = 'EC' | 'RSA' | 'SM2';

export const keyFamily = (key: KeyAlgorithm): KeyFamily => (key === 'SM2' ? 'SM2' : key.startsWith('EC-') ? 'EC' : 'RSA');

/**
 * signatureAlgorithm OIDs: ecdsa-with-SHA* (RFC 5758 §3.2), sha*WithRSAEncryption (RFC 8017
 * §A.2.4, RFC 5754 §3.2), SM2-with-SM3 (GM/T 0006). Combinations absent here are not made.
 */
export const SIGNATURE_OIDS: Readonly<Record<KeyFamily, Readonly<Partial<Record<DigestAlgorithm, string>>>>> = {
  EC: { 'SHA-256': oid.ecdsaWithSHA256, 'SHA-384': oid.ecdsaWithSHA384, 'SHA-512': oid.ecdsaWithSHA512 },
  RSA: { 'SHA-256': oid.sha256WithRSAEncryption, 'SHA-384': oid.sha384WithRSAEncryption, 'SHA-512': oid.sha512WithRSAEncryption },
  SM2: { SM3: oid.sm2WithSm3 },
};

/** The key family and digest a signatureAlgorithm OID names, or undefined for one we do not accept. */
export function signatureFromOid(value: string): { family: KeyFamily; digest: DigestAlgorithm } | undefined {
  for (const family of Object.keys(SIGNATURE_OIDS) as KeyFamily[]) {
    const digest = (Object.keys(DIGESTS) as DigestAlgorithm[]).find((d) => SIGNATURE_OIDS[family][d] === value);
    if (digest) return { family, digest };
  }
  return undefined;
}

/**
 * The digest a key signs with by default: the one matching its strength (RFC 5480 §4 for
 * EC; SHA-256 for RSA up to 4096 bits).
 */
export function defaultDigest(algorithm: KeyAlgorithm): DigestAlgorithm {
  return algorithm === 'SM2' ? 'SM3' : algorithm === 'EC-P384' ? 'SHA-384' : 'SHA-256';
}

/** The `digest` hash of `parts` concatenated. */
export function hash(digest: DigestAlgorithm, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHash(DIGESTS[digest].node);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A signatureAlgorithm as CMS, X.509, CRLs and OCSP write it. */
export interface SignatureAlgorithm {
  readonly oid: string;
  /** RSA's AlgorithmIdentifier carries NULL parameters; ECDSA's has none (RFC 5758 §3.2). */
  readonly nullParameters: boolean;
}

/**
 * The signatureAlgorithm for a key (or its family) and digest: ecdsa-with-SHA* (RFC 5758
 * §3.2, parameters absent), sha*WithRSAEncryption (RFC 8017 §A.2.4, parameters NULL) or
 * SM2-with-SM3 (GM/T 0006, parameters absent as GB/T 20518 writes them).
 * @throws {@link PkiInputError} A combination that does not exist (SM2 with SHA-256, ECDSA with SM3).
 */
export function signatureAlgorithm(key: KeyAlgorithm | KeyFamily, digest: DigestAlgorithm): SignatureAlgorithm {
  const family = key === 'EC' || key === 'RSA' || key === 'SM2' ? key : keyFamily(key);
  const oid = SIGNATURE_OIDS[family][digest];
  if (!oid) throw new PkiInputError({ field: 'digest', message: `no signature algorithm for a ${family} key with ${digest}`, standard: 'RFC 5758 / GM/T 0006' });
  return { oid, nullParameters: family === 'RSA' };
}

const NULL = Uint8Array.of(TAG.NULL, 0);

/** The DER AlgorithmIdentifier of a signature algorithm, for the byte-level encoders. */
export const signatureAlgorithmIdentifier = (alg: SignatureAlgorithm): Uint8Array =>
  alg.nullParameters ? tlv(TAG.SEQUENCE, oidDer(alg.oid), NULL) : tlv(TAG.SEQUENCE, oidDer(alg.oid));

/** The same AlgorithmIdentifier as a pkijs object, for structures pkijs builds (certificates, CRLs). */
export const toAlgorithmIdentifier = (alg: SignatureAlgorithm): AlgorithmIdentifier =>
  alg.nullParameters ? new AlgorithmIdentifier({ algorithmId: alg.oid, algorithmParams: new asn1js.Null() }) : new AlgorithmIdentifier({ algorithmId: alg.oid });

/** The DER AlgorithmIdentifier of a digest, parameters absent (RFC 5754 §2). */
export const digestAlgorithmIdentifier = (digest: DigestAlgorithm): Uint8Array => tlv(TAG.SEQUENCE, oidDer(DIGESTS[digest].oid));
