import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, type PDFRawStream } from 'pdf-lib';
import { undoPredictor } from '../../common/index.ts';
import { PdfReadError } from './errors.ts';

const FILTER = PDFName.of('Filter');
const DECODE_PARMS = PDFName.of('DecodeParms');
const FLATE = PDFName.of('FlateDecode');

/**
 * Decodes a stream's data (ISO 32000-1 §7.4): FlateDecode with node:zlib, anything else
 * pdf-lib decodes, then the predictors of §7.4.4.4 that pdf-lib lacks and that
 * cross-reference and object streams written by qpdf, Acrobat and others use.
 */
export function decodeStream(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(FILTER);
  const parms = stream.dict.get(DECODE_PARMS);
  let data: Uint8Array;
  let lastParms: PDFDict | undefined;
  try {
    if (filter === undefined) {
      data = stream.contents;
    } else if (filter === FLATE || (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === FLATE)) {
      data = inflateSync(stream.contents);
      lastParms = parms instanceof PDFDict ? parms : parms instanceof PDFArray ? asDict(parms.get(0)) : undefined;
    } else {
      data = decodePDFRawStream(stream).decode();
      if (parms instanceof PDFDict) lastParms = parms;
      else if (parms instanceof PDFArray) lastParms = asDict(parms.get(parms.size() - 1));
    }
  } catch (cause) {
    throw new PdfReadError({ message: `pdf: stream data cannot be decoded (${String(filter)})`, cause });
  }
  if (!lastParms) return data;
  const number = (key: string): number | undefined => {
    const v = lastParms.get(PDFName.of(key));
    return v instanceof PDFNumber ? v.asNumber() : undefined;
  };
  const fail = (message: string): never => {
    throw new PdfReadError({ message: `pdf: ${message}` });
  };
  return undoPredictor(data, { predictor: number('Predictor') ?? 1, colors: number('Colors'), bitsPerComponent: number('BitsPerComponent'), columns: number('Columns') }, fail);
}

const asDict = (o: unknown): PDFDict | undefined => (o instanceof PDFDict ? o : undefined);
