/**
 * A PDF file as a sequence of revisions (ISO 32000-1 §7.5.6 incremental updates), each
 * able to resolve objects exactly as a reader of that revision would — and only from the
 * bytes that revision covers, so a later append cannot change what an earlier revision
 * meant.
 */
import { LimitExceededError, PdfSyntaxError } from '../errors.ts';
import type { Budget } from '../limits.ts';
import { decodeStream, type Deref } from './filters.ts';
import { indexOf, isWhite, readUint } from './lexer.ts';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from './objects.ts';
import { ObjectParser, type IndirectObject } from './parser.ts';
import { findEofMarkers, readSection, type EofMarker, type XrefEntry, type XrefSection } from './xref.ts';

interface ObjStmIndex {
  readonly data: Uint8Array;
  readonly first: number;
  readonly pairs: readonly (readonly [number, number])[];
}

export class PdfDocument {
  readonly bytes: Uint8Array;
  readonly budget: Budget;
  /** Oldest first; the last one is what a reader shows. */
  readonly revisions: readonly Revision[];
  /** Offset of `%PDF-`. */
  readonly headerOffset: number;
  readonly #plainCache = new Map<number, IndirectObject>();
  readonly #failed = new Map<number | string, PdfSyntaxError>();
  readonly #resolving = new Set<number | string>();
  readonly #objStmCache = new Map<string, ObjStmIndex | PdfSyntaxError>();

  private constructor(bytes: Uint8Array, budget: Budget, headerOffset: number, build: (doc: PdfDocument) => Revision[]) {
    this.bytes = bytes;
    this.budget = budget;
    this.headerOffset = headerOffset;
    this.revisions = build(this);
  }

  /**
   * Reads the revision structure of `bytes`. Objects are parsed lazily, on resolve.
   * @throws {@link PdfSyntaxError} not a PDF, or no readable cross-reference chain.
   * @throws {@link LimitExceededError} more revisions or objects than the limits allow.
   */
  static open(bytes: Uint8Array, budget: Budget): PdfDocument {
    budget.check('maxFileBytes', bytes.length, 'file size');
    const headerOffset = indexOf(bytes, '%PDF-', 0, Math.min(bytes.length, 1024));
    if (headerOffset < 0) throw new PdfSyntaxError({ message: 'no %PDF- header in the first 1024 bytes', offset: 0 });
    return new PdfDocument(bytes, budget, headerOffset, (doc) => buildRevisions(doc));
  }

  get final(): Revision {
    return this.revisions[this.revisions.length - 1]!;
  }

  /** Bytes after the end of the final revision that are not white space. */
  get trailingGarbage(): number {
    let n = 0;
    for (let p = this.final.end; p < this.bytes.length; p++) if (!isWhite(this.bytes[p])) n++;
    return n;
  }

  /** Parses the indirect object at `offset` (`num gen obj`), for revision `rev`. */
  readAt(offset: number, rev: Revision): IndirectObject {
    // A parse is shared by every revision that holds all of the object's bytes.
    const cached = this.#plainCache.get(offset);
    if (cached && cached.end <= rev.end) return cached;
    // (offset, revision) as one number where it fits, which Maps hash faster than a string.
    const key = offset < 2 ** 32 && rev.index < 2 ** 20 ? offset * 2 ** 20 + rev.index : `${offset}:${rev.index}`;
    const failed = this.#failed.get(key);
    if (failed) throw failed;
    if (this.#resolving.has(key)) throw new PdfSyntaxError({ message: 'object refers to itself for its stream length', offset });
    this.#resolving.add(key);
    let indirectLength = false;
    try {
      const parser = new ObjectParser(rev.bytes, this.budget, (ref) => {
        indirectLength = true;
        const v = rev.resolve(ref);
        return typeof v === 'number' ? v : null;
      });
      const obj = parser.parseIndirect(offset);
      // A stream whose /Length is indirect may read differently in another revision.
      if (!indirectLength && !cached) this.#plainCache.set(offset, obj);
      return obj;
    } catch (e) {
      if (e instanceof PdfSyntaxError && !indirectLength) this.#failed.set(key, e);
      throw e;
    } finally {
      this.#resolving.delete(key);
    }
  }

  /** The header of an object stream (§7.5.7), parsed once per stream location. */
  objectStream(container: IndirectObject, rev: Revision): ObjStmIndex {
    const key = `${container.start}`;
    const cached = this.#objStmCache.get(key);
    if (cached instanceof PdfSyntaxError) throw cached;
    if (cached) return cached;
    try {
      const s = container.value;
      if (!(s instanceof PdfStream) || s.dict.name('Type') !== 'ObjStm') {
        throw new PdfSyntaxError({ message: `object ${container.num} is not an object stream`, offset: container.start });
      }
      const deref: Deref = (o) => rev.deref(o);
      const n = deref(s.dict.get('N'));
      const first = deref(s.dict.get('First'));
      if (typeof n !== 'number' || typeof first !== 'number' || !Number.isSafeInteger(n) || !Number.isSafeInteger(first) || n < 0 || first < 0) {
        throw new PdfSyntaxError({ message: 'object stream /N or /First is malformed', offset: container.start });
      }
      this.budget.check('maxObjects', n, 'object stream /N');
      const data = decodeStream(s, this.budget, deref);
      const pairs: [number, number][] = [];
      let p = 0;
      for (let i = 0; i < n; i++) {
        const a = readUint(data, p);
        const b = a && readUint(data, a.end);
        if (!a || !b) throw new PdfSyntaxError({ message: 'object stream header is malformed', offset: container.start });
        pairs.push([a.value, b.value]);
        p = b.end;
      }
      const index = { data, first, pairs };
      this.#objStmCache.set(key, index);
      return index;
    } catch (e) {
      if (e instanceof PdfSyntaxError) this.#objStmCache.set(key, e);
      throw e;
    }
  }
}

/**
 * One revision: the original file or one incremental update. `resolve` sees the objects
 * of this and earlier revisions only, read from bytes before {@link end}.
 */
export class Revision {
  readonly doc: PdfDocument;
  readonly index: number;
  /** First byte after the previous revision (0 for the first). */
  readonly start: number;
  /** Just past this revision's `%%EOF` and its end-of-line. */
  readonly end: number;
  /** Just past `%%EOF`, without the end-of-line. */
  readonly endWithoutEol: number;
  /** Newest first within the revision (more than one only for linearized files). */
  readonly sections: readonly XrefSection[];
  readonly trailer: PdfDict;
  readonly #previous: Revision | undefined;
  readonly #cache = new Map<number, PdfObject>();
  #bytes: Uint8Array | undefined;

  constructor(p: { doc: PdfDocument; index: number; start: number; marker: EofMarker; sections: XrefSection[]; previous: Revision | undefined }) {
    this.doc = p.doc;
    this.index = p.index;
    this.start = p.start;
    this.end = p.marker.end;
    this.endWithoutEol = p.marker.endWithoutEol;
    this.sections = p.sections;
    this.trailer = p.sections[0]!.trailer;
    this.#previous = p.previous;
  }

  /** The file's bytes up to {@link end}: all this revision may read. */
  get bytes(): Uint8Array {
    this.#bytes ??= this.doc.bytes.subarray(0, this.end);
    return this.#bytes;
  }

  get previous(): Revision | undefined {
    return this.#previous;
  }

  /** The entry this revision itself wrote for `num` (undefined if it did not touch it). */
  ownEntry(num: number): XrefEntry | undefined {
    for (const s of this.sections) {
      const e = s.entries.get(num);
      if (e) return e;
    }
    return undefined;
  }

  /** Object numbers this revision wrote (defined or freed). */
  ownObjectNumbers(): Set<number> {
    const out = new Set<number>();
    for (const s of this.sections) for (const n of s.entries.keys()) out.add(n);
    return out;
  }

  /** Object numbers of this revision's own xref streams. */
  get xrefStreamObjects(): readonly number[] {
    return this.sections.flatMap((s) => s.streamObjects);
  }

  /** The effective entry for `num` in this revision. */
  entry(num: number): XrefEntry | undefined {
    for (let r: Revision | undefined = this; r; r = r.#previous) {
      const e = r.ownEntry(num);
      if (e) return e;
    }
    return undefined;
  }

  /** Every object number with a live entry in this revision. */
  liveObjectNumbers(): number[] {
    const seen = new Map<number, boolean>();
    for (let r: Revision | undefined = this; r; r = r.#previous) {
      for (const s of r.sections) {
        for (const [n, e] of s.entries) if (!seen.has(n)) seen.set(n, e.kind !== 'free');
      }
    }
    return [...seen].filter(([, live]) => live).map(([n]) => n);
  }

  /**
   * The object `ref` names in this revision, or null: free, missing, out of this
   * revision's bytes, unreadable, or of another generation (§7.3.10).
   */
  resolve(ref: PdfRef | number): PdfObject {
    const num = typeof ref === 'number' ? ref : ref.num;
    if (typeof ref !== 'number') {
      const e = this.entry(num);
      if (ref.gen !== (e?.kind === 'offset' ? e.gen : 0)) return null;
    }
    let value = this.#cache.get(num);
    if (value === undefined) {
      value = this.#load(num);
      this.#cache.set(num, value);
    }
    return value;
  }

  /** Where the bytes of `num` come from in this revision: equal locations, equal objects. */
  location(num: number): string | undefined {
    const e = this.entry(num);
    if (!e || e.kind === 'free') return undefined;
    if (e.kind === 'offset') return `@${e.offset}`;
    const c = this.entry(e.stream);
    return c?.kind === 'offset' ? `@${c.offset}#${e.index}` : undefined;
  }

  #load(num: number): PdfObject {
    this.doc.budget.tick();
    const e = this.entry(num);
    if (!e || e.kind === 'free') return null;
    try {
      if (e.kind === 'offset') {
        if (e.offset >= this.end || e.offset < 0) return null;
        const obj = this.doc.readAt(e.offset, this);
        return obj.num === num ? obj.value : null;
      }
      const c = this.entry(e.stream);
      if (!c || c.kind !== 'offset' || c.offset >= this.end) return null;
      const container = this.doc.readAt(c.offset, this);
      if (container.num !== e.stream) return null;
      const stm = this.doc.objectStream(container, this);
      const pair = stm.pairs[e.index];
      if (!pair || pair[0] !== num) return null;
      const at = stm.first + pair[1];
      if (at >= stm.data.length) return null;
      return new ObjectParser(stm.data, this.doc.budget).parse(at).value;
    } catch (err) {
      if (err instanceof LimitExceededError) throw err;
      if (err instanceof PdfSyntaxError) return null;
      throw err;
    }
  }

  /** Follows references (bounded by maxReferenceChain) to a direct value. */
  deref(o: PdfObject | undefined): PdfObject | undefined {
    let v = o;
    for (let i = 0; v instanceof PdfRef; i++) {
      if (i >= this.doc.budget.limits.maxReferenceChain) return null;
      v = this.resolve(v);
    }
    return v;
  }

  /** `key` of `dict`, dereferenced. */
  get(dict: PdfDict | undefined, key: string): PdfObject | undefined {
    return dict ? this.deref(dict.get(key)) : undefined;
  }

  get catalog(): PdfDict | undefined {
    const root = this.deref(this.trailer.get('Root'));
    return root instanceof PdfDict ? root : undefined;
  }
}

function buildRevisions(doc: PdfDocument): Revision[] {
  const { bytes, budget } = doc;
  const markers = findEofMarkers(bytes, budget);
  const last = markers[markers.length - 1];
  if (!last) throw new PdfSyntaxError({ message: 'no startxref … %%EOF marker' });
  // Sections newest first along /Prev. Before the revisions exist, a section's own values
  // (/Length of an xref stream, /W, /Index) must be direct, which §7.5.8.2 requires anyway.
  const parser = new ObjectParser(bytes, budget);
  const direct: Deref = (o) => (o instanceof PdfRef ? undefined : o);
  const chain: XrefSection[] = [];
  const seen = new Set<number>();
  let objects = 0;
  for (let offset: number | undefined = last.xrefOffset; offset !== undefined; ) {
    if (seen.has(offset)) throw new PdfSyntaxError({ message: 'the /Prev chain loops', offset });
    seen.add(offset);
    budget.check('maxRevisions', chain.length + 1, 'xref sections');
    const section = readSection(bytes, offset, parser, budget, direct);
    objects += section.entries.size;
    budget.check('maxObjects', objects, 'xref entries');
    chain.push(section);
    const prev = section.trailer.get('Prev');
    offset = typeof prev === 'number' && Number.isSafeInteger(prev) ? prev : undefined;
  }
  // Group sections into revisions: a section some marker points to starts one; a section
  // no marker points to (the main xref of a linearized file) belongs to the newer one.
  const groups: { marker: EofMarker; sections: XrefSection[] }[] = [];
  for (const section of chain) {
    const marker = groups.length === 0 ? last : markers.find((m) => m.xrefOffset === section.offset && m.position > section.offset);
    if (marker && !(groups.length > 0 && marker === groups[groups.length - 1]!.marker)) groups.push({ marker, sections: [section] });
    else if (groups.length > 0) groups[groups.length - 1]!.sections.push(section);
    else throw new PdfSyntaxError({ message: 'newest xref section has no startxref marker', offset: section.offset });
  }
  groups.reverse();
  for (let i = 1; i < groups.length; i++) {
    if (groups[i]!.marker.end <= groups[i - 1]!.marker.end) {
      throw new PdfSyntaxError({ message: 'revisions are out of order: a /Prev points forwards', offset: groups[i]!.sections[0]!.offset });
    }
  }
  const revisions: Revision[] = [];
  groups.forEach((g, index) => {
    const previous = revisions[index - 1];
    revisions.push(new Revision({ doc, index, start: previous?.end ?? 0, marker: g.marker, sections: g.sections, previous }));
  });
  return revisions;
}
