import { PDFDict, PDFHexString, PDFInvalidObject, PDFName, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import type { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { ContentsOverflowError } from './errors.ts';

/** What goes into a signature dictionary (ISO 32000-1 §12.8.1, Table 252). */
export interface SignatureDictionaryOptions {
  readonly kind: 'signature' | 'timestamp';
  /** Bytes reserved for the DER container in /Contents (written as twice as many hex digits). */
  readonly contentsLength: number;
  /** /M — the claimed signing time; PAdES puts it here, not in the CMS (ETSI EN 319 142-1 §5.3). */
  readonly signingTime?: Date | undefined;
  readonly reason?: string | undefined;
  readonly location?: string | undefined;
  readonly contactInfo?: string | undefined;
  /** DocMDP /P for a certification signature (§12.8.2.2); absent for approval signatures. */
  readonly docMdp?: 1 | 2 | 3 | undefined;
  /** The signed field's /Lock (§12.7.4.5): written on as a FieldMDP reference (§12.8.2.4), as Acrobat does. */
  readonly fieldLock?: PDFDict | undefined;
}

/** A signature dictionary written as raw bytes, with the positions of its two placeholders. */
export interface SignatureDictionaryTemplate {
  readonly object: PDFInvalidObject;
  /** Offset (within the object body) of the first byte inside `/ByteRange [`…`]`. */
  readonly byteRangeAt: number;
  readonly byteRangeWidth: number;
  /** Offset (within the object body) of the `<` that opens /Contents. */
  readonly contentsAt: number;
  readonly contentsLength: number;
}

/** Room for four 10-digit integers: files up to 9.3 GB. */
const BYTE_RANGE_WIDTH = 4 * 11 - 1;

/**
 * Builds the signature (or document time-stamp) dictionary with a fixed-width /ByteRange
 * and a zero-filled /Contents, so that filling them in later moves no byte
 * (ISO 32000-1 §12.8.1; ETSI EN 319 142-1 §5.4.3 for /SubFilter).
 */
export function signatureDictionary(ctx: PDFContext, o: SignatureDictionaryOptions): SignatureDictionaryTemplate {
  const text = (s: string): string => PDFHexString.fromText(s).toString();
  let head = '<<\n';
  if (o.kind === 'signature') {
    head += '/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n';
    if (o.signingTime) head += `/M ${PDFString.fromDate(o.signingTime).toString()}\n`;
    if (o.reason) head += `/Reason ${text(o.reason)}\n`;
    if (o.location) head += `/Location ${text(o.location)}\n`;
    if (o.contactInfo) head += `/ContactInfo ${text(o.contactInfo)}\n`;
    const references = [
      ...(o.docMdp ? [ctx.obj({ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: o.docMdp, V: '1.2' } })] : []),
      ...(o.fieldLock ? [fieldMdpReference(ctx, o.fieldLock)] : []),
    ];
    if (references.length > 0) head += `/Reference ${ctx.obj(references).toString()}\n`;
  } else {
    head += '/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n';
  }
  head += '/ByteRange [';
  const byteRangeAt = head.length;
  head += ' '.repeat(BYTE_RANGE_WIDTH) + ']\n/Contents ';
  const contentsAt = head.length;
  const body = Buffer.alloc(contentsAt + 2 + 2 * o.contentsLength + 3, 0x30);
  body.write(head, 0, 'latin1');
  body[contentsAt] = 0x3c; // <
  body.write('>\n>>', contentsAt + 1 + 2 * o.contentsLength, 'latin1');
  return { object: PDFInvalidObject.of(body), byteRangeAt, byteRangeWidth: BYTE_RANGE_WIDTH, contentsAt, contentsLength: o.contentsLength };
}

function fieldMdpReference(ctx: PDFContext, lock: PDFDict): PDFDict {
  const params = ctx.obj({ Type: 'TransformParams', V: '1.2' });
  for (const key of ['Action', 'Fields']) {
    const value = lock.get(PDFName.of(key));
    if (value !== undefined) params.set(PDFName.of(key), value);
  }
  return ctx.obj({ Type: 'SigRef', TransformMethod: 'FieldMDP', TransformParams: params });
}

/** Writes `[a b c d]`'s numbers into the fixed-width placeholder, padding with spaces. */
export function fillByteRange(bytes: Uint8Array, at: number, byteRange: readonly number[]): void {
  const s = byteRange.join(' ');
  if (s.length > BYTE_RANGE_WIDTH) throw new RangeError('byte range does not fit its placeholder');
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(s.padEnd(BYTE_RANGE_WIDTH, ' '), at, 'latin1');
}

/** Writes `der` as hex into /Contents at `contentsAt` (the `<`), leaving the zero padding after it. */
export function fillContents(bytes: Uint8Array, contentsAt: number, reserved: number, der: Uint8Array): void {
  if (der.length > reserved) throw new ContentsOverflowError({ needed: der.length, reserved });
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(Buffer.from(der).toString('hex'), contentsAt + 1, 'latin1');
}

/** A revision written with its signature placeholders, /ByteRange already filled in. */
export interface LaidOutRevision {
  readonly bytes: Uint8Array;
  /** [0, start of `<` of /Contents, end after its `>`, length of the rest] (ISO 32000-1 §12.8.1). */
  readonly byteRange: readonly [number, number, number, number];
  /** The two covered spans, for hashing. */
  readonly covered: readonly [Uint8Array, Uint8Array];
}

/** Writes `w`'s revision, in which `signature` holds `template`, and fixes its /ByteRange. */
export function writeWithPlaceholders(w: IncrementalWriter, signature: PDFRef, template: SignatureDictionaryTemplate): LaidOutRevision {
  const { bytes, bodyOffsets } = w.writeRevision();
  const body = bodyOffsets.get(signature.objectNumber);
  if (body === undefined) throw new RangeError('the signature dictionary was not written in this revision');
  const contentsAt = body + template.contentsAt;
  const contentsEnd = contentsAt + 2 * template.contentsLength + 2;
  const byteRange = [0, contentsAt, contentsEnd, bytes.length - contentsEnd] as const;
  fillByteRange(bytes, body + template.byteRangeAt, byteRange);
  return { bytes, byteRange, covered: [bytes.subarray(0, contentsAt), bytes.subarray(contentsEnd)] };
}
