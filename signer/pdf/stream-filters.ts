import { inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, type PDFRawStream } from 'pdf-lib';
import { PdfReadError } from './errors.ts';

const FILTER = PDFName.of('Filter');
const DECODE_PARMS = PDFName.of('DecodeParms');
const FLATE = PDFName.of('FlateDecode');

/**
 * Decodes a stream's data (ISO 32000-1 §7.4): FlateDecode with node:zlib, anything else
 * pdf-lib decodes, then the PNG predictors of §7.4.4.4 that pdf-lib lacks and that
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
  return lastParms ? undoPredictor(data, lastParms) : data;
}

const asDict = (o: unknown): PDFDict | undefined => (o instanceof PDFDict ? o : undefined);

function numberIn(dict: PDFDict, key: string, fallback: number): number {
  const v = dict.get(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : fallback;
}

/** Reverses the PNG row filters (predictors 10-15) of ISO 32000-1 §7.4.4.4 / RFC 2083 §6. */
function undoPredictor(data: Uint8Array, parms: PDFDict): Uint8Array {
  const predictor = numberIn(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  if (predictor < 10) throw new PdfReadError({ message: `pdf: TIFF predictor ${predictor} is not supported` });
  const colors = numberIn(parms, 'Colors', 1);
  const bpc = numberIn(parms, 'BitsPerComponent', 8);
  const columns = numberIn(parms, 'Columns', 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    const prev = dst - rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[prev + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[prev + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0: v = raw; break;
        case 1: v = raw + left; break;
        case 2: v = raw + up; break;
        case 3: v = raw + ((left + up) >> 1); break;
        case 4: v = raw + paeth(left, up, upLeft); break;
        default: throw new PdfReadError({ message: `pdf: unknown PNG predictor row type ${type}` });
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
