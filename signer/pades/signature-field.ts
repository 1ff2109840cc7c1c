import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { isLockAction, lockCovers, type FieldLock } from '../../common/index.ts';
import type { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { dictOf, existingSignatures, fields, inherited, NAME, pageCount, pageRef, rectangle } from '../pdf/document-structure.ts';
import { InvalidSignOptionError } from './errors.ts';

/** Where a signature shows: a rectangle in default user space (points) on a page. */
export interface FieldPlacement {
  /** 0-based page index; negative counts from the end (-1: last page). */
  readonly page: number;
  readonly rect?: readonly [x1: number, y1: number, x2: number, y2: number] | undefined;
  /** The form XObject for `/AP /N`; absent for an invisible signature. */
  readonly appearance?: PDFRef | undefined;
}

/** Annotation flags (ISO 32000-1 §12.5.3): Print, and Print | Locked for invisible widgets. */
const F_PRINT = 4;
const F_PRINT_LOCKED = 4 | 128;
/** /SigFlags SignaturesExist | AppendOnly (§12.7.2, Table 219). */
const SIG_FLAGS = 3;

/** An unsigned signature field already in the form (placed by the form's author) to sign into. */
export interface EmptySignatureField {
  /** Fully qualified name. */
  readonly name: string;
  readonly field: PDFRef;
  /** The widget that shows it: the field itself when merged with its widget, else its first widget. */
  readonly widget: PDFRef;
  /** The widget's page, from its /P or the page whose /Annots holds it; undefined if on none. */
  readonly page: PDFRef | undefined;
  /** The widget's /Rect in default user space, normalised; undefined for a zero-size (invisible) widget. */
  readonly rect: readonly [number, number, number, number] | undefined;
  /** The fields the form's author wants locked once this one is signed (/Lock, §12.7.4.5). */
  readonly lock: PDFDict | undefined;
}

/**
 * The signature field named `name` when the document has one and it is still unsigned.
 * @returns undefined when no field has that name.
 * @throws {@link InvalidSignOptionError} The named field is not a signature field, is signed, or has no widget.
 */
export function findEmptySignatureField(w: IncrementalWriter, name: string): EmptySignatureField | undefined {
  for (const f of fields(w)) {
    if (f.name !== name) continue;
    const type = inherited(w, f.dict, NAME.FT);
    if (type !== NAME.Sig) {
      throw new InvalidSignOptionError({ field: 'field', message: `the field "${name}" is ${type instanceof PDFName ? `a ${type.decodeText()}` : 'not a signature'} field`, standard: 'ISO 32000-1 §12.7.4.5' });
    }
    if (f.dict.get(NAME.V) !== undefined) throw new InvalidSignOptionError({ field: 'field', message: `the signature field "${name}" is already signed` });
    const widget = f.dict.has(NAME.Rect) ? f.ref : widgetKid(w, f.dict);
    if (!f.ref || !widget) throw new InvalidSignOptionError({ field: 'field', message: `the signature field "${name}" has no widget to show it`, standard: 'ISO 32000-1 §12.5.6.19' });
    const widgetDict = dictOf(w, widget)!;
    const p = widgetDict.get(NAME.P);
    return {
      name,
      field: f.ref,
      widget,
      page: p instanceof PDFRef && dictOf(w, p) ? p : pageHolding(w, widget),
      rect: rectangle(w, widgetDict.get(NAME.Rect)),
      lock: dictOf(w, f.dict.get(PDFName.of('Lock'))),
    };
  }
  return undefined;
}

/**
 * The field name of an existing signature that locks the field `name` (its FieldMDP
 * reference or its field's /Lock, §12.8.2.4): signing there would break that signature's
 * lock, as Acrobat, pyHanko and our verifier judge it.
 */
export function lockingSignature(w: IncrementalWriter, name: string): string | undefined {
  const lockOf = (o: PDFObject | undefined): FieldLock | undefined => {
    const params = dictOf(w, o);
    const action = w.resolve(params?.get(PDFName.of('Action')));
    if (!(action instanceof PDFName) || !isLockAction(action.decodeText())) return undefined;
    const names = w.resolve(params!.get(PDFName.of('Fields')));
    const listed = names instanceof PDFArray ? names.asArray().map((n) => w.resolve(n)) : [];
    return {
      action: action.decodeText() as FieldLock['action'],
      fields: listed.filter((n): n is PDFString | PDFHexString => n instanceof PDFString || n instanceof PDFHexString).map((n) => n.decodeText()),
    };
  };
  const fieldDicts = new Map([...fields(w)].map((f) => [f.name, f.dict]));
  for (const signature of existingSignatures(w)) {
    const references = w.resolve(signature.dictionary.get(PDFName.of('Reference')));
    const locks = (references instanceof PDFArray ? references.asArray() : [])
      .map((r) => dictOf(w, r))
      .filter((r) => w.resolve(r?.get(NAME.TransformMethod)) === PDFName.of('FieldMDP'))
      .map((r) => lockOf(r!.get(NAME.TransformParams)));
    locks.push(lockOf(fieldDicts.get(signature.fieldName)?.get(PDFName.of('Lock'))));
    if (locks.some((lock) => lock && lockCovers(lock, name))) return signature.fieldName;
  }
  return undefined;
}

/**
 * The fully qualified names of the signature fields that a visible seal could fill: unsigned,
 * with a widget of some area on a page, and locked by no signature.
 */
export function emptySignatureFields(w: IncrementalWriter): string[] {
  const free: string[] = [];
  for (const f of fields(w)) {
    if (inherited(w, f.dict, NAME.FT) !== NAME.Sig || f.dict.get(NAME.V) !== undefined) continue;
    const widget = f.dict.has(NAME.Rect) ? f.ref : widgetKid(w, f.dict);
    if (!widget || !rectangle(w, dictOf(w, widget)?.get(NAME.Rect))) continue;
    if (!lockingSignature(w, f.name)) free.push(f.name);
  }
  return free;
}

function widgetKid(w: IncrementalWriter, field: PDFDict): PDFRef | undefined {
  const kids = w.resolve(field.get(NAME.Kids));
  if (!(kids instanceof PDFArray)) return undefined;
  return kids.asArray().find((k): k is PDFRef => k instanceof PDFRef && dictOf(w, k)?.has(NAME.Rect) === true);
}

function pageHolding(w: IncrementalWriter, annotation: PDFRef): PDFRef | undefined {
  for (let i = 0, n = pageCount(w); i < n; i++) {
    const page = pageRef(w, i);
    const annots = w.resolve(dictOf(w, page)?.get(NAME.Annots));
    if (annots instanceof PDFArray && annots.asArray().some((a) => a === annotation)) return page;
  }
  return undefined;
}

/**
 * Signs into a field the form already had: its /V points at the signature dictionary and,
 * for a visible seal, its widget gets the appearance. /SigFlags becomes 3 as for a new field.
 */
export function fillSignatureField(w: IncrementalWriter, target: EmptySignatureField, signature: PDFRef, appearance: PDFRef | undefined): void {
  w.update(target.field, (d) => void (d as PDFDict).set(NAME.V, signature));
  if (appearance) w.update(target.widget, (d) => void (d as PDFDict).set(PDFName.of('AP'), w.context.obj({ N: appearance })));
  setSignatureFlags(w);
}

/** A field name not yet used in the document: `${prefix}1`, `${prefix}2`, … */
export function freeFieldName(w: IncrementalWriter, prefix: string): string {
  const taken = new Set([...fields(w)].map((f) => f.name));
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** @throws {@link InvalidSignOptionError} The name is empty, contains a period (§12.7.3.2) or is taken. */
export function checkFieldName(w: IncrementalWriter, name: string): void {
  if (name.length === 0 || name.includes('.')) {
    throw new InvalidSignOptionError({ field: 'field', message: `"${name}" is not a partial field name (non-empty, no period)`, standard: 'ISO 32000-1 §12.7.3.2' });
  }
  for (const f of fields(w)) {
    if (f.name === name) throw new InvalidSignOptionError({ field: 'field', message: `a field named "${name}" already exists` });
  }
}

/**
 * Adds a signature field whose widget is merged into it (§12.7.4.5, §12.5.6.19), with
 * `/V` pointing at the signature dictionary, puts the widget in the page's /Annots and the
 * field in the AcroForm's /Fields, and sets /SigFlags 3. Every dictionary it touches is
 * marked as changed in `w`; nothing is rewritten in place.
 */
export function addSignatureField(w: IncrementalWriter, name: string, signature: PDFRef, placement: FieldPlacement): PDFRef {
  const ctx = w.context;
  const page = pageRef(w, placement.page);
  const rect = placement.rect ?? [0, 0, 0, 0];
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [...rect],
    F: placement.appearance ? F_PRINT : F_PRINT_LOCKED,
  });
  widget.set(NAME.T, PDFHexString.fromText(name));
  widget.set(NAME.V, signature);
  widget.set(NAME.P, page);
  if (placement.appearance) widget.set(PDFName.of('AP'), ctx.obj({ N: placement.appearance }));
  const widgetRef = w.add(widget);

  appendTo(w, page, NAME.Annots, widgetRef);
  const catalogRef = w.catalogRef;
  const acroFormObj = w.catalog.get(NAME.AcroForm);
  if (acroFormObj instanceof PDFRef && dictOf(w, acroFormObj)) {
    appendTo(w, acroFormObj, NAME.Fields, widgetRef);
  } else if (acroFormObj instanceof PDFDict) {
    appendTo(w, catalogRef, NAME.Fields, widgetRef, acroFormObj);
  } else {
    const acroForm = w.add(ctx.obj({ Fields: [widgetRef] }));
    w.update(catalogRef, (c) => void (c as PDFDict).set(NAME.AcroForm, acroForm));
  }
  setSignatureFlags(w);
  return widgetRef;
}

/** Sets the AcroForm's /SigFlags to 3 (SignaturesExist | AppendOnly), in whichever object holds it. */
function setSignatureFlags(w: IncrementalWriter): void {
  const acroFormObj = w.catalog.get(NAME.AcroForm);
  const flags = PDFNumber.of(SIG_FLAGS);
  if (acroFormObj instanceof PDFRef && dictOf(w, acroFormObj)) {
    w.update(acroFormObj, (d) => void (d as PDFDict).set(NAME.SigFlags, flags));
  } else if (acroFormObj instanceof PDFDict) {
    acroFormObj.set(NAME.SigFlags, flags);
    w.update(w.catalogRef);
  }
}

/**
 * Appends `item` to the array under `key` of the dictionary `owner` (or of `inner`, a
 * direct dictionary inside `owner`), updating whichever object holds the array.
 */
function appendTo(w: IncrementalWriter, owner: PDFRef, key: PDFName, item: PDFObject, inner?: PDFDict): void {
  const dict = inner ?? dictOf(w, owner);
  if (!dict) throw new InvalidSignOptionError({ field: 'pdf', message: `object ${owner.toString()} is not a dictionary` });
  const current = dict.get(key);
  const resolved = w.resolve(current);
  if (current instanceof PDFRef && resolved instanceof PDFArray) {
    w.update(current, (a) => void (a as PDFArray).push(item));
    return;
  }
  if (resolved instanceof PDFArray) resolved.push(item);
  else dict.set(key, w.context.obj([item]));
  w.update(owner);
}
