/** Distinguished names for reports (RFC 4514 strings) and issuer matching (RFC 5280 §7.1). */
import * as asn1js from 'asn1js';
import { RelativeDistinguishedNames } from 'pkijs';
import { equalBytes } from '../pdf/objects.ts';

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '2.5.4.12': 'title',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

export function attributeValue(name: RelativeDistinguishedNames, oid: string): string | null {
  for (const tv of name.typesAndValues) {
    if (tv.type === oid) return valueText(tv.value);
  }
  return null;
}

function valueText(v: unknown): string {
  const block = (v as { valueBlock?: { value?: unknown } }).valueBlock;
  return typeof block?.value === 'string' ? block.value : '#unreadable';
}

/** RFC 4514 order: most specific first, e.g. `CN=张三,O=XVerify Test Org,C=CN`. */
export function nameToString(name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${SHORT[tv.type] ?? tv.type}=${valueText(tv.value).replace(/([,+"\\<>;])/g, '\\$1')}`)
    .reverse()
    .join(',');
}

/**
 * Name equality for chaining: byte-equal DER, else pkijs' RFC 5280 comparison (case and
 * space folding). Only a hint for which certificates to try: a link needs a signature too.
 */
export function sameName(a: RelativeDistinguishedNames, b: RelativeDistinguishedNames): boolean {
  const ra = new Uint8Array(a.valueBeforeDecode);
  const rb = new Uint8Array(b.valueBeforeDecode);
  if (ra.length > 0 && equalBytes(ra, rb)) return true;
  try {
    return a.isEqual(b);
  } catch {
    return false;
  }
}

/** {@link sameName} for a Name given as DER (as in a SignerIdentifier or an ESS IssuerSerial). */
export function sameNameDer(der: Uint8Array, b: RelativeDistinguishedNames): boolean {
  if (equalBytes(der, new Uint8Array(b.valueBeforeDecode))) return true;
  try {
    const asn1 = asn1js.fromBER(der);
    return asn1.offset !== -1 && new RelativeDistinguishedNames({ schema: asn1.result }).isEqual(b);
  } catch {
    return false;
  }
}
