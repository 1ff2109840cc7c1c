import { fill, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor, type PDFOperator } from 'pdf-lib';
import QRCode from 'qrcode';

/** Quiet zone around the symbol, in modules (ISO/IEC 18004:2015 §6.3.8 asks for 4). */
const QUIET_ZONE = 4;

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
  for (let r = 0; r < symbol.size; r++) {
    const top = y + side - (QUIET_ZONE + r) * m;
    for (let c = 0; c < symbol.size; ) {
      if (!symbol.dark(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < symbol.size && symbol.dark(r, end)) end++;
      ops.push(rectangle(round(x + (QUIET_ZONE + c) * m), round(top - m), round((end - c) * m), round(m)));
      c = end;
    }
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}
