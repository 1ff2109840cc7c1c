/**
 * A bounded reader of the zip container an OFD package is (GB/T 33190 §7.2; PKWARE
 * APPNOTE 6.3). Entries are located through the central directory, whose sizes hold even
 * when the local headers defer theirs to data descriptors (flag bit 3), and inflated on
 * demand with fflate, a chunk at a time so that an entry lying about its size stops at the
 * size it declared. Refused: zip64, encryption, methods other than stored and deflate,
 * names that are absolute, climb out (`..`), use backslashes or repeat, more entries than
 * maxArchiveEntries, an entry above maxStreamBytes or maxCompressionRatio, and more than
 * maxDecodedBytes in all.
 */
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { OfdFormatError } from '../errors.ts';
import type { Budget } from '../limits.ts';

export interface ZipEntry {
  /** The entry name as stored (UTF-8, or GB 18030 when not flagged UTF-8). */
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** Compressed bytes handed to the inflater at once: at most ~1032× this comes out per step. */
const CHUNK = 16 * 1024;

export class ZipArchive {
  readonly #bytes: Uint8Array;
  readonly #budget: Budget;
  readonly #entries = new Map<string, ZipEntry>();
  readonly #read = new Map<string, Uint8Array>();

  private constructor(bytes: Uint8Array, budget: Budget) {
    this.#bytes = bytes;
    this.#budget = budget;
  }

  /** Reads the central directory; throws {@link OfdFormatError} or LimitExceededError. */
  static open(bytes: Uint8Array, budget: Budget): ZipArchive {
    const zip = new ZipArchive(bytes, budget);
    zip.#readDirectory();
    return zip;
  }

  /** File entries (folders left out), in central-directory order. */
  get names(): readonly string[] {
    return [...this.#entries.keys()];
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  entry(name: string): ZipEntry | undefined {
    return this.#entries.get(name);
  }

  /** The uncompressed bytes of `name`, read once. Throws OfdFormatError for a missing or damaged entry. */
  read(name: string): Uint8Array {
    const cached = this.#read.get(name);
    if (cached) return cached;
    const e = this.#entries.get(name);
    if (!e) throw new OfdFormatError({ entry: name, message: 'no such entry in the package' });
    const data = this.#inflate(e);
    if (crc32(data) >>> 0 !== e.crc) throw new OfdFormatError({ entry: name, message: 'CRC-32 of the uncompressed data differs from the central directory' });
    this.#read.set(name, data);
    return data;
  }

  #readDirectory(): void {
    const b = this.#bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let eocd = -1;
    for (let p = b.length - 22; p >= Math.max(0, b.length - 22 - MAX_COMMENT); p--) {
      if (view.getUint32(p, true) === EOCD && p + 22 + view.getUint16(p + 20, true) <= b.length) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) throw new OfdFormatError({ message: 'no zip end-of-central-directory record' });
    const count = view.getUint16(eocd + 10, true);
    const dirSize = view.getUint32(eocd + 12, true);
    const dirOffset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) throw new OfdFormatError({ message: 'zip64 packages are not supported' });
    if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) throw new OfdFormatError({ message: 'multi-disk zip archives are not supported' });
    this.#budget.check('maxArchiveEntries', count, 'zip entries');
    if (dirOffset + dirSize > eocd) throw new OfdFormatError({ message: 'the central directory lies outside the file' });
    let p = dirOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw new OfdFormatError({ message: `central directory entry ${i + 1} is damaged` });
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const crc = view.getUint32(p + 16, true);
      const compressedSize = view.getUint32(p + 20, true);
      const size = view.getUint32(p + 24, true);
      const nameLen = view.getUint16(p + 28, true);
      const extraLen = view.getUint16(p + 30, true);
      const commentLen = view.getUint16(p + 32, true);
      const localOffset = view.getUint32(p + 42, true);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > eocd) throw new OfdFormatError({ message: `central directory entry ${i + 1} runs past the directory` });
      const name = decodeName(b.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
      p = end;
      checkName(name);
      if (this.#entries.has(name)) throw new OfdFormatError({ entry: name, message: 'the name appears twice in the package' });
      if (name.endsWith('/')) continue;
      if (flags & 0x1) throw new OfdFormatError({ entry: name, message: 'encrypted entries are not supported' });
      if (method !== 0 && method !== 8) throw new OfdFormatError({ entry: name, message: `compression method ${method} is not supported` });
      if (method === 0 && size !== compressedSize) throw new OfdFormatError({ entry: name, message: 'a stored entry whose sizes differ' });
      this.#budget.check('maxStreamBytes', size, `zip entry ${name}`);
      if (size > 1024 && size > compressedSize * this.#budget.limits.maxCompressionRatio) {
        this.#budget.check('maxCompressionRatio', Math.floor(size / Math.max(1, compressedSize)), `zip entry ${name} compression ratio`);
      }
      this.#entries.set(name, { name, method, compressedSize, size, crc, localOffset });
    }
  }

  #inflate(e: ZipEntry): Uint8Array {
    const b = this.#bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const at = e.localOffset;
    if (at + 30 > b.length || view.getUint32(at, true) !== LOCAL) throw new OfdFormatError({ entry: e.name, message: 'no local file header where the central directory points' });
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (start + e.compressedSize > b.length) throw new OfdFormatError({ entry: e.name, message: 'the entry data runs past the end of the file' });
    const data = b.subarray(start, start + e.compressedSize);
    this.#budget.chargeDecoded(e.size);
    if (e.method === 0) return data;
    const out = new Uint8Array(e.size);
    let filled = 0;
    let done = false;
    const inflater = new Inflate((chunk, final) => {
      if (filled + chunk.length > e.size) throw new OfdFormatError({ entry: e.name, message: `inflates to more than the ${e.size} bytes it declares` });
      out.set(chunk, filled);
      filled += chunk.length;
      if (final) done = true;
    });
    try {
      for (let p = 0; p < data.length; p += CHUNK) {
        this.#budget.tick();
        inflater.push(data.subarray(p, Math.min(p + CHUNK, data.length)), p + CHUNK >= data.length);
      }
      if (data.length === 0) inflater.push(new Uint8Array(0), true);
    } catch (cause) {
      if (cause instanceof OfdFormatError) throw cause;
      throw new OfdFormatError({ entry: e.name, message: 'the deflate data is damaged', cause });
    }
    if (!done || filled !== e.size) throw new OfdFormatError({ entry: e.name, message: `inflates to ${filled} bytes, not the ${e.size} it declares` });
    return out;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030');

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  // Chinese tools often write GB 18030 names without the UTF-8 flag; valid UTF-8 is taken as UTF-8 either way.
  try {
    return UTF8.decode(raw);
  } catch {
    if (utf8Flag) throw new OfdFormatError({ message: 'an entry name flagged UTF-8 is not UTF-8' });
    return GB18030.decode(raw);
  }
}

/** Names a reader could write outside its folder, or that two systems would read differently. */
function checkName(name: string): void {
  const bad = name.length === 0 ? 'an empty entry name'
    : name.startsWith('/') || /^[A-Za-z]:/.test(name) ? 'an absolute entry name'
    : name.includes('\\') ? 'a backslash in an entry name'
    : name.includes('\0') ? 'a NUL in an entry name'
    : name.split('/').some((s) => s === '..' || s === '.') ? 'a "." or ".." segment in an entry name'
    : undefined;
  if (bad) throw new OfdFormatError({ entry: JSON.stringify(name), message: bad });
}
