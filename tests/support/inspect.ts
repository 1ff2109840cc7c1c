// Reading signed PDFs without our own reader: /ByteRange by regular expression, CMS with
// pkijs, /DSS with pdf-lib.
import { inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

/** A signature found in the file bytes by its /ByteRange — independent of our reader. */
export interface FoundSignature {
  readonly byteRange: readonly [number, number, number, number];
  /** The bytes the signature covers: both spans, concatenated. */
  readonly covered: Buffer;
  /** The DER container in /Contents, zero padding removed. */
  readonly der: Buffer;
}

/** Every /ByteRange in the file, in file order, with its covered bytes and container. */
export function findSignatures(pdf: Uint8Array): FoundSignature[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: FoundSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
    const hex = text.slice(br[1] + 1, br[2] - 1);
    const raw = Buffer.from(hex, 'hex');
    out.push({
      byteRange: br,
      covered: Buffer.concat([Buffer.from(pdf.subarray(br[0], br[0] + br[1])), Buffer.from(pdf.subarray(br[2], br[2] + br[3]))]),
      der: raw.subarray(0, derLength(raw)),
    });
  }
  return out;
}

/** Length of the DER element at the start of `der` (X.690 §8.1.3). */
export function derLength(der: Uint8Array): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return 2 + n + len;
}

/** The SignedData of a CMS ContentInfo. */
export function signedDataOf(der: Uint8Array): pkijs.SignedData {
  const ci = pkijs.ContentInfo.fromBER(der);
  return new pkijs.SignedData({ schema: ci.content });
}

/** The signature time-stamp token in the first SignerInfo's unsigned attributes, if any. */
export function signatureTimestampToken(der: Uint8Array): Buffer | undefined {
  const si = signedDataOf(der).signerInfos[0]!;
  const attr = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
  return attr ? Buffer.from((attr.values[0] as asn1js.BaseBlock).toBER(false)) : undefined;
}

/** /DSS contents read with pdf-lib's full-file parser (not ours). */
export async function readDss(pdf: Uint8Array): Promise<{ certs: Buffer[]; crls: Buffer[]; ocsps: Buffer[] } | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  if (!dss) return undefined;
  const streams = (key: string): Buffer[] => {
    const arr = dss.lookupMaybe(PDFName.of(key), PDFArray);
    if (!arr) return [];
    return arr.asArray().map((ref) => {
      const s = doc.context.lookup(ref) as PDFRawStream;
      const filter = s.dict.get(PDFName.of('Filter'));
      return filter === PDFName.of('FlateDecode') ? inflateSync(s.contents) : Buffer.from(s.contents);
    });
  };
  return { certs: streams('Certs'), crls: streams('CRLs'), ocsps: streams('OCSPs') };
}

/** Number of `%%EOF` markers: one per revision for files we made. */
export const revisionCount = (pdf: Uint8Array): number => Buffer.from(pdf).toString('latin1').split('%%EOF').length - 1;
