/**
 * The little XML signOfd and the OFD writer need: escaping for what they write, and a
 * reader for OFD.xml, Document.xml, Signatures.xml and Signature.xml of received packages.
 * Namespace prefixes are dropped (files in the wild use `ofd:` or none); a document type
 * declaration is refused, since OFD has none and it is the door to entity expansion.
 */
import { XMLParser } from 'fast-xml-parser';
import { OfdReadError } from './errors.ts';

/** The OFD namespace (GB/T 33190 §7.1). */
export const OFD_NS = 'http://www.ofdspec.org/2016';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A number as OFD writes lengths in millimetres: at most three decimals, no trailing zeros. */
export const mm = (v: number): string => String(Math.round(v * 1000) / 1000 + 0);

/** A parsed element: child elements by local name (arrays), `@Attr` strings, `#text`. */
export type XmlElement = { readonly [key: string]: unknown };

const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

/** The root element of `bytes`, which must be named `root`. @throws {@link OfdReadError} */
export function parseOfdXml(bytes: Uint8Array, entry: string, root: string): XmlElement {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new OfdReadError({ entry, message: 'not UTF-8', cause });
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new OfdReadError({ entry, message: 'a document type declaration, which OFD does not use, is refused' });
  let doc: XmlElement;
  try {
    doc = PARSER.parse(text) as XmlElement;
  } catch (cause) {
    throw new OfdReadError({ entry, message: 'not well-formed XML', cause });
  }
  const element = elements(doc, root)[0];
  if (!element) throw new OfdReadError({ entry, message: `the root element is not ${root}` });
  return element;
}

export function elements(node: XmlElement | undefined, name: string): XmlElement[] {
  const v = node?.[name];
  if (!Array.isArray(v)) return [];
  return v.map((c) => (typeof c === 'object' && c !== null ? (c as XmlElement) : { '#text': String(c) }));
}

export function textOf(node: XmlElement | undefined): string | undefined {
  const t = node?.['#text'];
  return t === undefined || t === null ? undefined : String(t).trim();
}

export function attributeOf(node: XmlElement | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}
