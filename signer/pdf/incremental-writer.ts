import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { PdfEncryptedError, PdfReadError, PdfWriteError } from './errors.ts';
import { PdfReader, type XrefKind } from './pdf-reader.ts';

/** One appended revision and where each of its objects' bodies starts in the output. */
export interface WrittenRevision {
  readonly bytes: Uint8Array;
  /** Object number → offset of the first byte after `n g obj\n`, in `bytes`. */
  readonly bodyOffsets: ReadonlyMap<number, number>;
}

const N = {
  Root: PDFName.of('Root'),
  Info: PDFName.of('Info'),
  ID: PDFName.of('ID'),
  Encrypt: PDFName.of('Encrypt'),
  Size: PDFName.of('Size'),
  Prev: PDFName.of('Prev'),
  Type: PDFName.of('Type'),
  XRef: PDFName.of('XRef'),
  W: PDFName.of('W'),
  Index: PDFName.of('Index'),
  Filter: PDFName.of('Filter'),
  FlateDecode: PDFName.of('FlateDecode'),
  Length: PDFName.of('Length'),
} as const;

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * Appends one incremental update to a PDF (ISO 32000-1 §7.5.6): the new and changed
 * objects, a cross-reference section of the same kind as the previous one (a table after
 * a table, an xref stream after an xref stream, §7.5.8.4), and a trailer with /Prev.
 * It never rewrites a byte of the input, so every earlier signature stays intact; every
 * seal, DSS and document time-stamp zhengyin adds goes through this one class.
 *
 * @example
 * const w = IncrementalWriter.from(signed);
 * const dss = w.add(w.context.obj({ Type: 'DSS' }));
 * w.update(w.catalogRef, (catalog) => (catalog as PDFDict).set(PDFName.of('DSS'), dss));
 * const out = w.write(); // signed ++ objects ++ xref ++ trailer { /Prev … }
 */
export class IncrementalWriter {
  readonly #input: Uint8Array;
  readonly #reader: PdfReader;
  readonly #changed = new Map<number, { ref: PDFRef; obj: PDFObject }>();
  #nextNumber: number;

  private constructor(input: Uint8Array) {
    this.#input = input;
    this.#reader = new PdfReader(input);
    // Removing encryption in an update is impossible and adding unencrypted objects to an
    // encrypted file would corrupt it (§7.6.1): refuse instead.
    if (this.#reader.trailer.get(N.Encrypt) !== undefined) throw new PdfEncryptedError();
    if (!(this.#reader.trailer.get(N.Root) instanceof PDFRef)) {
      throw new PdfReadError({ message: 'pdf: trailer has no /Root reference' });
    }
    this.#nextNumber = this.#reader.size;
  }

  /**
   * Reads `pdf`'s last revision (trailer and cross-references, lazily its objects).
   * @throws {@link PdfReadError} The file has no readable cross-reference chain.
   * @throws {@link PdfEncryptedError} The trailer has /Encrypt.
   */
  static from(pdf: Uint8Array): IncrementalWriter {
    return new IncrementalWriter(pdf);
  }

  /** pdf-lib context for building new objects (`w.context.obj({...})`). */
  get context(): PDFContext {
    return this.#reader.context;
  }

  get catalogRef(): PDFRef {
    return this.#reader.trailer.get(N.Root) as PDFRef;
  }

  /** The document catalog (§7.7.2); changes to it count only after {@link update}. */
  get catalog(): PDFDict {
    const catalog = this.lookup(this.catalogRef);
    if (!(catalog instanceof PDFDict)) throw new PdfReadError({ message: 'pdf: /Root is not a dictionary' });
    return catalog;
  }

  /** The last revision's trailer (read-only: the writer composes its own). */
  get trailer(): PDFDict {
    return this.#reader.trailer;
  }

  get xrefKind(): XrefKind {
    return this.#reader.xrefKind;
  }

  /** Number of revisions (cross-reference sections) in the input. */
  get revisionCount(): number {
    return this.#reader.sections.length;
  }

  lookup(ref: PDFRef): PDFObject | undefined {
    return this.#changed.get(ref.objectNumber)?.obj ?? this.#reader.lookup(ref);
  }

  resolve(obj: PDFObject | undefined): PDFObject | undefined {
    return obj instanceof PDFRef ? this.lookup(obj) : obj;
  }

  /** Adds a new indirect object, numbered from the trailer's /Size upwards. */
  add(obj: PDFObject): PDFRef {
    const ref = PDFRef.of(this.#nextNumber++, 0);
    this.#changed.set(ref.objectNumber, { ref, obj });
    return ref;
  }

  /**
   * Marks `ref` as changed in this revision. `change` is its new value, or a function that
   * edits (and may return a replacement for) the current one.
   * @throws {@link PdfWriteError} `ref` is neither in the file nor added here.
   */
  update(ref: PDFRef, change?: PDFObject | ((current: PDFObject) => PDFObject | void)): void {
    const n = ref.objectNumber;
    const inFile = (this.#reader.entry(n)?.type ?? 0) !== 0;
    const ours = n >= this.#reader.size && n < this.#nextNumber;
    if (!inFile && !ours) throw new PdfWriteError({ message: `pdf: object ${n} ${ref.generationNumber} R does not exist` });
    const current = this.lookup(ref);
    const obj = typeof change === 'function' ? (current === undefined ? undefined : (change(current) ?? current)) : (change ?? current);
    if (obj === undefined) throw new PdfWriteError({ message: `pdf: object ${n} ${ref.generationNumber} R has no value to write` });
    this.#changed.set(n, { ref, obj });
    this.#reader.setCached(n, obj);
  }

  /** True when nothing was added or updated. */
  get unchanged(): boolean {
    return this.#changed.size === 0;
  }

  /**
   * The input followed by one incremental update; the input itself when nothing changed.
   * The output always begins with the input's bytes, unchanged.
   */
  write(): Uint8Array {
    return this.writeRevision().bytes;
  }

  /** {@link write}, and where each written object's body begins (signing fills placeholders there). */
  writeRevision(): WrittenRevision {
    if (this.#changed.size === 0) return { bytes: this.#input, bodyOffsets: new Map() };
    const chunks: Uint8Array[] = [this.#input];
    let position = this.#input.length;
    const push = (chunk: Uint8Array): void => {
      chunks.push(chunk);
      position += chunk.length;
    };
    // The update starts on a new line even if the input's %%EOF has no EOL (§7.5.5).
    const last = this.#input[this.#input.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(latin1('\n'));

    const offsets = new Map<number, { offset: number; generation: number }>();
    const bodyOffsets = new Map<number, number>();
    const idHash = createHash('sha256').update(String(this.#reader.startxref));
    const numbers = [...this.#changed.keys()].sort((a, b) => a - b);
    for (const n of numbers) {
      const { ref, obj } = this.#changed.get(n)!;
      offsets.set(n, { offset: position, generation: ref.generationNumber });
      const header = latin1(`${n} ${ref.generationNumber} obj\n`);
      push(header);
      bodyOffsets.set(n, position);
      for (const part of serialise(obj)) {
        idHash.update(part);
        push(part);
      }
      push(latin1('\nendobj\n'));
    }

    const xrefOffset = position;
    const trailer = this.#newTrailer(idHash.digest().subarray(0, 16));
    if (this.#reader.xrefKind === 'stream') {
      const xrefNumber = this.#nextNumber;
      offsets.set(xrefNumber, { offset: xrefOffset, generation: 0 });
      trailer.set(N.Size, PDFNumber.of(Math.max(this.#reader.size, xrefNumber + 1)));
      push(xrefStream(xrefNumber, offsets, trailer));
    } else {
      trailer.set(N.Size, PDFNumber.of(Math.max(this.#reader.size, this.#nextNumber)));
      push(xrefTable(offsets));
      push(latin1('trailer\n'));
      push(latin1(trailer.toString()));
      push(latin1('\n'));
    }
    push(latin1(`startxref\n${xrefOffset}\n%%EOF\n`));
    const out = Buffer.concat(chunks, position);
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.length), bodyOffsets };
  }

  #newTrailer(idSeed: Uint8Array): PDFDict {
    const old = this.#reader.trailer;
    const trailer = PDFDict.withContext(this.context);
    trailer.set(N.Root, old.get(N.Root)!);
    const info = old.get(N.Info);
    if (info !== undefined) trailer.set(N.Info, info);
    // Keep the first /ID element: it identifies the document across revisions; the second
    // changes with each revision (ISO 32000-1 §14.4).
    const fresh = PDFHexString.of(Buffer.from(idSeed).toString('hex').toUpperCase());
    const id = old.get(N.ID);
    const first = id instanceof PDFArray && id.size() > 0 ? id.get(0) : fresh;
    trailer.set(N.ID, this.context.obj([first, fresh]));
    trailer.set(N.Prev, PDFNumber.of(this.#reader.startxref));
    return trailer;
  }
}

/** The bytes of an object's body; streams get a fresh /Length and their data copied natively. */
function serialise(obj: PDFObject): Uint8Array[] {
  if (obj instanceof PDFRawStream) {
    obj.dict.set(N.Length, PDFNumber.of(obj.contents.length));
    return [bytesOf(obj.dict), latin1('\nstream\n'), obj.contents, latin1('\nendstream')];
  }
  return [bytesOf(obj)]; // dictionaries, arrays, and raw bodies (PDFInvalidObject) alike
}

function bytesOf(obj: PDFObject): Uint8Array {
  const buffer = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(buffer, 0);
  return buffer;
}

/** Groups object numbers into runs of consecutive numbers: [[first, count], …]. */
function subsections(numbers: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const run = runs[runs.length - 1];
    if (run && run[0] + run[1] === n) run[1]++;
    else runs.push([n, 1]);
  }
  return runs;
}

/** A classic cross-reference table (§7.5.4): 20-byte entries. */
function xrefTable(offsets: Map<number, { offset: number; generation: number }>): Uint8Array {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let s = 'xref\n';
  for (const [first, count] of subsections(numbers)) {
    s += `${first} ${count}\n`;
    for (let n = first; n < first + count; n++) {
      const { offset, generation } = offsets.get(n)!;
      s += `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n\r\n`;
    }
  }
  return latin1(s);
}

/** A cross-reference stream object (§7.5.8) carrying the trailer's entries. */
function xrefStream(xrefNumber: number, offsets: Map<number, { offset: number; generation: number }>, trailer: PDFDict): Uint8Array {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const maxOffset = Math.max(...[...offsets.values()].map((e) => e.offset));
  const w1 = Math.max(1, Math.ceil(Math.log2(maxOffset + 1) / 8));
  const rowLength = 1 + w1 + 2;
  const data = Buffer.alloc(numbers.length * rowLength);
  numbers.forEach((n, i) => {
    const { offset, generation } = offsets.get(n)!;
    const p = i * rowLength;
    data[p] = 1;
    data.writeUIntBE(offset, p + 1, w1);
    data.writeUInt16BE(generation, p + 1 + w1);
  });
  const compressed = deflateSync(data);
  const dict = trailer;
  dict.set(N.Type, N.XRef);
  dict.set(N.W, dict.context.obj([1, w1, 2]));
  dict.set(N.Index, dict.context.obj(subsections(numbers).flat()));
  dict.set(N.Filter, N.FlateDecode);
  dict.set(N.Length, PDFNumber.of(compressed.length));
  return Buffer.concat([latin1(`${xrefNumber} 0 obj\n`), bytesOf(dict), latin1('\nstream\n'), compressed, latin1('\nendstream\nendobj\n')]);
}
