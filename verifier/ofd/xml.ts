/**
 * OFD's XML parts read with fast-xml-parser, namespace prefixes dropped (real files use
 * `ofd:` or none). A document type declaration is refused outright: OFD (GB/T 33190) has
 * none, and refusing it keeps entity expansion (billion laughs, external entities) out.
 * Every element becomes an array of nodes, attributes are `@`-prefixed strings.
 */
import { XMLParser } from 'fast-xml-parser';
import { OfdFormatError } from '../errors.ts';

/** A parsed element: child elements by local name (always arrays), `@Attr` strings, `#text`. */
export type XmlNode = { readonly [key: string]: unknown };

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

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses `bytes` (entry `entry`, for messages); throws {@link OfdFormatError}. */
export function parseXml(bytes: Uint8Array, entry: string): XmlNode {
  const text = decode(bytes, entry);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new OfdFormatError({ entry, message: 'a document type declaration, which OFD does not use, is refused' });
  let parsed: unknown;
  try {
    parsed = PARSER.parse(text);
  } catch (cause) {
    throw new OfdFormatError({ entry, message: `not well-formed XML: ${(cause as Error).message?.slice(0, 200)}`, cause });
  }
  if (!parsed || typeof parsed !== 'object') throw new OfdFormatError({ entry, message: 'no XML element' });
  return parsed as XmlNode;
}

/** The root element, which must be named `name`. */
export function rootElement(doc: XmlNode, name: string, entry: string): XmlNode {
  const root = children(doc, name)[0];
  if (!root) throw new OfdFormatError({ entry, message: `the root element is not ${name}` });
  return root;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  if (!Array.isArray(v)) return [];
  return v.map((c) => (typeof c === 'object' && c !== null ? (c as XmlNode) : { '#text': String(c) }));
}

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined => children(node, name)[0];

export function textOf(node: XmlNode | undefined): string | undefined {
  const t = node?.['#text'];
  return t === undefined || t === null ? undefined : String(t).trim();
}

export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}

function decode(bytes: Uint8Array, entry: string): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  try {
    if (declared && declared !== 'utf-8' && declared !== 'utf8') return new TextDecoder(declared, { fatal: true }).decode(bytes);
    return UTF8.decode(bytes).replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new OfdFormatError({ entry, message: `text is not valid ${declared ?? 'UTF-8'}`, cause });
  }
}
