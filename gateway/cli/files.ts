import fs from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../common/index.ts';

/** Largest file a CLI command reads: a licence is ~100 KB; a scanned application can be large. */
export const MAX_INPUT_BYTES = 100 * 1024 * 1024;

/** Reads a file the user named, with a clear typed error for a missing, unreadable or oversize one. */
export function readInputFile(file: string, field: string, maxBytes = MAX_INPUT_BYTES): Uint8Array {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new InvalidInputError({ field, message: `${field}: cannot read ${file}` });
  }
  if (size > maxBytes) throw new InvalidInputError({ field, message: `${field}: ${file} is ${size} bytes, over the limit of ${maxBytes}` });
  return new Uint8Array(fs.readFileSync(file));
}

/** Reads a JSON object from a file. */
export function readJsonObject(file: string, field: string): Record<string, unknown> {
  const text = Buffer.from(readInputFile(file, field, 1024 * 1024)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError({ field, message: `${field}: ${file} is not JSON (${(e as Error).message})` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError({ field, message: `${field}: ${file} must hold a JSON object of face fields` });
  }
  return value as Record<string, unknown>;
}

/** Writes a file all at once (temporary file + rename), so a failure never leaves half a PDF. */
export function writeOutputFile(file: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}
