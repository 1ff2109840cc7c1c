import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isZhengyinError } from '../../common/index.ts';
import type { DigestAlgorithm, TimestampAuthority } from '../types.ts';
import { DIGESTS, digestByOid, hash } from './algorithms.ts';
import { fromDer, OID } from './cms.ts';
import { TimestampError } from './errors.ts';

/**
 * Asks `tsa` for a time-stamp token over `digest(data)` and checks that the token's
 * TSTInfo covers exactly that imprint (RFC 3161 §2.4.2), so a confused TSA can never put
 * someone else's time on our signature.
 * @throws {@link TimestampError} The TSA failed with a non-zhengyin error, or its token is malformed or covers another imprint.
 * @throws The TSA's own `SignerError` (e.g. it refused), unchanged.
 */
export async function requestTimestamp(tsa: TimestampAuthority, data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
  return requestTimestampForImprint(tsa, hash(digest, data), digest);
}

export async function requestTimestampForImprint(
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
  const info = readTstInfo(token);
  const imprintDigest = digestByOid(info.messageImprint.hashAlgorithm.algorithmId);
  const hashed = new Uint8Array(info.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (imprintDigest !== digest || !Buffer.from(hashed).equals(Buffer.from(imprint))) {
    throw new TimestampError({ message: 'time-stamp token covers a different message imprint than requested (RFC 3161 §2.4.2)' });
  }
  return token;
}

/** The TSTInfo inside a TimeStampToken (RFC 3161 §2.4.2). */
export function readTstInfo(token: Uint8Array): pkijs.TSTInfo {
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: fromDer(token) });
    if (contentInfo.contentType !== OID.signedData) throw new Error('not a SignedData');
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    const { eContentType, eContent } = signedData.encapContentInfo;
    if (eContentType !== OID.tstInfo || !eContent) throw new Error('eContentType is not id-ct-TSTInfo');
    return pkijs.TSTInfo.fromBER(eContentBytes(eContent));
  } catch (cause) {
    throw new TimestampError({ message: 'time-stamp authority returned no readable TimeStampToken (RFC 3161 §2.4.2)', cause });
  }
}

/** eContent may arrive as a constructed OCTET STRING (BER); join its pieces. */
function eContentBytes(eContent: asn1js.OctetString): Uint8Array {
  if (!eContent.idBlock.isConstructed) return eContent.valueBlock.valueHexView;
  return Buffer.concat((eContent.valueBlock.value as asn1js.OctetString[]).map((p) => eContentBytes(p)));
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
  const token = await requestTimestampForImprint(tsa, new Uint8Array(DIGESTS[digest].length), digest);
  if (!sizes) tokenSizes.set(tsa, (sizes = new Map()));
  sizes.set(digest, token.length);
  return token.length;
}
