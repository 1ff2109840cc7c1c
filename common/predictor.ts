/** A stream's predictor parameters (ISO 32000-1 §7.4.4.4, table 8) as read from its /DecodeParms. */
export interface PredictorParms {
  readonly predictor: number;
  /** Raw values; anything but an integer from 1 to 4096 counts as absent (the default). */
  readonly colors?: unknown;
  readonly bitsPerComponent?: unknown;
  readonly columns?: unknown;
}

/**
 * Undoes a PNG (10-15) or TIFF (2) predictor (§7.4.4.4, RFC 2083 §6). The signer (pdf-lib
 * objects) and the verifier (its own bounded reader) read the parameters their own way and
 * turn an unsupported predictor into their own error through `fail`.
 */
export function undoPredictor(data: Uint8Array, parms: PredictorParms, fail: (message: string) => never): Uint8Array {
  const { predictor } = parms;
  if (predictor === 1) return data;
  const colors = parameter(parms.colors, 1);
  const bpc = parameter(parms.bitsPerComponent, 8);
  const columns = parameter(parms.columns, 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) fail('TIFF predictor supports 8 bits per component only');
    const out = Uint8Array.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i]! + out[r + i - bpp]!) & 0xff;
    }
    return out;
  }
  if (predictor < 10) fail(`unsupported predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const row = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? cur[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      const x = row[i]!;
      switch (type) {
        case 0: cur[i] = x; break;
        case 1: cur[i] = (x + left) & 0xff; break;
        case 2: cur[i] = (x + up) & 0xff; break;
        case 3: cur[i] = (x + ((left + up) >> 1)) & 0xff; break;
        case 4: cur[i] = (x + paeth(left, up, upLeft)) & 0xff; break;
        default: fail(`bad PNG predictor row type ${type}`);
      }
    }
    prev = cur;
  }
  return out;
}

const parameter = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 4096 ? v : fallback);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
