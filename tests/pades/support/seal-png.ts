import { UPNG } from '../../../signer/pdf/upng.ts';

/**
 * A red round seal picture, `size` pixels square: a ring and a five-pointed star on a
 * transparent background. Transparent pixels are black with alpha 0, so a renderer that
 * loses the soft mask paints black corners — which the rendering test would see.
 */
export function redSealPng(size = 240): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const c = size / 2;
  const outer = size * 0.48;
  const inner = size * 0.42;
  const star = starPolygon(c, c, size * 0.2, size * 0.08);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
      const i = (y * size + x) * 4;
      const onRing = d <= outer && d >= inner;
      const onStar = inside(star, x + 0.5, y + 0.5);
      if (onRing || onStar) {
        rgba[i] = 220;
        rgba[i + 1] = 20;
        rgba[i + 2] = 30;
        rgba[i + 3] = 230;
      }
    }
  }
  return new Uint8Array(UPNG.encode([rgba.buffer], size, size, 0));
}

function starPolygon(cx: number, cy: number, r1: number, r2: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? r1 : r2;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return pts;
}

function inside(poly: [number, number][], x: number, y: number): boolean {
  let odd = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}
