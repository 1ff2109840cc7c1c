import fs from 'node:fs';
import { InvalidInputError } from '../../common/index.ts';
import { InputTooLargeError } from './errors.ts';

/** Largest file a CLI command reads unless it says otherwise: a licence is ~100 KB; a scanned application can be large. */
export const MAX_INPUT_BYTES = 100 * 1024 * 1024;

/** Largest JSON file (face data, evidence records, a writer policy). */
export const MAX_JSON_BYTES = 1024 * 1024;

const CHUNK = 64 * 1024;

export interface ReadInputOptions {
  /** The option or argument that named the file, for the error. */
  readonly field: string;
  /** @default {@link MAX_INPUT_BYTES} */
  readonly maxBytes?: number;
}

/**
 * Reads a file the user named, at most `maxBytes` of it. The cap holds whatever `stat`
 * says: a pipe, a device or a named pipe reports no size, so the read itself stops one
 * byte past the cap, and memory stays within the cap plus one chunk.
 *
 * @throws {@link InputTooLargeError} (`INVALID_INPUT_TOO_LARGE`) more than `maxBytes`.
 * @throws {@link InvalidInputError} (`INVALID_INPUT`) missing or unreadable.
 */
export function readInputFile(file: string, options: Readonly<ReadInputOptions>): Buffer {
  const { field, maxBytes = MAX_INPUT_BYTES } = options;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (cause) {
    throw cannotRead(field, file, cause);
  }
  try {
    const stat = fs.fstatSync(fd);
    // A regular file says its size: refuse it without reading.
    if (stat.isFile() && stat.size > maxBytes) throw new InputTooLargeError({ field, file, maxBytes });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (cause) {
        throw cannotRead(field, file, cause);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new InputTooLargeError({ field, file, maxBytes });
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a JSON file (at most {@link MAX_JSON_BYTES}). @throws {@link InvalidInputError} unreadable, too large or not JSON. */
export function readJson(file: string, field: string): unknown {
  const text = readInputFile(file, { field, maxBytes: MAX_JSON_BYTES }).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError({ field, message: `${field}: ${file} is not JSON (${(e as Error).message})` });
  }
}

/** Reads a file holding one JSON object; `what` says what its fields are, for the error. */
export function readJsonObject(file: string, field: string, what = 'face fields'): Record<string, unknown> {
  const value = readJson(file, field);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError({ field, message: `${field}: ${file} must hold a JSON object of ${what}` });
  }
  return value as Record<string, unknown>;
}

function cannotRead(field: string, file: string, cause: unknown): InvalidInputError {
  const why = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new InvalidInputError({ field, message: `${field}: cannot read ${file} (${why})`, cause });
}
