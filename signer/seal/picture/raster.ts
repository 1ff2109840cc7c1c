/**
 * A small anti-aliased polygon rasteriser: nonzero-winding fill of closed polygons into a
 * coverage mask (0..1 per pixel), with exact horizontal coverage on each of `SUB` sample
 * rows per pixel. Enough for seal pictures: circles, a star and glyph outlines.
 */

export type Point = readonly [number, number];
export type Polygon = readonly Point[];

const SUB = 5; // sample rows per pixel row

interface Edge {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** +1 downward, -1 upward (y grows downward in the raster). */
  readonly dir: 1 | -1;
}

export class CoverageMask {
  readonly width: number;
  readonly height: number;
  readonly coverage: Float32Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.coverage = new Float32Array(width * height);
  }

  /** Fills the union of `polygons` (pixel coordinates, y down) under the nonzero rule, adding to the mask. */
  fill(polygons: readonly Polygon[]): void {
    const edges: Edge[] = [];
    for (const poly of polygons) {
      for (let i = 0; i < poly.length; i++) {
        const [ax, ay] = poly[i]!;
        const [bx, by] = poly[(i + 1) % poly.length]!;
        if (ay === by) continue;
        edges.push(ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 });
      }
    }
    if (edges.length === 0) return;
    edges.sort((a, b) => a.y0 - b.y0);
    const row = new Float32Array(this.width + 1);
    const yMin = Math.max(0, Math.floor(edges[0]!.y0));
    const yMax = Math.min(this.height, Math.ceil(Math.max(...edges.map((e) => e.y1))));
    let next = 0;
    let active: Edge[] = [];
    const crossings: Array<[number, number]> = [];
    for (let py = yMin; py < yMax; py++) {
      row.fill(0);
      let touched = false;
      for (let s = 0; s < SUB; s++) {
        const y = py + (s + 0.5) / SUB;
        while (next < edges.length && edges[next]!.y0 <= y) active.push(edges[next++]!);
        active = active.filter((e) => e.y1 > y);
        crossings.length = 0;
        for (const e of active) if (e.y0 <= y) crossings.push([e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), e.dir]);
        if (crossings.length < 2) continue;
        crossings.sort((a, b) => a[0] - b[0]);
        let winding = 0;
        for (let i = 0; i < crossings.length - 1; i++) {
          winding += crossings[i]![1];
          if (winding !== 0) {
            this.#span(row, crossings[i]![0], crossings[i + 1]![0]);
            touched = true;
          }
        }
      }
      if (!touched) continue;
      const base = py * this.width;
      for (let x = 0; x < this.width; x++) {
        const c = row[x]! / SUB;
        if (c > 0) this.coverage[base + x] = Math.min(1, this.coverage[base + x]! + c);
      }
    }
  }

  /** Adds exact coverage of [xa, xb) on one sample row. */
  #span(row: Float32Array, xa: number, xb: number): void {
    const a = Math.max(0, xa);
    const b = Math.min(this.width, xb);
    if (b <= a) return;
    const ia = Math.floor(a);
    const ib = Math.floor(b);
    if (ia === ib) {
      row[ia]! += b - a;
      return;
    }
    row[ia]! += ia + 1 - a;
    for (let x = ia + 1; x < ib; x++) row[x]! += 1;
    if (ib < this.width) row[ib]! += b - ib;
  }
}

/** A circle as a polygon; `clockwise` reverses the winding (to cut a hole under nonzero). */
export function circle(cx: number, cy: number, r: number, clockwise = false, segments = 256): Polygon {
  const pts: Point[] = [];
  for (let i = 0; i < segments; i++) {
    const t = ((clockwise ? -1 : 1) * 2 * Math.PI * i) / segments;
    pts.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  return pts;
}

/** A five-pointed star centred at (cx, cy), one point straight up, outer radius r. */
export function star(cx: number, cy: number, r: number): Polygon {
  const inner = r * Math.sin(Math.PI / 10) / Math.sin((7 * Math.PI) / 10); // regular pentagram
  const pts: Point[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r : inner;
    const t = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push([cx + rr * Math.cos(t), cy + rr * Math.sin(t)]);
  }
  return pts;
}
