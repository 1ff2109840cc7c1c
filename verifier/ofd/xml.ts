/**
 * OFD's XML parts read as common/ofd-xml-parser.ts reads them (namespace prefixes dropped,
 * a document type declaration refused), failures as {@link OfdFormatError} naming the entry.
 * Every element becomes an array of nodes, attributes are `@`-prefixed strings.
 */
import { parseOfdXml, xmlChildren, type XmlNode } from '../../common/ofd-xml-parser.ts';
import { OfdFormatError } from '../errors.ts';

export type { XmlNode } from '../../common/ofd-xml-parser.ts';
export { xmlChildren as children, xmlText as textOf, xmlAttribute as attribute } from '../../common/ofd-xml-parser.ts';

/** Parses `bytes` (entry `entry`, for messages); throws {@link OfdFormatError}. */
export function parseXml(bytes: Uint8Array, entry: string): XmlNode {
  const parsed = parseOfdXml(bytes);
  if (!parsed.ok) throw new OfdFormatError({ entry, message: parsed.message, cause: parsed.cause });
  return parsed.value;
}

/** The root element, which must be named `name`. */
export function rootElement(doc: XmlNode, name: string, entry: string): XmlNode {
  const root = xmlChildren(doc, name)[0];
  if (!root) throw new OfdFormatError({ entry, message: `the root element is not ${name}` });
  return root;
}

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined => xmlChildren(node, name)[0];
