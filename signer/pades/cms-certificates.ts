import * as asn1js from 'asn1js';
import { OID } from './cms.ts';

/**
 * Every certificate a CMS SignedData carries (RFC 5652 §5.1 `certificates`), and those of
 * the time-stamp tokens in its signers' unsigned attributes (RFC 3161 Appendix A), as
 * the exact DER bytes found — B-LT validation data must name the very same certificates.
 * Unreadable input yields what could be read; the verifier judges, not this helper.
 */
export function certificatesInCms(der: Uint8Array, depth = 0): Uint8Array[] {
  const found: Uint8Array[] = [];
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || depth > 4) return found;
  const contentInfo = children(parsed.result);
  if (oidOf(contentInfo[0]) !== OID.signedData) return found;
  const signedData = children(children(contentInfo[1])[0]);
  for (const el of signedData) {
    if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0) {
      // CertificateChoices: only plain certificates (SEQUENCE) — not attribute certificates.
      for (const c of children(el)) if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) found.push(raw(c));
    }
  }
  const signerInfos = signedData[signedData.length - 1];
  for (const signerInfo of children(signerInfos)) {
    for (const part of children(signerInfo)) {
      if (part.idBlock.tagClass !== 3 || part.idBlock.tagNumber !== 1) continue; // unsignedAttrs [1]
      for (const attribute of children(part)) {
        const [type, values] = children(attribute);
        if (oidOf(type) !== OID.signatureTimeStampToken) continue;
        for (const token of children(values)) found.push(...certificatesInCms(raw(token), depth + 1));
      }
    }
  }
  return found;
}

const children = (el: asn1js.AsnType | undefined): asn1js.AsnType[] => {
  const value = (el as asn1js.Constructed | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
};

const oidOf = (el: asn1js.AsnType | undefined): string | undefined =>
  el instanceof asn1js.ObjectIdentifier ? el.valueBlock.toString() : undefined;

const raw = (el: asn1js.AsnType): Uint8Array => new Uint8Array((el as asn1js.BaseBlock).valueBeforeDecodeView);
