/**
 * How OFD's XML parts are read, by the signer (which seals received packages) and the
 * verifier alike: text decoded as the XML declaration says (Chinese tools write GB 18030
 * too), a document type declaration refused (OFD, GB/T 33190, has none, and refusing it
 * keeps entity expansion — billion laughs, external entities — out), then fast-xml-parser
 * with namespace prefixes dropped (real files use `ofd:` or none), every element an array
 * of nodes, attributes `@`-prefixed strings, values left as text.
 */
import { XMLParser } from 'fast-xml-parser';

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

/** Why a part could not be read; each caller wraps it in its own error type. */
export type OfdXmlResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string; readonly cause?: unknown };

/** The text of an XML part in the encoding its declaration names (UTF-8 without one), BOM dropped. */
export function decodeOfdXml(bytes: Uint8Array): OfdXmlResult<string> {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  try {
    if (declared && declared !== 'utf-8' && declared !== 'utf8') return { ok: true, value: new TextDecoder(declared, { fatal: true }).decode(bytes) };
    return { ok: true, value: UTF8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch (cause) {
    return { ok: false, message: `text is not valid ${declared ?? 'UTF-8'}`, cause };
  }
}

/** Parses an XML part: the document node, or why not. */
export function parseOfdXml(bytes: Uint8Array): OfdXmlResult<XmlNode> {
  const text = decodeOfdXml(bytes);
  if (!text.ok) return text;
  if (/<!DOCTYPE|<!ENTITY/i.test(text.value)) return { ok: false, message: 'a document type declaration, which OFD does not use, is refused' };
  let parsed: unknown;
  try {
    parsed = PARSER.parse(text.value);
  } catch (cause) {
    return { ok: false, message: `not well-formed XML: ${(cause as Error).message?.slice(0, 200)}`, cause };
  }
  if (!parsed || typeof parsed !== 'object') return { ok: false, message: 'no XML element' };
  return { ok: true, value: parsed as XmlNode };
}

export function xmlChildren(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  if (!Array.isArray(v)) return [];
  return v.map((c) => (typeof c === 'object' && c !== null ? (c as XmlNode) : { '#text': String(c) }));
}

export function xmlText(node: XmlNode | undefined): string | undefined {
  const t = node?.['#text'];
  return t === undefined || t === null ? undefined : String(t).trim();
}

export function xmlAttribute(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}
