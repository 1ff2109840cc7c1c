import { fill, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor, type PDFOperator } from 'pdf-lib';
import QRCode from 'qrcode';

/** Quiet zone around the symbol, in modules (ISO/IEC 18004:2015 §6.3.8 asks for 4). */
export const QUIET_ZONE = 4;

export interface QrSymbol {
  /** Modules per side. */
  readonly size: number;
  readonly dark: (row: number, col: number) => boolean;
}

/** Encodes `text` (byte mode, UTF-8) at error-correction level M. */
export function qrSymbol(text: string): QrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (r, c) => modules.get(r, c) === 1 };
}

/** A horizontal run of dark modules: `length` modules from (`row`, `col`), quiet zone not counted. */
export interface QrRun {
  readonly row: number;
  readonly col: number;
  readonly length: number;
}

/** The symbol's dark modules as horizontal runs, row by row from the top. */
export function* qrRuns(symbol: QrSymbol): Generator<QrRun> {
  for (let row = 0; row < symbol.size; row++) {
    for (let col = 0; col < symbol.size; ) {
      if (!symbol.dark(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < symbol.size && symbol.dark(row, end)) end++;
      yield { row, col, length: end - col };
      col = end;
    }
  }
}

/**
 * PDF operators that paint a QR symbol as vector rectangles in a square of side `side`
 * points whose lower-left corner is (x, y), quiet zone included. Horizontal runs of dark
 * modules become one rectangle each, and all of them one path filled once, so the
 * operators stay small and the symbol scales without blur.
 */
export function qrOperators(symbol: QrSymbol, x: number, y: number, side: number): PDFOperator[] {
  const m = side / (symbol.size + 2 * QUIET_ZONE);
  const ops: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  for (const { row, col, length } of qrRuns(symbol)) {
    const top = y + side - (QUIET_ZONE + row) * m;
    ops.push(rectangle(round(x + (QUIET_ZONE + col) * m), round(top - m), round(length * m), round(m)));
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}
