import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { PdfReadError } from './errors.ts';
import type { IncrementalWriter } from './incremental-writer.ts';
import { InvalidSignOptionError } from '../pades/errors.ts';

export const NAME = {
  AcroForm: PDFName.of('AcroForm'),
  Annots: PDFName.of('Annots'),
  ByteRange: PDFName.of('ByteRange'),
  Contents: PDFName.of('Contents'),
  Count: PDFName.of('Count'),
  CropBox: PDFName.of('CropBox'),
  DocMDP: PDFName.of('DocMDP'),
  DSS: PDFName.of('DSS'),
  FT: PDFName.of('FT'),
  Fields: PDFName.of('Fields'),
  Kids: PDFName.of('Kids'),
  MediaBox: PDFName.of('MediaBox'),
  P: PDFName.of('P'),
  Pages: PDFName.of('Pages'),
  Parent: PDFName.of('Parent'),
  Perms: PDFName.of('Perms'),
  Reference: PDFName.of('Reference'),
  Rect: PDFName.of('Rect'),
  Rotate: PDFName.of('Rotate'),
  Sig: PDFName.of('Sig'),
  SigFlags: PDFName.of('SigFlags'),
  SubFilter: PDFName.of('SubFilter'),
  T: PDFName.of('T'),
  TransformMethod: PDFName.of('TransformMethod'),
  TransformParams: PDFName.of('TransformParams'),
  Type: PDFName.of('Type'),
  V: PDFName.of('V'),
} as const;

/** A signature field that carries a value, as found in the AcroForm (ISO 32000-1 §12.7.4.5). */
export interface ExistingSignature {
  /** Fully qualified field name (§12.7.3.2). */
  readonly fieldName: string;
  readonly dictionary: PDFDict;
  /** `/SubFilter`, e.g. `ETSI.CAdES.detached` or `ETSI.RFC3161`. */
  readonly subFilter: string | undefined;
  /** The DER CMS in /Contents, zero padding included (decoded on demand: it is large). */
  contents(): Uint8Array;
}

export function textOf(obj: PDFObject | undefined): string | undefined {
  return obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined;
}

export function dictOf(w: IncrementalWriter, obj: PDFObject | undefined): PDFDict | undefined {
  const v = w.resolve(obj);
  return v instanceof PDFDict ? v : undefined;
}

function arrayOf(w: IncrementalWriter, obj: PDFObject | undefined): PDFArray | undefined {
  const v = w.resolve(obj);
  return v instanceof PDFArray ? v : undefined;
}

/** Visits every field of the AcroForm with its fully qualified name (§12.7.3.2). */
export function* fields(w: IncrementalWriter): Generator<{ name: string; dict: PDFDict; ref: PDFRef | undefined }> {
  const acroForm = dictOf(w, w.catalog.get(NAME.AcroForm));
  const top = arrayOf(w, acroForm?.get(NAME.Fields));
  if (!top) return;
  const seen = new Set<PDFObject>();
  function* walk(kids: PDFArray, prefix: string): Generator<{ name: string; dict: PDFDict; ref: PDFRef | undefined }> {
    for (const kid of kids.asArray()) {
      const dict = dictOf(w, kid);
      if (!dict || seen.has(dict)) continue; // a loop in /Kids must not hang us
      seen.add(dict);
      const partial = textOf(dict.get(NAME.T));
      const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
      yield { name, dict, ref: kid instanceof PDFRef ? kid : undefined };
      const children = arrayOf(w, dict.get(NAME.Kids));
      if (children) yield* walk(children, name);
    }
  }
  yield* walk(top, '');
}

/** The signed signature fields of the document, in AcroForm order. */
export function existingSignatures(w: IncrementalWriter): ExistingSignature[] {
  const found: ExistingSignature[] = [];
  for (const { name, dict } of fields(w)) {
    if (inherited(w, dict, NAME.FT) !== NAME.Sig) continue;
    const value = dictOf(w, dict.get(NAME.V));
    const contents = value?.get(NAME.Contents);
    if (!value || !(contents instanceof PDFHexString || contents instanceof PDFString)) continue;
    const subFilter = value.get(NAME.SubFilter);
    found.push({
      fieldName: name,
      dictionary: value,
      subFilter: subFilter instanceof PDFName ? subFilter.decodeText() : undefined,
      contents: () => contents.asBytes(),
    });
  }
  return found;
}

export function inherited(w: IncrementalWriter, dict: PDFDict, key: PDFName): PDFObject | undefined {
  for (let d: PDFDict | undefined = dict, depth = 0; d && depth < 64; d = dictOf(w, d.get(NAME.Parent)), depth++) {
    const v = d.get(key);
    if (v !== undefined) return w.resolve(v);
  }
  return undefined;
}

/**
 * The /P of the document's certification signature (ISO 32000-1 §12.8.2.2), if certified.
 */
export function docMdpPermissions(w: IncrementalWriter): number | undefined {
  const perms = dictOf(w, w.catalog.get(NAME.Perms));
  const sig = dictOf(w, perms?.get(NAME.DocMDP));
  if (!sig) return undefined;
  const refs = w.resolve(sig.get(NAME.Reference));
  for (const ref of refs instanceof PDFArray ? refs.asArray() : []) {
    const sigRef = dictOf(w, ref);
    if (w.resolve(sigRef?.get(NAME.TransformMethod)) !== NAME.DocMDP) continue;
    const p = dictOf(w, sigRef?.get(NAME.TransformParams))?.get(NAME.P);
    return p instanceof PDFNumber ? p.asNumber() : 2; // §12.8.2.2.2: /P defaults to 2
  }
  return 2;
}

/** The number of pages, from the page tree root's /Count. @throws {@link PdfReadError} no page tree. */
export function pageCount(w: IncrementalWriter): number {
  return pageTree(w).count;
}

function pageTree(w: IncrementalWriter): { root: PDFDict; count: number } {
  const rootRef = w.catalog.get(NAME.Pages);
  const root = dictOf(w, rootRef);
  const total = root?.get(NAME.Count);
  if (!(rootRef instanceof PDFRef) || !root || !(total instanceof PDFNumber)) {
    throw new PdfReadError({ message: 'pdf: catalog has no page tree (/Pages with /Count)' });
  }
  return { root, count: total.asNumber() };
}

/**
 * The page at `index` (0-based; negative counts from the end), found by walking the page
 * tree (§7.7.3.2) with /Count so that only one branch is read.
 * @throws {@link InvalidSignOptionError} No such page.
 */
export function pageRef(w: IncrementalWriter, index: number): PDFRef {
  const { root, count } = pageTree(w);
  const wanted = index < 0 ? count + index : index;
  if (!Number.isInteger(index) || wanted < 0 || wanted >= count) {
    throw new InvalidSignOptionError({ field: 'page', message: `page ${index} does not exist; the document has ${count} page(s), indexed from 0` });
  }
  let node: PDFDict = root;
  let remaining = wanted;
  for (let depth = 0; depth < 64; depth++) {
    const kids = arrayOf(w, node.get(NAME.Kids));
    if (!kids) break;
    let descended = false;
    for (const kid of kids.asArray()) {
      const dict = dictOf(w, kid);
      if (!(kid instanceof PDFRef) || !dict) continue;
      const kidCount = dict.get(NAME.Count);
      const size = dict.get(NAME.Type) === PDFName.of('Pages') && kidCount instanceof PDFNumber ? kidCount.asNumber() : 1;
      if (remaining < size) {
        if (size === 1 && dict.get(NAME.Kids) === undefined) return kid;
        node = dict;
        descended = true;
        break;
      }
      remaining -= size;
    }
    if (!descended) break;
  }
  throw new PdfReadError({ message: `pdf: page tree does not lead to page ${wanted}` });
}

/** How a page shows: its visible box in default user space and its clockwise turn. */
export interface PageGeometry {
  /** CropBox, else MediaBox, normalised: [llx, lly, urx, ury]. */
  readonly box: readonly [number, number, number, number];
  /** /Rotate, normalised to 0, 90, 180 or 270 degrees clockwise (§7.7.3.3). */
  readonly rotate: 0 | 90 | 180 | 270;
}

/**
 * The page's visible box and rotation, inherited through the page tree where the page
 * does not set them (ISO 32000-1 §7.7.3.4).
 * @throws {@link PdfReadError} no usable MediaBox, or a /Rotate that is not a multiple of 90.
 */
export function pageGeometry(w: IncrementalWriter, page: PDFRef): PageGeometry {
  const inherited = (key: PDFName): PDFObject | undefined => {
    let node = dictOf(w, page);
    for (let depth = 0; node && depth < 64; depth++) {
      const value = node.get(key);
      if (value !== undefined) return w.resolve(value);
      node = dictOf(w, node.get(NAME.Parent));
    }
    return undefined;
  };
  const box = rectangle(w, inherited(NAME.CropBox)) ?? rectangle(w, inherited(NAME.MediaBox));
  if (!box) throw new PdfReadError({ message: 'pdf: the page has no usable /MediaBox' });
  const turn = inherited(NAME.Rotate);
  const degrees = turn instanceof PDFNumber ? turn.asNumber() : 0;
  if (!Number.isInteger(degrees) || degrees % 90 !== 0) throw new PdfReadError({ message: `pdf: page /Rotate ${degrees} is not a multiple of 90` });
  return { box, rotate: (((degrees % 360) + 360) % 360) as PageGeometry['rotate'] };
}

/** A rectangle (§7.9.5) normalised to [llx, lly, urx, ury]; undefined unless four finite numbers with area. */
export function rectangle(w: IncrementalWriter, o: PDFObject | undefined): [number, number, number, number] | undefined {
  const array = arrayOf(w, o);
  if (!array || array.size() !== 4) return undefined;
  const n = array.asArray().map((v) => {
    const x = w.resolve(v);
    return x instanceof PDFNumber ? x.asNumber() : NaN;
  });
  if (n.some((v) => !Number.isFinite(v)) || n[0] === n[2] || n[1] === n[3]) return undefined;
  return [Math.min(n[0]!, n[2]!), Math.min(n[1]!, n[3]!), Math.max(n[0]!, n[2]!), Math.max(n[1]!, n[3]!)];
}
