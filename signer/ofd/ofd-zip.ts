/**
 * The zip container of an OFD package (GB/T 33190 §7.2), read whole and within limits,
 * and written back. signOfd reads every entry anyway (each one's SM3 goes into the seal's
 * References), so entries are inflated eagerly, in central-directory order; the sizes come
 * from the central directory, which holds them even when local headers defer them to data
 * descriptors. A department's received file is untrusted input: entry names that could
 * land outside a folder, encrypted or zip64 archives, and inflation beyond the declared
 * size or the limits below are refused with {@link OfdReadError}.
 */
import { crc32 } from 'node:zlib';
import { Inflate, zipSync, type Zippable } from 'fflate';
import { OfdReadError } from './errors.ts';

/** Package entries by name, in the order they are stored. Values are the uncompressed bytes. */
export type OfdEntries = Map<string, Uint8Array>;

export interface OfdReadLimits {
  /** @default 5000 */
  readonly maxEntries: number;
  /** Uncompressed size of one entry. @default 64 MiB */
  readonly maxEntryBytes: number;
  /** Uncompressed size of all entries. @default 256 MiB */
  readonly maxTotalBytes: number;
  /** Uncompressed : compressed, for entries over 1 KiB. @default 200 */
  readonly maxCompressionRatio: number;
}

export const DEFAULT_OFD_READ_LIMITS: OfdReadLimits = {
  maxEntries: 5000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
};

const SIG = { eocd: 0x06054b50, central: 0x02014b50, local: 0x04034b50 } as const;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030');

/** Reads every file entry of the zip `bytes`. @throws {@link OfdReadError} */
export function readOfdZip(bytes: Uint8Array, limits: OfdReadLimits = DEFAULT_OFD_READ_LIMITS): OfdEntries {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= 0 && p >= bytes.length - 22 - 0xffff; p--) {
    if (view.getUint32(p, true) === SIG.eocd) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new OfdReadError({ message: 'not a zip archive (no end-of-central-directory record)' });
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new OfdReadError({ message: 'zip64 archives are not supported' });
  if (count > limits.maxEntries) throw new OfdReadError({ message: `${count} zip entries, more than the ${limits.maxEntries} allowed` });

  const out: OfdEntries = new Map();
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== SIG.central) throw new OfdReadError({ message: `zip central directory entry ${i + 1} is damaged` });
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const packed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const next = p + 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (next > eocd) throw new OfdReadError({ message: `zip central directory entry ${i + 1} runs past the directory` });
    const name = entryName(bytes.subarray(p + 46, p + 46 + nameLength), (flags & 0x800) !== 0);
    p = next;
    if (out.has(name)) throw new OfdReadError({ entry: name, message: 'the name appears twice in the package' });
    if (name.endsWith('/')) continue;
    if (flags & 0x1) throw new OfdReadError({ entry: name, message: 'encrypted entries are not supported' });
    if (method !== 0 && method !== 8) throw new OfdReadError({ entry: name, message: `compression method ${method} is not supported` });
    if (size > limits.maxEntryBytes) throw new OfdReadError({ entry: name, message: `${size} bytes uncompressed, more than the ${limits.maxEntryBytes} allowed` });
    if (size > 1024 && size > packed * limits.maxCompressionRatio) throw new OfdReadError({ entry: name, message: `compressed more than ${limits.maxCompressionRatio}:1 (a zip bomb?)` });
    total += size;
    if (total > limits.maxTotalBytes) throw new OfdReadError({ message: `more than ${limits.maxTotalBytes} bytes uncompressed in all` });
    if (local + 30 > bytes.length || view.getUint32(local, true) !== SIG.local) throw new OfdReadError({ entry: name, message: 'no local header where the central directory points' });
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + packed > bytes.length) throw new OfdReadError({ entry: name, message: 'the entry data runs past the end of the file' });
    const data = method === 0 ? bytes.slice(start, start + packed) : inflate(bytes.subarray(start, start + packed), size, name);
    if (data.length !== size || crc32(data) >>> 0 !== crc) throw new OfdReadError({ entry: name, message: 'the data does not match its size and CRC-32 in the central directory' });
    out.set(name, data);
  }
  return out;
}

/** Inflates into exactly `size` bytes, stopping as soon as the data would exceed them. */
function inflate(data: Uint8Array, size: number, name: string): Uint8Array {
  const out = new Uint8Array(size);
  let filled = 0;
  const inflater = new Inflate((chunk) => {
    if (filled + chunk.length > size) throw new OfdReadError({ entry: name, message: `inflates to more than the ${size} bytes it declares` });
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    const step = 16 * 1024;
    for (let at = 0; at < data.length; at += step) inflater.push(data.subarray(at, at + step), at + step >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (cause) {
    if (cause instanceof OfdReadError) throw cause;
    throw new OfdReadError({ entry: name, message: 'the deflate data is damaged', cause });
  }
  return filled === size ? out : out.subarray(0, filled);
}

/** Entry names: UTF-8, or GB 18030 as Chinese tools write them unflagged; none that could escape a folder. */
function entryName(raw: Uint8Array, utf8: boolean): string {
  let name: string;
  try {
    name = UTF8.decode(raw);
  } catch {
    if (utf8) throw new OfdReadError({ message: 'an entry name flagged UTF-8 is not UTF-8' });
    name = GB18030.decode(raw);
  }
  if (name === '' || name.startsWith('/') || /^[A-Za-z]:/.test(name) || /[\\\0]/.test(name) || name.split('/').some((s) => s === '..' || s === '.'))
    throw new OfdReadError({ entry: JSON.stringify(name), message: 'an entry name that is empty, absolute, or climbs out of its folder' });
  return name;
}

/**
 * Zips `entries` in their order, deflated, every entry dated `modified` (zip time has no
 * zone; the same input gives the same bytes).
 */
export function writeOfdZip(entries: OfdEntries, modified: Date): Uint8Array {
  const files: Zippable = {};
  for (const [name, data] of entries) files[name] = [data, { level: 6, mtime: modified }];
  return zipSync(files);
}
