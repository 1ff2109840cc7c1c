import { isValidIdentifier, LICENCE_ATTACHMENT_NAME } from '../../../signer/index.ts';
import { readAttachments } from '../../../verifier/index.ts';

/** licence.json is a few kilobytes; anything far larger is not ours. */
const MAX_CLAIM_BYTES = 256 * 1024;

/**
 * The 证照标识 a PDF says it carries: `licence.identifier` of its embedded `licence.json`
 * (as signer/render writes it), when that is a well-formed GB/T 36904 identifier. Only a
 * claim: the final revision holds it, so whoever changed the file could have written it;
 * callers compare the file's SHA-256 with the registry before calling the file "ours".
 */
export function claimedIdentifier(pdf: Uint8Array): string | undefined {
  const { attachments } = readAttachments(pdf, { names: [LICENCE_ATTACHMENT_NAME], maxBytes: MAX_CLAIM_BYTES, maxFiles: 1, timeMs: 2000 });
  const data = attachments[0]?.data;
  if (!data) return undefined;
  try {
    const identifier: unknown = JSON.parse(Buffer.from(data).toString('utf8'))?.licence?.identifier;
    return typeof identifier === 'string' && isValidIdentifier(identifier) ? identifier : undefined;
  } catch {
    return undefined; // not JSON: no claim
  }
}
