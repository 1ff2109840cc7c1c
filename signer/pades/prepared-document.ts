import { verify as verifySignature } from 'node:crypto';
import { isZhengyinError } from '../../common/index.ts';
import { childrenOf, contentOf, encodingOf, header, oid, readTlv, TAG, tlv } from '../cms/der.ts';
import { DIGESTS, hash } from '../cms/algorithms.ts';
import { oid as OID } from '../cms/oids.ts';
import type { DigestAlgorithm, SigningKey, TimestampAuthority } from '../types.ts';
import { cadesProfile, signedAttributes, signedDataDer, type CadesProfile } from './cades.ts';
import { InvalidSignOptionError, SignatureMismatchError, SigningKeyError } from './errors.ts';
import { fillContents } from './signature-dictionary.ts';
import { requestTimestamp, timestampTokenSize, TOKEN_SLACK } from './timestamp.ts';

const dryRuns = new WeakMap<CadesProfile, Map<number, number>>();

/**
 * Bytes to reserve in /Contents: the size of a dry-run CMS built with a maximal
 * signature value and a real token of this TSA (fetched once per TSA), plus slack.
 */
export async function reserveContents(profile: CadesProfile, tsa: TimestampAuthority | undefined): Promise<number> {
  const tokenLength = tsa ? await timestampTokenSize(tsa, profile.digest) : 0;
  let sizes = dryRuns.get(profile);
  const known = sizes?.get(tokenLength);
  if (known !== undefined) return known;
  const dummyDigest = new Uint8Array(DIGESTS[profile.digest].length);
  const attrs = signedAttributes(profile, dummyDigest);
  // A syntactically valid stand-in token of the same length: an OCTET STRING.
  const token = tokenLength ? dummyDer(tokenLength) : undefined;
  const dry = signedDataDer(profile, attrs, new Uint8Array(profile.key.maxSignatureLength).fill(0xff), token);
  const size = dry.length + (tsa ? TOKEN_SLACK : 0) + 16;
  if (!sizes) dryRuns.set(profile, (sizes = new Map()));
  sizes.set(tokenLength, size);
  return size;
}

/** A DER OCTET STRING of `total` bytes (one byte more when no header fits exactly). */
function dummyDer(total: number): Uint8Array {
  for (let h = 2; h <= 6; h++) if (header(TAG.OCTET_STRING, total - h).length === h) return tlv(TAG.OCTET_STRING, new Uint8Array(total - h));
  return tlv(TAG.OCTET_STRING, new Uint8Array(total));
}

/** The serialisable state of a {@link PreparedDocument}, for a signer that answers later. */
export interface PreparedDocumentJson {
  readonly format: 'zhengyin/pades-prepared@1';
  /** The PDF with its new revision, /Contents still zeros (base64). */
  readonly pdf: string;
  readonly byteRange: readonly [number, number, number, number];
  readonly contentsLength: number;
  readonly digest: DigestAlgorithm;
  readonly certificate: string;
  readonly chain: readonly string[];
  /** DER of the signed attributes as a SET OF (base64): the bytes to sign. */
  readonly toBeSigned: string;
}

interface PreparedState {
  readonly bytes: Uint8Array;
  readonly byteRange: readonly [number, number, number, number];
  readonly contentsLength: number;
  readonly profile: CadesProfile;
  /** DER SET OF signed attributes. */
  readonly signed: Uint8Array;
  readonly tsa: TimestampAuthority | undefined;
}

/**
 * Phase 3: the document with its signature revision laid out, waiting for a signature
 * value. Get one from `session.prepare()` or {@link resume}.
 */
export class PreparedDocument {
  readonly #s: PreparedState;

  private constructor(state: PreparedState) {
    this.#s = state;
  }

  /** @internal */
  static create(state: PreparedState): PreparedDocument {
    return new PreparedDocument(state);
  }

  /** /ByteRange: the two spans of the file the signature covers (ISO 32000-1 §12.8.1). */
  get byteRange(): readonly [number, number, number, number] {
    return this.#s.byteRange;
  }

  get digestAlgorithm(): DigestAlgorithm {
    return this.#s.profile.digest;
  }

  /** The DER signed attributes (RFC 5652 §5.4): what `SigningKey.sign(data, digest)` signs. */
  toBeSigned(): Uint8Array {
    return this.#s.signed;
  }

  /** The hash of {@link toBeSigned} — what a raw-digest signer (HSM, remote department) signs. */
  digest(): Uint8Array {
    return hash(this.#s.profile.digest, this.#s.signed);
  }

  /**
   * Phase 3 → 4: signs with `key`, the only step that touches a key, and checks the value
   * against the certificate's public key.
   * @throws The key's own `SignerError` (e.g. revoked or expired), unchanged.
   * @throws {@link SigningKeyError} The key failed with any other error.
   * @throws {@link SignatureMismatchError} The key does not belong to the certificate.
   */
  async sign(key: SigningKey): Promise<SignedDocument> {
    let value: Uint8Array;
    try {
      value = await key.sign(this.#s.signed, this.#s.profile.digest);
    } catch (e) {
      if (isZhengyinError(e)) throw e;
      throw new SigningKeyError({ cause: e });
    }
    return this.withSignature(value);
  }

  /** Accepts a signature value made elsewhere over {@link toBeSigned}; checks it like {@link sign}. */
  withSignature(signatureValue: Uint8Array): SignedDocument {
    const { profile, signed } = this.#s;
    const ok = verifySignature(
      DIGESTS[profile.digest].node,
      signed,
      profile.key.family === 'EC' ? { key: profile.key.publicKey, dsaEncoding: 'der' } : profile.key.publicKey,
      signatureValue,
    );
    if (!ok) throw new SignatureMismatchError();
    return SignedDocument.create(this.#s, signatureValue);
  }

  toJSON(): PreparedDocumentJson {
    const { bytes, byteRange, contentsLength, profile, signed } = this.#s;
    const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
    return {
      format: 'zhengyin/pades-prepared@1',
      pdf: b64(bytes),
      byteRange,
      contentsLength,
      digest: profile.digest,
      certificate: b64(profile.certificates[0]!),
      chain: profile.certificates.slice(1).map(b64),
      toBeSigned: b64(signed),
    };
  }
}

/** Phase 4: signed; `finish()` adds the signature time-stamp and writes the CMS. */
export class SignedDocument {
  readonly #s: PreparedState;
  readonly #signatureValue: Uint8Array;

  private constructor(state: PreparedState, signatureValue: Uint8Array) {
    this.#s = state;
    this.#signatureValue = signatureValue;
  }

  /** @internal */
  static create(state: PreparedState, signatureValue: Uint8Array): SignedDocument {
    return new SignedDocument(state, signatureValue);
  }

  /**
   * Time-stamps the signature value (the signature time-stamp of ETSI EN 319 122-1
   * §5.3, imprint = hash of SignatureValue) and embeds the CMS in /Contents.
   * @returns The input PDF followed by exactly one new revision.
   * @throws The TSA's `SignerError`, or {@link TimestampError}; {@link ContentsOverflowError}.
   */
  async finish(): Promise<Uint8Array> {
    const { bytes, byteRange, contentsLength, profile, signed, tsa } = this.#s;
    const token = tsa
      ? await requestTimestamp(tsa, hash(profile.digest, this.#signatureValue), profile.digest)
      : undefined;
    const cms = signedDataDer(profile, signed, this.#signatureValue, token);
    const out = new Uint8Array(bytes);
    fillContents(out, byteRange[1], contentsLength, cms);
    return out;
  }
}

/**
 * Continues a signature prepared elsewhere: `json` from `prepared.toJSON()` and the
 * signature value a remote signer made over its `toBeSigned`.
 * @throws {@link InvalidSignOptionError} `json` is not a prepared document, or its parts disagree.
 * @throws {@link SignatureMismatchError} The value does not verify with the certificate.
 */
export function resume(json: PreparedDocumentJson, signatureValue: Uint8Array, options: { tsa?: TimestampAuthority | undefined } = {}): SignedDocument {
  const bad = (message: string, cause?: unknown): InvalidSignOptionError => new InvalidSignOptionError({ field: 'json', message, cause });
  if (json?.format !== 'zhengyin/pades-prepared@1') throw bad('not a zhengyin prepared document (format zhengyin/pades-prepared@1)');
  const bytes = Buffer.from(json.pdf, 'base64');
  const [a, b, c, d] = json.byteRange;
  if (a !== 0 || !(b > 0) || c !== b + 2 * json.contentsLength + 2 || c + d !== bytes.length) throw bad('byteRange does not fit the document');
  const profile = cadesProfile({ certificate: Buffer.from(json.certificate, 'base64'), chain: json.chain.map((x) => Buffer.from(x, 'base64')) }, json.digest);
  const der = new Uint8Array(Buffer.from(json.toBeSigned, 'base64'));
  // The signed attributes must bind these very bytes: recompute the message digest.
  let messageDigest: Uint8Array | undefined;
  try {
    const set = readTlv(der, 0);
    if (set.tag !== 0x31 || set.end !== der.length) throw new RangeError('not one SET');
    const mdType = oid(OID.messageDigest);
    for (const attr of childrenOf(der, set)) {
      const [type, values] = childrenOf(der, attr);
      if (type && values && Buffer.from(encodingOf(der, type)).equals(mdType)) messageDigest = contentOf(der, childrenOf(der, values)[0]!);
    }
  } catch (cause) {
    throw bad('toBeSigned is not a DER SET OF Attribute', cause);
  }
  const expected = hash(profile.digest, bytes.subarray(0, b), bytes.subarray(c));
  if (!messageDigest || !expected.equals(messageDigest)) throw bad("messageDigest does not match the document's /ByteRange");
  const prepared = PreparedDocument.create({
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    byteRange: [a, b, c, d],
    contentsLength: json.contentsLength,
    profile,
    signed: der,
    tsa: options.tsa,
  });
  return prepared.withSignature(signatureValue);
}
