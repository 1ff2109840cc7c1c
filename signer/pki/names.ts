import * as asn1js from 'asn1js';
import { AttributeTypeAndValue, RelativeDistinguishedNames } from 'pkijs';
import { PkiInputError } from './errors.ts';
import { oid } from '../cms/oids.ts';

/**
 * A distinguished name as the service writes it (RFC 5280 §4.1.2.6). Chinese text is
 * encoded as UTF8String, as RFC 5280 §4.1.2.4 requires of new certificates.
 */
export interface DistinguishedName {
  /** ISO 3166 alpha-2, PrintableString; 'CN' by default. */
  readonly country?: string;
  readonly stateOrProvince?: string;
  readonly locality?: string;
  /** 单位名称, e.g. the department's name. */
  readonly organization?: string;
  readonly organizationalUnit?: string;
  /**
   * ETSI EN 319 412-1 §5.1.4 legal-person identifier: `NTRCN-` + 统一社会信用代码 (GB 32100-2015).
   * Use {@link usccIdentifier} to build it.
   */
  readonly organizationIdentifier?: string;
  readonly serialNumber?: string;
  readonly commonName: string;
}

/** The organizationIdentifier for a 统一社会信用代码: national trade register, China (ETSI EN 319 412-1 §5.1.4). */
export const usccIdentifier = (uscc: string): string => `NTRCN-${uscc}`;

// Order of the RDN sequence, most significant first (X.501).
const attributes: readonly [keyof DistinguishedName, string, string][] = [
  ['country', oid.countryName, 'C'],
  ['stateOrProvince', oid.stateOrProvinceName, 'ST'],
  ['locality', oid.localityName, 'L'],
  ['organization', oid.organizationName, 'O'],
  ['organizationalUnit', oid.organizationalUnitName, 'OU'],
  ['organizationIdentifier', oid.organizationIdentifier, 'organizationIdentifier'],
  ['serialNumber', oid.serialNumber, 'serialNumber'],
  ['commonName', oid.commonName, 'CN'],
];

const shortNames = new Map(attributes.map(([, type, short]) => [type, short]));

/** Upper bounds of RFC 5280 Appendix A.1 (ub-common-name 64, ub-organization-name 64, …). */
const upperBounds: Partial<Record<keyof DistinguishedName, number>> = {
  commonName: 64,
  organization: 64,
  organizationalUnit: 64,
  locality: 128,
  stateOrProvince: 128,
  serialNumber: 64,
};

export function buildName(name: DistinguishedName): RelativeDistinguishedNames {
  const typesAndValues: AttributeTypeAndValue[] = [];
  for (const [field, type] of attributes) {
    const value = field === 'country' ? (name.country ?? 'CN') : name[field];
    if (value === undefined) continue;
    const bound = upperBounds[field];
    if (value.length === 0 || (bound !== undefined && [...value].length > bound)) {
      throw new PkiInputError({ field: `subject.${field}`, message: `subject.${field} must have 1 to ${bound ?? 'many'} characters`, standard: 'RFC 5280 Appendix A.1' });
    }
    let asn1: asn1js.BaseStringBlock;
    if (field === 'country' || field === 'serialNumber') {
      if (!/^[A-Za-z0-9 '()+,\-./:=?]+$/.test(value) || (field === 'country' && !/^[A-Z]{2}$/.test(value))) {
        throw new PkiInputError({ field: `subject.${field}`, message: `subject.${field} must be a PrintableString${field === 'country' ? ' of two capital letters' : ''}`, standard: 'RFC 5280 §4.1.2.4' });
      }
      asn1 = new asn1js.PrintableString({ value });
    } else {
      asn1 = new asn1js.Utf8String({ value });
    }
    typesAndValues.push(new AttributeTypeAndValue({ type, value: asn1 }));
  }
  // One attribute per RDN (SET): pkijs would put them all in one multi-valued RDN.
  const der = new asn1js.Sequence({ value: typesAndValues.map((tv) => new asn1js.Set({ value: [tv.toSchema()] })) }).toBER();
  return RelativeDistinguishedNames.fromBER(der);
}

/** RFC 4514 string form, most specific first: `CN=…,O=…,C=CN`. */
export function formatName(name: RelativeDistinguishedNames): string {
  return [...name.typesAndValues]
    .reverse()
    .map((tv) => `${shortNames.get(tv.type) ?? tv.type}=${escapeValue(String((tv.value as { valueBlock: { value: unknown } }).valueBlock.value ?? ''))}`)
    .join(',');
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
