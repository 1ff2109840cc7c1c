/**
 * A small test-only PDF writer: whole files and incremental updates, with classic xref
 * tables, xref streams, object streams and hybrid files (ISO 32000-1 §7.5). It knows the
 * objects it wrote (a model of catalog, pages and form), so tests can change them on
 * purpose. Not built on signer/ or on the verifier's parser.
 */
import { deflateSync } from 'node:zlib';

export type Body = string | { readonly dict: string; readonly data: Uint8Array; readonly compress?: boolean };
export type XrefKind = 'table' | 'stream' | 'hybrid';

export interface PageModel {
  readonly num: number;
  readonly contents: number;
  readonly annots: readonly number[];
  /** Page keys other than /Type /Parent /Contents /Annots, as PDF text. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface TestDoc {
  readonly bytes: Uint8Array;
  /** Next free object number (trailer /Size). */
  readonly size: number;
  readonly startxref: number;
  readonly catalog: { readonly num: number; readonly extra: Readonly<Record<string, string>> };
  readonly pagesNum: number;
  readonly pages: readonly PageModel[];
  readonly acroForm: { readonly num: number; readonly fields: readonly number[]; readonly extra: Readonly<Record<string, string>> } | undefined;
  readonly info: number | undefined;
  readonly id: string;
  readonly xref: XrefKind;
}

export function dict(entries: Readonly<Record<string, string | undefined>>): string {
  return `<< ${Object.entries(entries).filter(([, v]) => v !== undefined).map(([k, v]) => `/${k} ${v}`).join(' ')} >>`;
}

export const ref = (num: number): string => `${num} 0 R`;
export const refs = (nums: readonly number[]): string => `[${nums.map(ref).join(' ')}]`;

/** Escapes a literal string (§7.3.4.2). */
export const lit = (s: string): string => `(${s.replace(/([()\\])/g, '\\$1')})`;

/** A UTF-16BE text string in hex (for Chinese field names, reasons …). */
export const utf16 = (s: string): string => `<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

export function pdfDate(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `(D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`;
}

export function catalogBody(doc: Pick<TestDoc, 'pagesNum' | 'acroForm' | 'catalog'>): string {
  return dict({ Type: '/Catalog', Pages: ref(doc.pagesNum), AcroForm: doc.acroForm ? ref(doc.acroForm.num) : undefined, ...doc.catalog.extra });
}

export function pageBody(doc: Pick<TestDoc, 'pagesNum'>, page: PageModel): string {
  return dict({
    Type: '/Page',
    Parent: ref(doc.pagesNum),
    MediaBox: '[0 0 595 842]',
    Contents: ref(page.contents),
    Resources: '<< /Font << /F1 4 0 R >> >>',
    Annots: page.annots.length > 0 ? refs(page.annots) : undefined,
    ...page.extra,
  });
}

export function acroFormBody(form: NonNullable<TestDoc['acroForm']>): string {
  return dict({ Fields: refs(form.fields), SigFlags: '3', ...form.extra });
}

export function pagesBody(doc: Pick<TestDoc, 'pages'>): string {
  return dict({ Type: '/Pages', Kids: refs(doc.pages.map((p) => p.num)), Count: String(doc.pages.length) });
}

export const contentStream = (text: string): Body => ({
  dict: '<< >>',
  data: Buffer.from(`BT /F1 18 Tf 72 760 Td (${text.replace(/([()\\])/g, '\\$1')}) Tj ET`, 'latin1'),
});

/**
 * A one-revision PDF: catalog 1, pages 2, content streams, font 4, pages after.
 * @param compress - objects to store in an object stream (needs xref 'stream' or 'hybrid').
 */
export function newDocument(p: { pages?: number; text?: string; xref?: XrefKind; compress?: boolean } = {}): TestDoc {
  const xref = p.xref ?? 'table';
  const count = p.pages ?? 1;
  const objects = new Map<number, Body>();
  const pages: PageModel[] = [];
  objects.set(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  let next = 5;
  for (let i = 0; i < count; i++) {
    const contents = i === 0 ? 3 : next++;
    const num = next++;
    objects.set(contents, contentStream(`${p.text ?? 'Electronic licence XV-0001'} page ${i + 1}`));
    pages.push({ num, contents, annots: [], extra: {} });
  }
  const base = { pagesNum: 2, pages, acroForm: undefined, catalog: { num: 1, extra: {} } };
  objects.set(1, catalogBody(base));
  objects.set(2, pagesBody(base));
  for (const page of pages) objects.set(page.num, pageBody(base, page));
  const info = next++;
  objects.set(info, dict({ Producer: lit('zhengyin test writer') }));
  const id = '0123456789abcdef0123456789abcdef';
  const compressed = p.compress && xref !== 'table' ? [1, 2, ...pages.map((pg) => pg.num), 4] : [];
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const out = writeSection(head, 0, objects, { size: next, root: 1, info, id, xref, compressed, prev: undefined, free: [] });
  return { bytes: out.bytes, size: out.size, startxref: out.startxref, catalog: base.catalog, pagesNum: 2, pages, acroForm: undefined, info, id, xref };
}

export interface UpdateOptions {
  readonly xref?: XrefKind;
  /** Objects to store in a new object stream. */
  readonly compress?: readonly number[];
  /** Object numbers to mark free in this update. */
  readonly free?: readonly number[];
  /** A /Root other than the catalog's. */
  readonly root?: number;
}

/** Appends one incremental update holding `objects` (§7.5.6). */
export function appendUpdate(doc: TestDoc, objects: ReadonlyMap<number, Body>, model: Partial<Omit<TestDoc, 'bytes' | 'startxref' | 'size'>> = {}, opts: UpdateOptions = {}): TestDoc {
  const size = Math.max(doc.size, ...[...objects.keys()].map((n) => n + 1));
  const out = writeSection(doc.bytes, doc.bytes.length, objects, {
    size,
    root: opts.root ?? doc.catalog.num,
    info: doc.info,
    id: doc.id,
    xref: opts.xref ?? doc.xref,
    compressed: opts.compress ?? [],
    prev: doc.startxref,
    free: opts.free ?? [],
  });
  return { ...doc, ...model, bytes: out.bytes, size: out.size, startxref: out.startxref };
}

/** Allocates object numbers for an update. */
export function allocate(doc: TestDoc, n: number): number[] {
  return Array.from({ length: n }, (_, i) => doc.size + i);
}

interface SectionOptions {
  size: number;
  root: number;
  info: number | undefined;
  id: string;
  xref: XrefKind;
  compressed: readonly number[];
  prev: number | undefined;
  free: readonly number[];
}

function writeSection(prefix: Uint8Array, at: number, objects: ReadonlyMap<number, Body>, o: SectionOptions): { bytes: Uint8Array; size: number; startxref: number } {
  const chunks: Buffer[] = [Buffer.from(prefix)];
  let pos = prefix.length;
  const push = (b: Buffer): void => {
    chunks.push(b);
    pos += b.length;
  };
  void at;
  const offsets = new Map<number, number>();
  const inStream = new Map<number, [number, number]>();
  let size = o.size;
  const compressed = o.compressed.filter((n) => objects.has(n) && typeof objects.get(n) === 'string');
  if (compressed.length > 0) {
    const stmNum = size++;
    let header = '';
    let body = '';
    compressed.forEach((n, i) => {
      header += `${n} ${body.length} `;
      body += `${objects.get(n) as string}\n`;
      inStream.set(n, [stmNum, i]);
    });
    const data = deflateSync(Buffer.from(header + body, 'latin1'));
    offsets.set(stmNum, pos);
    push(serialize(stmNum, { dict: `<< /Type /ObjStm /N ${compressed.length} /First ${header.length} /Filter /FlateDecode >>`, data }));
  }
  for (const [num, body] of [...objects].sort((a, b) => a[0] - b[0])) {
    if (inStream.has(num)) continue;
    offsets.set(num, pos);
    push(serialize(num, body));
  }
  const trailerKeys = (extra: Record<string, string | undefined>): Record<string, string | undefined> => ({
    Size: String(size),
    Root: ref(o.root),
    Info: o.info !== undefined ? ref(o.info) : undefined,
    ID: `[<${o.id}> <${o.id}>]`,
    Prev: o.prev !== undefined ? String(o.prev) : undefined,
    ...extra,
  });
  let startxref: number;
  if (o.xref === 'table' || (o.xref === 'hybrid' && inStream.size === 0)) {
    startxref = pos;
    push(Buffer.from(`xref\n${table(offsets, o.free, o.prev === undefined)}trailer\n${dict(trailerKeys({}))}\nstartxref\n${startxref}\n%%EOF\n`, 'latin1'));
  } else if (o.xref === 'stream') {
    const xrefNum = size++;
    startxref = pos;
    offsets.set(xrefNum, pos);
    const entries = xrefEntries(offsets, inStream, o.free, o.prev === undefined);
    push(serialize(xrefNum, { dict: dict({ Type: '/XRef', ...trailerKeys({ Size: String(size) }), W: '[1 4 2]', Index: entries.index, Filter: '/FlateDecode' }), data: deflateSync(entries.data) }));
    push(Buffer.from(`startxref\n${startxref}\n%%EOF\n`, 'latin1'));
  } else {
    // Hybrid (§7.5.8.4): a table for readers of PDF 1.4, an xref stream for the compressed objects.
    const stmNum = size++;
    const stmPos = pos;
    const entries = xrefEntries(new Map(), inStream, [], false);
    push(serialize(stmNum, { dict: dict({ Type: '/XRef', Size: String(size), W: '[1 4 2]', Index: entries.index }), data: entries.data }));
    offsets.set(stmNum, stmPos);
    startxref = pos;
    push(Buffer.from(`xref\n${table(offsets, o.free, o.prev === undefined)}trailer\n${dict(trailerKeys({ Size: String(size), XRefStm: String(stmPos) }))}\nstartxref\n${startxref}\n%%EOF\n`, 'latin1'));
  }
  return { bytes: new Uint8Array(Buffer.concat(chunks)), size, startxref };
}

function serialize(num: number, body: Body): Buffer {
  if (typeof body === 'string') return Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, 'latin1');
  const data = body.compress ? deflateSync(body.data) : Buffer.from(body.data);
  const extra = body.compress ? ' /Filter /FlateDecode' : '';
  const d = body.dict.replace(/>>\s*$/, `/Length ${data.length}${extra} >>`);
  return Buffer.concat([Buffer.from(`${num} 0 obj\n${d}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
}

function table(offsets: ReadonlyMap<number, number>, free: readonly number[], first: boolean): string {
  const entries = new Map<number, string>();
  if (first) entries.set(0, '0000000000 65535 f \n');
  for (const n of free) entries.set(n, '0000000000 00001 f \n');
  for (const [n, off] of offsets) entries.set(n, `${String(off).padStart(10, '0')} 00000 n \n`);
  let out = '';
  const nums = [...entries.keys()].sort((a, b) => a - b);
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    out += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) out += entries.get(nums[k]!);
    i = j + 1;
  }
  return out;
}

function xrefEntries(offsets: ReadonlyMap<number, number>, inStream: ReadonlyMap<number, [number, number]>, free: readonly number[], first: boolean): { index: string; data: Buffer } {
  const rows = new Map<number, Buffer>();
  const row = (type: number, a: number, b: number): Buffer => {
    const r = Buffer.alloc(7);
    r[0] = type;
    r.writeUInt32BE(a, 1);
    r.writeUInt16BE(b, 5);
    return r;
  };
  if (first) rows.set(0, row(0, 0, 65535));
  for (const n of free) rows.set(n, row(0, 0, 1));
  for (const [n, off] of offsets) rows.set(n, row(1, off, 0));
  for (const [n, [stm, i]] of inStream) rows.set(n, row(2, stm, i));
  const nums = [...rows.keys()].sort((a, b) => a - b);
  const index: string[] = [];
  const data: Buffer[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    index.push(`${nums[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++) data.push(rows.get(nums[k]!)!);
    i = j + 1;
  }
  return { index: `[${index.join(' ')}]`, data: Buffer.concat(data) };
}
