/**
 * Checks one SignerInfo (RFC 5652 §5.4-5.6): the messageDigest against the content, the
 * signature over the signed attributes with the signer's key, and which certificate is the
 * signer's — found by issuer+serial or subjectKeyIdentifier and confirmed by the signature.
 */
import * as asn1js from 'asn1js';
import type { Cert } from '../pki/certificate.ts';
import { equalBytes } from '../pdf/objects.ts';
import { sameName } from '../pki/names.ts';
import { failed, indeterminate } from '../report/outcome.ts';
import type { FailedOrIndeterminate } from '../report/types.ts';
import {
  digest,
  digestAlgorithmName,
  hashName,
  recoverRsaDigest,
  signatureAlgorithmName,
  signatureHash,
  UnsupportedAlgorithmError,
  verifySignature,
  type HashName,
} from './algorithms.ts';
import { checkSigningCertificate, type EssResult } from './ess.ts';
import { contentOf, oidOf, readTlv } from './der.ts';
import { CMS_OID, singleRawValue, singleValue, type ParsedSignedData } from './signed-data.ts';
import { SM2_OID } from './sm2.ts';

export interface SignerCheck {
  /** null: the digest algorithm is not supported, so whether the bytes are intact is unknown. */
  readonly intact: boolean | null;
  readonly valid: boolean;
  readonly signer: Cert | null;
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
  /** Hashes in use that the policy deems broken for new signatures (SHA-1). */
  readonly weakHashes: readonly HashName[];
  readonly ess: EssResult;
  /** The CMS signingTime attribute (a claim, like /M). */
  readonly signingTime: Date | null;
  readonly failure: (FailedOrIndeterminate & { readonly message: string }) | null;
}

/**
 * @param content - The signed content's parts (the /ByteRange bytes, or eContent).
 * @param candidates - Every certificate that might be the signer's.
 */
export function checkSignerInfo(cms: ParsedSignedData, content: readonly Uint8Array[], candidates: readonly Cert[]): SignerCheck {
  const digestOid = cms.digestAlgorithm.algorithmId;
  const sigAlg = cms.signatureAlgorithm;
  const base = {
    digestAlgorithm: digestAlgorithmName(digestOid),
    signatureAlgorithm: signatureAlgorithmName(sigAlg, digestOid),
    ess: { status: 'absent' } as EssResult,
    signingTime: signingTime(cms),
  };
  // Object.assign, not `{ ...base, key }`: on Node 20 a spread followed by keys takes microseconds.
  const fail = (outcome: FailedOrIndeterminate, message: string, p: Partial<SignerCheck> = {}): SignerCheck =>
    Object.assign({ intact: false, valid: false, signer: null, weakHashes: [] }, base, p, { failure: Object.assign({ message }, outcome) });
  let hash: HashName;
  let sigHash: HashName;
  try {
    hash = hashName(digestOid);
    sigHash = signatureHash(sigAlg, digestOid);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) return fail(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), e.message, { intact: knownDigest(digestOid, content, cms) });
    throw e;
  }
  const weakHashes = [...new Set([hash, sigHash].filter((h) => h === 'sha1'))];
  const contentDigest = digest(hash, content);
  const signers = candidates.filter((c) => matchesSid(cms, c));
  let intact: boolean;
  let signedBytes: Uint8Array;
  const attrs = cms.signedAttributes;
  if (cms.signedAttrsDer) {
    const ct = singleRawValue(attrs, CMS_OID.contentType);
    if (!ct || !sameContentType(tlvOid(ct), cms.eContentType)) {
      return fail(failed('FORMAT_FAILURE'), 'the contentType signed attribute is missing or differs from the content', { weakHashes });
    }
    const md = singleRawValue(attrs, CMS_OID.messageDigest);
    const mdValue = md && octetString(md);
    if (!mdValue) {
      return fail(failed('FORMAT_FAILURE'), 'the messageDigest signed attribute is missing or repeated', { weakHashes });
    }
    intact = contentDigest.equals(mdValue);
    signedBytes = cms.signedAttrsDer;
  } else {
    signedBytes = Buffer.concat(content);
    intact = true; // settled below from the signature itself
  }
  if (signers.length === 0) {
    return fail(indeterminate('NO_SIGNING_CERTIFICATE_FOUND'), 'no certificate matches the SignerInfo identifier', { intact: cms.signedAttrsDer ? intact : false, weakHashes });
  }
  let signer: Cert | null = null;
  try {
    signer = signers.find((c) => verifySignature(sigAlg, digestOid, signedBytes, cms.signature, c.publicKey)) ?? null;
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) return fail(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), e.message, { intact, weakHashes });
    throw e;
  }
  const valid = signer !== null;
  if (!cms.signedAttrsDer && !valid) {
    // Without signed attributes, tell a changed document from a bad signature by the digest inside an RSA signature.
    const inside = recoverRsaDigest(cms.signature, signers[0]!.publicKey);
    intact = inside !== undefined && Buffer.from(inside).equals(contentDigest);
  }
  const who = signer ?? signers[0]!;
  if (!intact) return fail(failed('HASH_FAILURE'), 'the signed bytes differ from what the signature commits to', { valid, signer: who, weakHashes });
  if (!valid) return fail(failed('SIG_CRYPTO_FAILURE'), "the signature value does not verify with the signer's public key", { intact, signer: who, weakHashes });
  const ess = checkSigningCertificate(attrs, who);
  if (ess.status === 'mismatch') {
    return Object.assign(fail(indeterminate('NO_SIGNING_CERTIFICATE_FOUND'), ess.reason), { intact, valid, signer: who, weakHashes, ess });
  }
  return Object.assign({ intact, valid, signer: who, weakHashes }, base, { ess, failure: null });
}

/** Whether the content matches messageDigest when only the signature algorithm is unsupported; null when the digest is. */
function knownDigest(digestOid: string, content: readonly Uint8Array[], cms: ParsedSignedData): boolean | null {
  let h: HashName;
  try {
    h = hashName(digestOid);
  } catch {
    return null;
  }
  const md = cms.signedAttrsDer ? singleRawValue(cms.signedAttributes, CMS_OID.messageDigest) : undefined;
  const value = md && octetString(md);
  return value ? digest(h, content).equals(value) : null;
}

function matchesSid(cms: ParsedSignedData, c: Cert): boolean {
  if (cms.sid.kind === 'keyId') return c.subjectKeyId === cms.sid.keyId;
  return equalBytes(cms.sid.serial, c.serial) && sameName(cms.sid.issuer, c.issuerDer);
}

function signingTime(cms: ParsedSignedData): Date | null {
  const raw = singleRawValue(cms.signedAttributes, CMS_OID.signingTime);
  if (!raw) return null;
  const plain = plainTime(raw);
  if (plain) return plain;
  const v = singleValue(cms.signedAttributes, CMS_OID.signingTime);
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) return v.toDate();
  return null;
}


/**
 * A UTCTime `YYMMDDhhmmssZ` or GeneralizedTime `YYYYMMDDhhmmssZ` (RFC 5652 §11.3), read
 * as asn1js reads it; undefined for any other form, which asn1js then reads.
 */
function plainTime(der: Uint8Array): Date | undefined {
  const utc = der.length === 15 && der[0] === 0x17 && der[1] === 13;
  const generalized = der.length === 17 && der[0] === 0x18 && der[1] === 15;
  if ((!utc && !generalized) || der[der.length - 1] !== 0x5a /* Z */) return undefined;
  const d: number[] = [];
  for (let i = 2; i < der.length - 1; i++) {
    const c = der[i]! - 0x30;
    if (c < 0 || c > 9) return undefined;
    d.push(c);
  }
  const two = (i: number): number => d[i]! * 10 + d[i + 1]!;
  // UTCTime years 50-99 are 19xx, 00-49 are 20xx (RFC 5280 §4.1.2.5.1).
  const year = utc ? (two(0) >= 50 ? 1900 : 2000) + two(0) : two(0) * 100 + two(2);
  const o = utc ? 2 : 4;
  return new Date(Date.UTC(year, two(o) - 1, two(o + 2), two(o + 4), two(o + 6), two(o + 8)));
}

function tlvOid(der: Uint8Array): string | undefined {
  try {
    return oidOf(der, readTlv(der, 0));
  } catch {
    return undefined;
  }
}

/** A primitive OCTET STRING's contents, else undefined. */
function octetString(der: Uint8Array): Buffer | undefined {
  try {
    const t = readTlv(der, 0);
    return t.cls === 0 && t.tag === 4 && !t.constructed ? Buffer.from(contentOf(der, t)) : undefined;
  } catch {
    return undefined;
  }
}

/** GB/T 35275 signers write its data OID in the attribute and RFC 5652's in the content, or the reverse: one type. */
const DATA_TYPES = new Set<string>([CMS_OID.data, SM2_OID.gmData]);

function sameContentType(attribute: string | undefined, content: string | undefined): boolean {
  return attribute === content || (attribute !== undefined && content !== undefined && DATA_TYPES.has(attribute) && DATA_TYPES.has(content));
}
