/**
 * Distinguished names (RFC 5280 §4.1.2.4), kept as DER: RFC 4514 strings for reports, and
 * matching (§7.1) for finding candidate issuers and signers.
 */
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

type Attribute = { readonly type: string; readonly value: string };

/** The attributes of a DER Name, in encoded order (least specific first); throws if malformed. */
function attributes(der: Uint8Array): Attribute[][] {
  return childrenOf(der, readTlv(der, 0)).map((rdn) =>
    childrenOf(der, rdn).map((atv) => {
      const [type, value] = childrenOf(der, atv);
      return { type: oidOf(der, type!) ?? '?', value: stringValue(der, value!) };
    }),
  );
}

export function attributeValue(der: Uint8Array, oid: string): string | null {
  try {
    return attributes(der).flat().find((a) => a.type === oid)?.value ?? null;
  } catch {
    return null;
  }
}

/** RFC 4514 order, most specific first: `CN=张三,O=XVerify Test Org,C=CN`. */
export function nameToString(der: Uint8Array): string {
  try {
    return attributes(der)
      .map((rdn) => rdn.map((a) => `${SHORT[a.type] ?? a.type}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`).join('+'))
      .reverse()
      .join(',');
  } catch {
    return '#unreadable';
  }
}

/**
 * Name equality for chaining and matching (RFC 5280 §7.1): byte-equal DER, else equal after
 * the usual folding (Unicode NFKC, case, inner white space), attribute by attribute.
 * Only a hint for which certificates to try: a link needs a signature too.
 */
export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (equalBytes(a, b)) return true;
  const ka = nameKey(a);
  return ka !== undefined && ka === nameKey(b);
}

const RAW = new WeakMap<RelativeDistinguishedNames, Uint8Array>();

/** The DER of a name pkijs parsed (CRL and OCSP issuers). */
export function rdnDer(n: RelativeDistinguishedNames): Uint8Array {
  let raw = RAW.get(n);
  if (!raw) RAW.set(n, (raw = new Uint8Array(n.valueBeforeDecode)));
  return raw;
}

const KEY_OF = new WeakMap<Uint8Array, string | undefined>();
const KEYS = new Map<string, string | undefined>();

/** A comparison key for a DER Name; undefined when it is not one. Memoised (bounded). */
export function nameKey(der: Uint8Array): string | undefined {
  if (KEY_OF.has(der)) return KEY_OF.get(der);
  const id = Buffer.from(der).toString('base64');
  let key = KEYS.get(id);
  if (!KEYS.has(id)) {
    try {
      key = attributes(der).map((rdn) => rdn.map((a) => `${a.type}=${fold(a.value)}`).sort().join('+')).join(',');
    } catch {
      key = undefined;
    }
    if (KEYS.size > 4096) KEYS.clear();
    KEYS.set(id, key);
  }
  KEY_OF.set(der, key);
  return key;
}

function stringValue(der: Uint8Array, t: Tlv): string {
  const bytes = Buffer.from(contentOf(der, t));
  switch (t.tag) {
    case 12: return bytes.toString('utf8'); // UTF8String
    case 19: case 22: case 26: case 20: return bytes.toString('latin1'); // Printable, IA5, Visible, Teletex
    case 30: return Buffer.from(bytes).swap16().toString('utf16le'); // BMPString
    default: return `#${bytes.toString('hex')}`;
  }
}

const fold = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
