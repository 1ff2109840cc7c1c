/**
 * One Signature.xml (GB/T 33190 §18.2): the files it protects (References, each with the
 * digest of the file's raw bytes), where its signed value is, and what it claims.
 */
import { OfdFormatError } from '../errors.ts';
import { parseSesTime } from './ses.ts';
import { attribute, child, children, parseXml, rootElement, textOf } from './xml.ts';

export interface OfdReference {
  /** FileRef as written. */
  readonly fileRef: string;
  /** Base64 CheckValue decoded; null when it is not base64. */
  readonly checkValue: Uint8Array | null;
}

export interface OfdSignatureXml {
  /** References/@CheckMethod as written (an OID or a name such as `SM3`). */
  readonly checkMethod: string;
  readonly references: readonly OfdReference[];
  readonly signatureMethod: string | null;
  readonly signatureDateTime: Date | null;
  readonly provider: string | null;
  /** SignedValue as written (a path inside the package). */
  readonly signedValue: string;
  /** Seal/BaseLoc: the seal file (an SES_Seal), when the signature names one apart. */
  readonly sealBaseLoc: string | null;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export function readSignatureXml(bytes: Uint8Array, entry: string): OfdSignatureXml {
  const root = rootElement(parseXml(bytes, entry), 'Signature', entry);
  const info = child(root, 'SignedInfo');
  if (!info) throw new OfdFormatError({ entry, message: 'no SignedInfo' });
  const refs = child(info, 'References');
  if (!refs) throw new OfdFormatError({ entry, message: 'no References' });
  const signedValue = textOf(child(root, 'SignedValue'));
  if (!signedValue) throw new OfdFormatError({ entry, message: 'no SignedValue' });
  const provider = child(info, 'Provider');
  const date = textOf(child(info, 'SignatureDateTime'));
  return {
    checkMethod: attribute(refs, 'CheckMethod') ?? 'MD5',
    references: children(refs, 'Reference').map((r) => {
      const value = textOf(child(r, 'CheckValue')) ?? '';
      return {
        fileRef: attribute(r, 'FileRef') ?? '',
        checkValue: value !== '' && BASE64.test(value) ? new Uint8Array(Buffer.from(value, 'base64')) : null,
      };
    }),
    signatureMethod: textOf(child(info, 'SignatureMethod')) ?? null,
    signatureDateTime: date ? parseSesTime(date) : null,
    provider: provider ? [attribute(provider, 'ProviderName'), attribute(provider, 'Company'), attribute(provider, 'Version')].filter(Boolean).join(' ') || null : null,
    signedValue,
    sealBaseLoc: textOf(child(child(info, 'Seal'), 'BaseLoc')) ?? null,
  };
}
