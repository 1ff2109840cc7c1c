import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/** A greyscale raster from `pdftoppm -gray` (PGM, P5). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Renders page 1 at `dpi`, optionally cropped to a box in pixels, as greyscale. */
export function rasterise(file: string, dpi: number, crop?: { x: number; y: number; w: number; h: number }): Raster {
  const args = ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile'];
  if (crop) args.push('-x', String(crop.x), '-y', String(crop.y), '-W', String(crop.w), '-H', String(crop.h));
  const out = execFileSync('pdftoppm', [...args, file], { maxBuffer: 256 << 20 });
  // PGM: "P5\n<w> <h>\n<max>\n" then bytes.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not produce a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(out.subarray(header[0].length, header[0].length + width * height)) };
}
