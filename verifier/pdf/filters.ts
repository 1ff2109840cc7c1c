/**
 * Stream filters (ISO 32000-1 §7.4) the verifier needs: FlateDecode with PNG/TIFF
 * predictors (xref and object streams, DSS data, XMP, attachments), ASCIIHexDecode and
 * ASCII85Decode. Output is bounded per stream and per verification (zip bombs).
 */
import zlib from 'node:zlib';
import { undoPredictor } from '../../common/index.ts';
import { LimitExceededError, PdfSyntaxError } from '../errors.ts';
import type { Budget } from '../limits.ts';
import { hexValue, isHex, isWhite } from './lexer.ts';
import { PdfArray, PdfDict, PdfName, PdfStream, type PdfObject } from './objects.ts';

export type Deref = (o: PdfObject | undefined) => PdfObject | undefined;

const MAX_FILTERS = 8;

/** The decoded data of `stream`. Throws {@link PdfSyntaxError} or {@link LimitExceededError}. */
export function decodeStream(stream: PdfStream, budget: Budget, deref: Deref): Uint8Array {
  const filters = asList(deref(stream.dict.get('Filter')), deref);
  const parms = asList(deref(stream.dict.get('DecodeParms')), deref);
  if (filters.length > MAX_FILTERS) throw new PdfSyntaxError({ message: `more than ${MAX_FILTERS} filters`, offset: stream.dataStart });
  let data: Uint8Array = stream.raw;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw new PdfSyntaxError({ message: 'filter is not a name', offset: stream.dataStart });
    const p = parms[i];
    data = applyFilter(f.value, data, p instanceof PdfDict ? p : undefined, budget, deref);
  });
  return data;
}

function asList(o: PdfObject | undefined, deref: Deref): PdfObject[] {
  if (o === undefined || o === null) return [];
  if (o instanceof PdfArray) return o.items.map((x) => deref(x) ?? null);
  return [o];
}

function applyFilter(name: string, data: Uint8Array, parms: PdfDict | undefined, budget: Budget, deref: Deref): Uint8Array {
  const max = budget.limits.maxStreamBytes;
  let out: Uint8Array;
  switch (name) {
    case 'FlateDecode':
    case 'Fl':
      out = inflate(data, max);
      break;
    case 'ASCIIHexDecode':
    case 'AHx':
      out = asciiHex(data);
      break;
    case 'ASCII85Decode':
    case 'A85':
      out = ascii85(data);
      break;
    default:
      throw new PdfSyntaxError({ message: `unsupported filter /${name.slice(0, 32)}` });
  }
  budget.chargeDecoded(out.length);
  const predictor = parms ? deref(parms.get('Predictor')) : undefined;
  if (typeof predictor === 'number' && predictor > 1 && (name === 'FlateDecode' || name === 'Fl')) {
    const fail = (message: string): never => {
      throw new PdfSyntaxError({ message });
    };
    out = undoPredictor(out, { predictor, colors: deref(parms!.get('Colors')), bitsPerComponent: deref(parms!.get('BitsPerComponent')), columns: deref(parms!.get('Columns')) }, fail);
  }
  return out;
}

function inflate(data: Uint8Array, max: number): Uint8Array {
  try {
    // Z_SYNC_FLUSH accepts a truncated stream (common in the wild) instead of throwing.
    return zlib.inflateSync(data, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new LimitExceededError({ limit: 'maxStreamBytes', message: `a stream inflates beyond ${max} bytes` });
    }
    throw new PdfSyntaxError({ message: `corrupt Flate data: ${(e as Error).message}`, cause: e });
  }
}

function asciiHex(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    if (isWhite(c)) continue;
    if (!isHex(c)) throw new PdfSyntaxError({ message: 'bad ASCIIHex data' });
    if (high < 0) high = hexValue(c);
    else {
      out.push(high * 16 + hexValue(c));
      high = -1;
    }
  }
  if (high >= 0) out.push(high * 16);
  return Uint8Array.from(out);
}

function ascii85(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const group: number[] = [];
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break;
    if (isWhite(c)) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new PdfSyntaxError({ message: 'bad ASCII85 data' });
    group.push(c - 0x21);
    if (group.length === 5) {
      const v = group.reduce((a, d) => a * 85 + d, 0);
      if (v > 0xffffffff) throw new PdfSyntaxError({ message: 'bad ASCII85 group' });
      out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
      group.length = 0;
    }
  }
  if (group.length === 1) throw new PdfSyntaxError({ message: 'bad ASCII85 tail' });
  if (group.length > 1) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    const v = group.reduce((a, d) => a * 85 + d, 0);
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, n - 1));
  }
  return Uint8Array.from(out);
}

