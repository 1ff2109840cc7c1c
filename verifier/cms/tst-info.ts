/**
 * The TSTInfo of an RFC 3161 time-stamp token (RFC 3161 §2.4.2): what the verifier needs
 * of it — the message imprint and genTime.
 *
 * A token in the usual shape is read with the TLV walker; pkijs's schema matching costs
 * more than checking the token's signature. Anything else (extensions, a constructed
 * OCTET STRING, a genTime that is not `YYYYMMDDhhmmss[.f]Z`) goes through pkijs, so both
 * paths accept and reject the same tokens and read the same values.
 */
import * as asn1js from 'asn1js';
import { TSTInfo } from 'pkijs';
import { childrenOf, contentOf, oidOf, readTlv, type Tlv } from './der.ts';

export interface TstInfo {
  /** OID of the imprint's hash algorithm. */
  readonly imprintAlgorithm: string;
  readonly imprint: Uint8Array;
  /** Invalid (NaN) when the token's genTime cannot be read as a date. */
  readonly genTime: Date;
}

/** @throws Error when `der` is not a TSTInfo (the message says why). */
export function readTstInfo(der: Uint8Array): TstInfo {
  let fast: TstInfo | undefined;
  try {
    fast = canonical(der);
  } catch {
    fast = undefined;
  }
  if (fast) return fast;
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1) throw new Error('TSTInfo is not BER');
  const info = new TSTInfo({ schema: asn1.result });
  return {
    imprintAlgorithm: info.messageImprint.hashAlgorithm.algorithmId,
    imprint: info.messageImprint.hashedMessage.valueBlock.valueHexView,
    genTime: info.genTime,
  };
}

const UNIVERSAL = 0;
const CONTEXT = 2;
const is = (t: Tlv | undefined, cls: number, tag: number, constructed: boolean): t is Tlv =>
  t !== undefined && t.cls === cls && t.tag === tag && t.constructed === constructed;

/**
 * TSTInfo ::= SEQUENCE { version INTEGER, policy OID, messageImprint SEQUENCE {
 * hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }, serialNumber INTEGER,
 * genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
 * nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] OPTIONAL }.
 * Undefined for anything outside the usual shape.
 */
function canonical(der: Uint8Array): TstInfo | undefined {
  const top = readTlv(der, 0);
  if (top.end !== der.length || !is(top, UNIVERSAL, 16, true)) return undefined;
  const [version, policy, imprint, serial, genTime, ...rest] = childrenOf(der, top);
  if (!is(version, UNIVERSAL, 2, false) || !is(policy, UNIVERSAL, 6, false) || !oidOf(der, policy)) return undefined;
  if (!is(imprint, UNIVERSAL, 16, true) || !is(serial, UNIVERSAL, 2, false) || !is(genTime, UNIVERSAL, 24, false)) return undefined;
  const [algorithm, hashed, ...more] = childrenOf(der, imprint);
  if (!is(algorithm, UNIVERSAL, 16, true) || !is(hashed, UNIVERSAL, 4, false) || more.length > 0) return undefined;
  const [oid, ...params] = childrenOf(der, algorithm);
  const imprintAlgorithm = oid && is(oid, UNIVERSAL, 6, false) ? oidOf(der, oid) : undefined;
  if (!imprintAlgorithm || params.length > 1) return undefined;
  // The optional fields, each at most once and in order; extensions go the long way.
  const optional: [number, number, boolean][] = [[UNIVERSAL, 16, true], [UNIVERSAL, 1, false], [UNIVERSAL, 2, false], [CONTEXT, 0, true]];
  let next = 0;
  for (const t of rest) {
    while (next < optional.length && !is(t, ...optional[next]!)) next++;
    if (next === optional.length) return undefined;
    if (next === 0 && !plainAccuracy(der, t)) return undefined;
    if (next === 3 && !oneGeneralName(der, t)) return undefined;
    next++;
  }
  const time = generalizedTimeZ(der, genTime);
  if (!time) return undefined;
  return { imprintAlgorithm, imprint: contentOf(der, hashed), genTime: time };
}

/** Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] OPTIONAL, micros [1] OPTIONAL }. */
function plainAccuracy(der: Uint8Array, t: Tlv): boolean {
  const allowed: [number, number][] = [[UNIVERSAL, 2], [CONTEXT, 0], [CONTEXT, 1]];
  let next = 0;
  for (const c of childrenOf(der, t)) {
    while (next < allowed.length && !is(c, allowed[next]![0], allowed[next]![1], false)) next++;
    if (next === allowed.length) return false;
    next++;
  }
  return true;
}

/** tsa [0] holding one GeneralName in a form with a plain structure (rfc822Name, dNSName, directoryName, URI). */
function oneGeneralName(der: Uint8Array, t: Tlv): boolean {
  const names = childrenOf(der, t);
  const n = names[0];
  if (names.length !== 1 || !n || n.cls !== CONTEXT) return false;
  if (n.tag === 4) return n.constructed && childrenOf(der, n).length === 1 && childrenOf(der, n)[0]!.tag === 16;
  return !n.constructed && (n.tag === 1 || n.tag === 2 || n.tag === 6);
}

const GENERALIZED_Z = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/;

/** `YYYYMMDDhhmmss[.f]Z` (RFC 3161 §2.4.2), read as asn1js reads it (milliseconds floored). */
function generalizedTimeZ(der: Uint8Array, t: Tlv): Date | undefined {
  const m = GENERALIZED_Z.exec(Buffer.from(contentOf(der, t)).toString('latin1'));
  if (!m) return undefined;
  const ms = m[7] ? Math.floor(1000 * Number(`0${m[7]}`)) : 0;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}
