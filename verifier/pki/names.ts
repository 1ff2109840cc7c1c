/** Distinguished names for reports (RFC 4514 strings) and issuer matching (RFC 5280 §7.1). */
import { RelativeDistinguishedNames } from 'pkijs';
import { childrenOf, contentOf, oidOf, readTlv, type Tlv } from '../cms/der.ts';
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
 * Name equality for chaining and matching (RFC 5280 §7.1): byte-equal DER, else equal after
 * the usual folding (Unicode NFKC, case, inner white space), attribute by attribute.
 * Only a hint for which certificates to try: a link needs a signature too.
 */
export function sameName(a: RelativeDistinguishedNames, b: RelativeDistinguishedNames): boolean {
  return sameNameDer(rawName(a), b);
}

/** {@link sameName} for a Name given as DER (as in a SignerIdentifier or an ESS IssuerSerial). */
export function sameNameDer(der: Uint8Array, b: RelativeDistinguishedNames): boolean {
  const other = rawName(b);
  if (equalBytes(der, other)) return true;
  const ka = nameKey(der);
  return ka !== undefined && ka === nameKey(other);
}

const KEY_OF = new WeakMap<Uint8Array, string | undefined>();

const RAW = new WeakMap<RelativeDistinguishedNames, Uint8Array>();

function rawName(n: RelativeDistinguishedNames): Uint8Array {
  let raw = RAW.get(n);
  if (!raw) RAW.set(n, (raw = new Uint8Array(n.valueBeforeDecode)));
  return raw;
}

const KEYS = new Map<string, string | undefined>();

/** A comparison key for a DER Name; undefined when it is not one. Memoised (bounded). */
export function nameKey(der: Uint8Array): string | undefined {
  if (KEY_OF.has(der)) return KEY_OF.get(der);
  const id = Buffer.from(der).toString('base64');
  if (KEYS.has(id)) {
    KEY_OF.set(der, KEYS.get(id));
    return KEYS.get(id);
  }
  let key: string | undefined;
  try {
    const rdns = childrenOf(der, readTlv(der, 0)).map((rdn) =>
      childrenOf(der, rdn)
        .map((atv) => {
          const [type, value] = childrenOf(der, atv);
          return `${oidOf(der, type!)}=${fold(stringValue(der, value!))}`;
        })
        .sort()
        .join('+'),
    );
    key = rdns.join(',');
  } catch {
    key = undefined;
  }
  if (KEYS.size > 4096) KEYS.clear();
  KEYS.set(id, key);
  KEY_OF.set(der, key);
  return key;
}

function stringValue(der: Uint8Array, t: Tlv): string {
  const bytes = Buffer.from(contentOf(der, t));
  switch (t.tag) {
    case 12: return bytes.toString('utf8'); // UTF8String
    case 19: case 22: case 26: return bytes.toString('latin1'); // Printable, IA5, Visible
    case 20: return bytes.toString('latin1'); // Teletex, read as Latin-1
    case 30: return Buffer.from(bytes).swap16().toString('utf16le'); // BMPString
    default: return `#${bytes.toString('hex')}`;
  }
}

const fold = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
