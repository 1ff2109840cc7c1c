import { isZhengyinError } from '../../common/index.ts';
import { childrenOf, contentOf, encodingOf, oid, readTlv, TAG } from '../cms/der.ts';
import { DIGESTS } from '../cms/algorithms.ts';
import { oid as OID } from '../cms/oids.ts';
import type { DigestAlgorithm, TimestampAuthority } from '../types.ts';
import { TimestampError } from './errors.ts';

/** Room for variation between one TSA's tokens (serial and nonce lengths, fractional seconds). */
export const TOKEN_SLACK = 256;

/**
 * Asks `tsa` for a time-stamp token over `imprint` and checks that the token's TSTInfo
 * covers exactly that imprint (RFC 3161 §2.4.2), so a confused TSA can never put someone
 * else's time on our signature.
 * @throws {@link TimestampError} The TSA failed with a non-zhengyin error, or its token is malformed or covers another imprint.
 * @throws The TSA's own `SignerError` (e.g. it refused), unchanged.
 */
export async function requestTimestamp(
  tsa: TimestampAuthority,
  imprint: Uint8Array,
  digest: DigestAlgorithm,
): Promise<Uint8Array> {
  let token: Uint8Array;
  try {
    token = await tsa.timestamp(imprint, digest);
  } catch (e) {
    if (isZhengyinError(e)) throw e;
    throw new TimestampError({ message: `time-stamp authority failed: ${e instanceof Error ? e.message : String(e)}`, cause: e });
  }
  const found = tokenImprint(token);
  if (found.digest !== digest || !Buffer.from(found.hashedMessage).equals(Buffer.from(imprint))) {
    throw new TimestampError({ message: 'time-stamp token covers a different message imprint than requested (RFC 3161 §2.4.2)' });
  }
  return token;
}

/** What zhengyin checks in a TimeStampToken's TSTInfo (RFC 3161 §2.4.2). */
export interface TokenImprint {
  readonly digest: DigestAlgorithm | undefined;
  readonly hashedMessage: Uint8Array;
}

/**
 * Reads the messageImprint of a TimeStampToken: ContentInfo → SignedData (RFC 5652 §5)
 * → encapContentInfo of type id-ct-TSTInfo → TSTInfo (RFC 3161 §2.4.2). The token's
 * signature is the verifier's business; here we only make sure it covers our data.
 * @throws {@link TimestampError} The bytes are not a TimeStampToken.
 */
export function tokenImprint(token: Uint8Array): TokenImprint {
  try {
    const contentInfo = readTlv(token, 0);
    const [type, content] = childrenOf(token, contentInfo);
    if (!type || !content || !Buffer.from(encodingOf(token, type)).equals(oid(OID.signedData))) throw new Error('not a SignedData');
    const signedData = childrenOf(token, childrenOf(token, content)[0]!);
    const encap = childrenOf(token, signedData[2]!);
    if (!Buffer.from(encodingOf(token, encap[0]!)).equals(oid(OID.tstInfo))) throw new Error('eContentType is not id-ct-TSTInfo');
    const eContent = readTlv(token, encap[1]!.contentStart);
    if (eContent.tag !== TAG.OCTET_STRING) throw new Error('eContent is not a primitive OCTET STRING');
    const tst = contentOf(token, eContent);
    const [, , messageImprint] = childrenOf(tst, readTlv(tst, 0));
    const [algorithm, hashed] = childrenOf(tst, messageImprint!);
    const algorithmOid = encodingOf(tst, childrenOf(tst, algorithm!)[0]!);
    const digest = (Object.keys(DIGESTS) as DigestAlgorithm[]).find((d) => Buffer.from(oid(DIGESTS[d].oid)).equals(algorithmOid));
    return { digest, hashedMessage: contentOf(tst, hashed!) };
  } catch (cause) {
    throw new TimestampError({ message: 'time-stamp authority returned no readable TimeStampToken (RFC 3161 §2.4.2)', cause });
  }
}

const tokenSizes = new WeakMap<TimestampAuthority, Map<DigestAlgorithm, number>>();

/**
 * The size of this TSA's tokens, learnt once per TSA and digest from one dummy request
 * and cached: /Contents must be sized before the real imprint exists (pyHanko does the
 * same in its dry run).
 */
export async function timestampTokenSize(tsa: TimestampAuthority, digest: DigestAlgorithm): Promise<number> {
  let sizes = tokenSizes.get(tsa);
  const known = sizes?.get(digest);
  if (known !== undefined) return known;
  const token = await requestTimestamp(tsa, new Uint8Array(DIGESTS[digest].length), digest);
  if (!sizes) tokenSizes.set(tsa, (sizes = new Map()));
  sizes.set(digest, token.length);
  return token.length;
}
