import { childrenOf, encodingOf, oid, readTlv, TAG, type Tlv } from '../cms/der.ts';
import { oid as OID } from '../cms/oids.ts';

/**
 * Every certificate a CMS SignedData carries (RFC 5652 §5.1 `certificates`), and those of
 * the time-stamp tokens in its signers' unsigned attributes (RFC 3161 Appendix A), as
 * the exact DER bytes found — B-LT validation data must name the very same certificates.
 * Bytes after the container (the /Contents zero padding) are ignored. Unreadable input
 * yields what could be read: judging signatures is the verifier's business, not this helper's.
 */
export function certificatesInCms(der: Uint8Array, depth = 0): Uint8Array[] {
  const found: Uint8Array[] = [];
  if (depth > 4) return found;
  try {
    const [type, content] = childrenOf(der, readTlv(der, 0));
    if (!type || !content || !Buffer.from(encodingOf(der, type)).equals(oid(OID.signedData))) return found;
    const signedData = childrenOf(der, childrenOf(der, content)[0]!);
    for (const el of signedData) {
      if (el.tag !== TAG.context(0)) continue;
      // CertificateChoices: plain certificates (SEQUENCE) only, not attribute certificates.
      for (const c of childrenOf(der, el)) if (c.tag === TAG.SEQUENCE) found.push(encodingOf(der, c));
    }
    const signerInfos = signedData[signedData.length - 1]!;
    for (const signerInfo of childrenOf(der, signerInfos)) {
      for (const part of childrenOf(der, signerInfo)) {
        if (part.tag !== TAG.context(1)) continue; // unsignedAttrs [1] IMPLICIT
        for (const token of timestampTokens(der, part)) found.push(...certificatesInCms(token, depth + 1));
      }
    }
  } catch {
    // Malformed: return what was found so far.
  }
  return found;
}

function timestampTokens(der: Uint8Array, unsignedAttrs: Tlv): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  for (const attribute of childrenOf(der, unsignedAttrs)) {
    const [type, values] = childrenOf(der, attribute);
    if (!type || !values || !Buffer.from(encodingOf(der, type)).equals(oid(OID.signatureTimeStampToken))) continue;
    for (const v of childrenOf(der, values)) tokens.push(encodingOf(der, v));
  }
  return tokens;
}
