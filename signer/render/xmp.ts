import type { LicenceMetadata } from '../licence/metadata.ts';

/** XMP namespace of zhengyin's licence properties: the GB/T 36903 metadata, field names as in `LicenceMetadata`. */
export const LICENCE_XMP_NAMESPACE = 'urn:zhengyin:xmp:licence:1/';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An xsd:dateTime with the offset written out (XMP Part 1 §8.2.1.1). */
function xmpDate(at: Date, utcOffsetMinutes = 480): string {
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(utcOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The document's XMP packet (ISO 16684-1; ISO 32000-1 §14.3.2): Dublin Core title,
 * identifier and creator, the XMP and PDF basics, and every GB/T 36903 field of the licence
 * in the `zyl:` namespace, face fields as a structure `zyl:face`.
 */
export function licenceXmp(meta: LicenceMetadata, createdAt: Date, producer: string): string {
  const scalar = (k: string, v: string | null) => `   <zyl:${k}>${v === null ? '' : escape(v)}</zyl:${k}>`;
  const fields = Object.entries(meta)
    .filter(([k]) => k !== 'face')
    .map(([k, v]) => scalar(k, v as string | null));
  const face = Object.entries(meta.face).map(([k, v]) => `    <zyl:${k}>${escape(v)}</zyl:${k}>`);
  const date = xmpDate(createdAt);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    `    xmlns:zyl="${LICENCE_XMP_NAMESPACE}">`,
    '   <dc:format>application/pdf</dc:format>',
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escape(meta.name)}</rdf:li></rdf:Alt></dc:title>`,
    `   <dc:identifier>${escape(meta.identifier)}</dc:identifier>`,
    `   <dc:creator><rdf:Seq><rdf:li>${escape(meta.issuer)}</rdf:li></rdf:Seq></dc:creator>`,
    `   <xmp:CreateDate>${date}</xmp:CreateDate>`,
    `   <xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `   <xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `   <xmp:CreatorTool>${escape(producer)}</xmp:CreatorTool>`,
    `   <pdf:Producer>${escape(producer)}</pdf:Producer>`,
    `   <pdf:Keywords>${escape(meta.identifier)}</pdf:Keywords>`,
    ...fields,
    '   <zyl:face rdf:parseType="Resource">',
    ...face,
    '   </zyl:face>',
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}
