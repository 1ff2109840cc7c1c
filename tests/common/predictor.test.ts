import { describe, expect, it } from 'vitest';
import { undoPredictor } from '../../common/index.ts';

// Rows predicted by hand after RFC 2083 §6, so each PNG filter type is decoded at least once.
const fail = (message: string): never => {
  throw new Error(message);
};

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** PNG-predicts `rows` (each `columns * bpp` bytes) with one filter type per row. */
function predict(rows: number[][], types: number[], bpp: number): Uint8Array {
  const out: number[] = [];
  rows.forEach((row, r) => {
    const prev = r > 0 ? rows[r - 1]! : row.map(() => 0);
    out.push(types[r]!);
    row.forEach((x, i) => {
      const left = i >= bpp ? row[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      const guess = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][types[r]!]!;
      out.push((x - guess) & 0xff);
    });
  });
  return Uint8Array.from(out);
}

describe('undoPredictor (ISO 32000-1 §7.4.4.4)', () => {
  const rows = [
    [1, 200, 3, 4, 250, 6],
    [7, 8, 255, 0, 11, 12],
    [13, 14, 15, 16, 17, 18],
    [255, 254, 0, 1, 128, 127],
    [9, 99, 199, 29, 39, 49],
  ];

  it('undoes each PNG row type (None, Sub, Up, Average, Paeth) with two colours per pixel', () => {
    const predicted = predict(rows, [0, 1, 2, 3, 4], 2);
    const out = undoPredictor(predicted, { predictor: 12, colors: 2, columns: 3 }, fail);
    expect([...out]).toEqual(rows.flat());
  });

  it('undoes the TIFF predictor 2', () => {
    const row = [10, 20, 30, 40];
    const predicted = Uint8Array.from([10, 10, 10, 10]); // each byte the difference from its left neighbour
    expect([...undoPredictor(predicted, { predictor: 2, colors: 1, columns: 4 }, fail)]).toEqual(row);
  });

  it('passes predictor 1 through and treats nonsense parameters as their defaults', () => {
    const data = Uint8Array.from([1, 2, 3]);
    expect(undoPredictor(data, { predictor: 1 }, fail)).toBe(data);
    expect([...undoPredictor(Uint8Array.from([0, 5, 0, 6]), { predictor: 10, colors: -3, columns: 1e9, bitsPerComponent: 'x' }, fail)]).toEqual([5, 6]);
  });

  it('reports unknown predictors and row types through the caller’s error', () => {
    expect(() => undoPredictor(Uint8Array.from([0]), { predictor: 5 }, fail)).toThrow('unsupported predictor 5');
    expect(() => undoPredictor(Uint8Array.from([9, 1]), { predictor: 10 }, fail)).toThrow('bad PNG predictor row type 9');
    expect(() => undoPredictor(Uint8Array.from([1, 2]), { predictor: 2, bitsPerComponent: 16 }, fail)).toThrow('8 bits per component');
  });
});
