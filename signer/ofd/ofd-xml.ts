/**
 * The little XML signOfd and the OFD writer need: escaping for what they write, and the
 * parts of received packages read as the verifier reads them (common/ofd-xml-parser.ts),
 * failures as {@link OfdReadError} naming the entry.
 */
import { decodeOfdXml, parseOfdXml, xmlChildren, type XmlNode } from '../../common/ofd-xml-parser.ts';
import { OfdReadError } from './errors.ts';

export { xmlChildren as elements, xmlText as textOf, xmlAttribute as attributeOf, type XmlNode as XmlElement } from '../../common/ofd-xml-parser.ts';

/** The OFD namespace (GB/T 33190 §7.1). */
export const OFD_NS = 'http://www.ofdspec.org/2016';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A number as OFD writes lengths in millimetres: at most three decimals, no trailing zeros. */
export const mm = (v: number): string => String(Math.round(v * 1000) / 1000 + 0);

/** The root element of `bytes`, which must be named `root`. @throws {@link OfdReadError} */
export function parseOfdPart(bytes: Uint8Array, entry: string, root: string): XmlNode {
  const parsed = parseOfdXml(bytes);
  if (!parsed.ok) throw new OfdReadError({ entry, message: parsed.message, cause: parsed.cause });
  const element = xmlChildren(parsed.value, root)[0];
  if (!element) throw new OfdReadError({ entry, message: `the root element is not ${root}` });
  return element;
}

/**
 * The text of a part signOfd edits in place, and its bytes again after the edit: UTF-8,
 * with the declaration saying so when the part came in another encoding.
 * @throws {@link OfdReadError}
 */
export function editablePart(bytes: Uint8Array, entry: string): { text: string; encode: (text: string) => Uint8Array } {
  const decoded = decodeOfdXml(bytes);
  if (!decoded.ok) throw new OfdReadError({ entry, message: decoded.message, cause: decoded.cause });
  return {
    text: decoded.value,
    encode: (text) => new TextEncoder().encode(text.replace(/^(\s*<\?xml[^>]*encoding\s*=\s*)(["'])[A-Za-z0-9._-]+\2/, '$1$2UTF-8$2')),
  };
}
