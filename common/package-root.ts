import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the nearest one above `moduleUrl`'s file that holds package.json).
 * A module runs either from its source or from its compiled copy under `dist/`, one level
 * deeper; both find the same folder, so the data folder, the migrations and the chaincode
 * project are the same whichever runs.
 *
 * @example
 * const root = packageRoot(import.meta.url);
 */
export function packageRoot(moduleUrl: string): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
