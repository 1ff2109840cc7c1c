/**
 * The PDF object model (ISO 32000-1 §7.3), as read from untrusted bytes. Values keep the
 * byte positions the signature checks need (where a string or stream sits in the file).
 */

export class PdfName {
  /** The name without its slash, `#xx` escapes decoded, as a Latin-1 string. */
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return `/${this.value}`;
  }
}

export class PdfRef {
  readonly num: number;
  readonly gen: number;
  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfString {
  readonly bytes: Uint8Array;
  readonly hex: boolean;
  /** Offset of the opening `(` or `<` in the buffer it was read from. */
  readonly start: number;
  /** Offset just past the closing `)` or `>`. */
  readonly end: number;
  constructor(bytes: Uint8Array, hex: boolean, start: number, end: number) {
    this.bytes = bytes;
    this.hex = hex;
    this.start = start;
    this.end = end;
  }
}

export class PdfArray {
  readonly items: readonly PdfObject[];
  constructor(items: readonly PdfObject[]) {
    this.items = items;
  }
  get length(): number {
    return this.items.length;
  }
}

export class PdfDict {
  readonly entries: ReadonlyMap<string, PdfObject>;
  constructor(entries: ReadonlyMap<string, PdfObject>) {
    this.entries = entries;
  }
  get(key: string): PdfObject | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  /** The value of `key` when it is a name, e.g. `dict.name('Type') === 'Sig'`. */
  name(key: string): string | undefined {
    const v = this.entries.get(key);
    return v instanceof PdfName ? v.value : undefined;
  }
}

export class PdfStream {
  readonly dict: PdfDict;
  /** The encoded data, as stored in the file (a view into the file's bytes). */
  readonly raw: Uint8Array;
  /** Offset of the first data byte in the buffer it was read from. */
  readonly dataStart: number;
  constructor(dict: PdfDict, raw: Uint8Array, dataStart: number) {
    this.dict = dict;
    this.raw = raw;
    this.dataStart = dataStart;
  }
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfArray | PdfDict | PdfRef | PdfStream;

export const isDict = (o: PdfObject | undefined): o is PdfDict => o instanceof PdfDict;
export const isStream = (o: PdfObject | undefined): o is PdfStream => o instanceof PdfStream;
export const isRef = (o: PdfObject | undefined): o is PdfRef => o instanceof PdfRef;
export const isArray = (o: PdfObject | undefined): o is PdfArray => o instanceof PdfArray;
export const isName = (o: PdfObject | undefined, value?: string): o is PdfName =>
  o instanceof PdfName && (value === undefined || o.value === value);
export const isInt = (o: PdfObject | undefined): o is number => typeof o === 'number' && Number.isSafeInteger(o);

/** The dictionary of a dictionary or of a stream. */
export const dictOf = (o: PdfObject | undefined): PdfDict | undefined =>
  o instanceof PdfDict ? o : o instanceof PdfStream ? o.dict : undefined;

/**
 * Structural equality, comparing references by number (not by what they point to) and
 * streams by dictionary and encoded bytes. `budget` bounds the work on hostile inputs.
 */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 128 || a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.value === b.value;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && equalBytes(a.bytes, b.bytes);
  if (a instanceof PdfArray) {
    return b instanceof PdfArray && a.items.length === b.items.length && a.items.every((x, i) => sameObject(x, b.items[i], depth + 1));
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.entries.size !== b.entries.size) return false;
    for (const [k, v] of a.entries) if (!sameObject(v, b.entries.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) {
    return b instanceof PdfStream && sameObject(a.dict, b.dict, depth + 1) && equalBytes(a.raw, b.raw);
  }
  return false;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Serial numbers, names and digests are short: a loop beats two Buffer views.
  if (a.length <= 64) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Every reference directly inside `o` (not following them), in order. */
export function refsIn(o: PdfObject | undefined): PdfRef[] {
  const out: PdfRef[] = [];
  collectRefs(o, 0, out);
  return out;
}

function collectRefs(o: PdfObject | undefined, depth: number, out: PdfRef[]): void {
  if (o === null || o === undefined || typeof o !== 'object' || depth > 128) return;
  if (o instanceof PdfRef) out.push(o);
  else if (o instanceof PdfArray) for (const x of o.items) collectRefs(x, depth + 1, out);
  else if (o instanceof PdfDict) for (const x of o.entries.values()) collectRefs(x, depth + 1, out);
  else if (o instanceof PdfStream) collectRefs(o.dict, depth + 1, out);
}
