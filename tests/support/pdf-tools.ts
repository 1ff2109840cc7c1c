import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// poppler-utils and qpdf run on PDF files, as independent readers and renderers. Tests that
// need one skip through `skipWithout(…)` (tests/support/tools.ts).

/** Writes `pdf` to a fresh temporary file and returns its path. */
export function tempPdf(pdf: Uint8Array, name = 'licence.pdf'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-render-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return file;
}

/** Runs a tool; returns stdout and stderr (as text unless `binary`). Throws on a non-zero exit. */
export function run(tool: string, args: readonly string[]): { stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Page 1 as pdftoppm draws it: greyscale (PGM) or RGB (PPM), rows from the top of the page. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** 1 (grey) or 3 (RGB) bytes a pixel, row by row. */
  readonly pixels: Uint8Array;
  /** The channel values of the pixel at (x, y): [grey] or [r, g, b]. */
  pixel(x: number, y: number): number[];
}

/** Renders page 1 at `dpi` with pdftoppm, optionally cropped to a box in pixels, in grey or in colour. */
export function rasterise(file: string, dpi: number, options: { crop?: { x: number; y: number; w: number; h: number }; colour?: boolean } = {}): Raster {
  const args = [...(options.colour ? [] : ['-gray']), '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile'];
  const { crop } = options;
  if (crop) args.push('-x', String(crop.x), '-y', String(crop.y), '-W', String(crop.w), '-H', String(crop.h));
  const out = execFileSync('pdftoppm', [...args, file], { maxBuffer: 256 << 20 });
  // PGM / PPM (Netpbm): "P5|P6\n<w> <h>\n<max>\n" then the bytes.
  const header = /^P([56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not produce a PGM or PPM');
  const channels = header[1] === '6' ? 3 : 1;
  const width = Number(header[2]);
  const height = Number(header[3]);
  const pixels = new Uint8Array(out.subarray(header[0].length, header[0].length + width * height * channels));
  return { width, height, pixels, pixel: (x, y) => [...pixels.subarray((y * width + x) * channels, (y * width + x + 1) * channels)] };
}
