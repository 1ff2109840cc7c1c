/**
 * The certificate extensions the verifier acts on (RFC 5280 §4.2), read from DER with the
 * TLV walker. A critical extension that cannot be read is reported as not understood, which
 * fails any path through the certificate.
 */
import { childrenOf, contentOf, oidOf, readTlv, type Tlv } from '../cms/der.ts';

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  privateKeyUsagePeriod: '2.5.29.16',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  adOcsp: '1.3.6.1.5.5.7.48.1',
  adCaIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

/**
 * Critical extensions this verifier processes (or which carry no constraint it must
 * enforce). Any other critical extension fails the path (RFC 5280 §4.2).
 */
const UNDERSTOOD_CRITICAL = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier,
  OID.crlDistributionPoints, OID.authorityInfoAccess, OID.subjectAltName, OID.issuerAltName, OID.ocspNoCheck,
  OID.qcStatements, OID.privateKeyUsagePeriod, OID.certificatePolicies,
]);

export interface CertificateExtensions {
  keyUsage: ReadonlySet<KeyUsageBit> | undefined;
  extKeyUsage: readonly string[] | undefined;
  extKeyUsageCritical: boolean;
  isCa: boolean;
  pathLen: number | undefined;
  subjectKeyId: string | undefined;
  authorityKeyId: string | undefined;
  /** Critical extensions not understood (or not readable). */
  unknownCritical: string[];
  crlUrls: string[];
  ocspUrls: string[];
  caIssuerUrls: string[];
  ocspNoCheck: boolean;
}

/** Reads `[3] EXPLICIT Extensions` (or nothing, for a v1 certificate). */
export function readExtensions(der: Uint8Array, wrapper: Tlv | undefined): CertificateExtensions {
  const out: CertificateExtensions = {
    keyUsage: undefined, extKeyUsage: undefined, extKeyUsageCritical: false, isCa: false, pathLen: undefined,
    subjectKeyId: undefined, authorityKeyId: undefined, unknownCritical: [], crlUrls: [], ocspUrls: [], caIssuerUrls: [], ocspNoCheck: false,
  };
  if (!wrapper) return out;
  const list = childrenOf(der, wrapper)[0];
  if (!list) return out;
  const seen = new Set<string>();
  for (const ext of childrenOf(der, list)) {
    const parts = childrenOf(der, ext);
    const id = oidOf(der, parts[0]!);
    if (!id) throw new Error('extension without an OID');
    const critical = parts.length === 3 && parts[1]!.tag === 1 && contentOf(der, parts[1]!)[0] !== 0;
    const value = parts[parts.length - 1]!;
    if (value.tag !== 4) throw new Error('extnValue is not an OCTET STRING');
    // Each extension at most once (RFC 5280 §4.2).
    if (seen.has(id)) throw new Error(`extension ${id} appears twice`);
    seen.add(id);
    const v = contentOf(der, value);
    if (critical && !UNDERSTOOD_CRITICAL.has(id)) out.unknownCritical.push(id);
    try {
      readOne(id, v, critical, out);
    } catch {
      if (critical) out.unknownCritical.push(id);
    }
  }
  return out;
}

function readOne(id: string, v: Uint8Array, critical: boolean, out: CertificateExtensions): void {
  const top = (): Tlv => readTlv(v, 0);
  switch (id) {
    case OID.keyUsage: {
      const bits = contentOf(v, top());
      const set = new Set<KeyUsageBit>();
      KEY_USAGE_BITS.forEach((name, i) => {
        if (((bits[1 + (i >> 3)] ?? 0) >> (7 - (i & 7))) & 1) set.add(name);
      });
      out.keyUsage = set;
      return;
    }
    case OID.extKeyUsage:
      out.extKeyUsage = childrenOf(v, top()).map((o) => oidOf(v, o) ?? '?');
      out.extKeyUsageCritical = critical;
      return;
    case OID.basicConstraints:
      for (const c of childrenOf(v, top())) {
        if (c.tag === 1) out.isCa = contentOf(v, c)[0] !== 0;
        else if (c.tag === 2) out.pathLen = integer(contentOf(v, c));
      }
      return;
    case OID.subjectKeyIdentifier:
      out.subjectKeyId = hex(contentOf(v, top()));
      return;
    case OID.authorityKeyIdentifier: {
      const keyId = childrenOf(v, top()).find((c) => c.cls === 2 && c.tag === 0 && !c.constructed);
      out.authorityKeyId = keyId ? hex(contentOf(v, keyId)) : undefined;
      return;
    }
    case OID.crlDistributionPoints:
      // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } … }
      for (const dp of childrenOf(v, top())) {
        const name = childrenOf(v, dp).find((c) => c.cls === 2 && c.tag === 0);
        const full = name && childrenOf(v, name).find((c) => c.cls === 2 && c.tag === 0);
        if (full) out.crlUrls.push(...uris(v, childrenOf(v, full)));
      }
      return;
    case OID.authorityInfoAccess:
      for (const ad of childrenOf(v, top())) {
        const [method, location] = childrenOf(v, ad);
        const url = location ? uris(v, [location]) : [];
        const m = method && oidOf(v, method);
        if (m === OID.adOcsp) out.ocspUrls.push(...url);
        else if (m === OID.adCaIssuers) out.caIssuerUrls.push(...url);
      }
      return;
    case OID.ocspNoCheck:
      out.ocspNoCheck = true;
      return;
  }
}

/** uniformResourceIdentifier [6] IA5String among GeneralNames. */
function uris(v: Uint8Array, names: readonly Tlv[]): string[] {
  return names.filter((n) => n.cls === 2 && n.tag === 6 && !n.constructed).map((n) => Buffer.from(contentOf(v, n)).toString('latin1'));
}

function integer(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes.subarray(0, 6)) n = n * 256 + b;
  return n;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
