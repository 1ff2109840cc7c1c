/**
 * Empty signature fields prepared ahead of signing, and signing into them the way Adobe
 * Acrobat does (ISO 32000-1 §12.7.4.5): the field (or its separate widget among /Kids)
 * gains /V, a new /AP with layered appearance XObjects (/FRM holding n0 and n2), and /F.
 */
import { buildCms } from './cms.ts';
import { acroFormBody, allocate, appendUpdate, catalogBody, dict, lit, pageBody, ref, type Body, type TestDoc } from './pdf-writer.ts';
import type { Identity } from './pki.ts';
import { fillSignature, signatureDictionary } from './sign.ts';

export interface EmptySigField {
  readonly name: string;
  readonly field: number;
  /** The widget: the field itself when merged, else its one kid. */
  readonly widget: number;
  readonly rect: string;
}

const widgetKeys = (doc: TestDoc, rect: string): Record<string, string> => ({ Type: '/Annot', Subtype: '/Widget', Rect: rect, P: ref(doc.pages[0]!.num) });

/** A revision that adds an empty signature field with a visible widget on page 1. */
export function addEmptySignatureField(doc: TestDoc, name: string, o: { kidWidget?: boolean; rect?: string } = {}): { doc: TestDoc; field: EmptySigField } {
  const rect = o.rect ?? '[400 50 560 110]';
  const [fieldNum, kidNum] = allocate(doc, 2) as [number, number];
  const widget = o.kidWidget ? kidNum : fieldNum;
  const objects = new Map<number, Body>();
  if (o.kidWidget) {
    objects.set(fieldNum, dict({ FT: '/Sig', T: lit(name), Kids: `[${ref(kidNum)}]` }));
    objects.set(kidNum, dict({ ...widgetKeys(doc, rect), Parent: ref(fieldNum) }));
  } else objects.set(fieldNum, dict({ FT: '/Sig', T: lit(name), ...widgetKeys(doc, rect) }));
  const page = doc.pages[0]!;
  const pages = [{ ...page, annots: [...page.annots, widget] }, ...doc.pages.slice(1)];
  const acroForm = doc.acroForm ? { ...doc.acroForm, fields: [...doc.acroForm.fields, fieldNum] } : { num: Math.max(fieldNum, kidNum) + 1, fields: [fieldNum], extra: {} };
  objects.set(acroForm.num, acroFormBody(acroForm));
  objects.set(doc.catalog.num, catalogBody({ ...doc, acroForm }));
  objects.set(page.num, pageBody(doc, pages[0]!));
  return { doc: appendUpdate(doc, objects, { acroForm, pages }), field: { name, field: fieldNum, widget, rect } };
}

/**
 * Signs `target` in a new revision. `acrobat`: also sets the widget's /F and gives it an
 * appearance built from new XObjects, as Acrobat writes it. `extra` adds objects (for
 * attacks that reach the new appearance from elsewhere).
 */
export function signExistingField(doc: TestDoc, target: EmptySigField, signer: Identity, o: { acrobat?: boolean; docMdp?: 1 | 2 | 3; extra?: (apNum: number) => ReadonlyMap<number, Body> } = {}): TestDoc {
  const [sigNum, frm, n0, n2] = allocate(doc, 4) as [number, number, number, number];
  const objects = new Map<number, Body>();
  objects.set(sigNum, signatureDictionary({ type: 'Sig', subFilter: 'ETSI.CAdES.detached', docMdp: o.docMdp }));
  const ap = o.acrobat ? { AP: `<< /N ${ref(frm)} >>`, F: '4' } : {};
  if (o.acrobat) {
    const form = (res: string): string => `<< /Type /XObject /Subtype /Form /BBox [0 0 160 60] /Resources ${res} >>`;
    objects.set(frm, { dict: form(`<< /XObject << /n0 ${ref(n0)} /n2 ${ref(n2)} >> >>`), data: Buffer.from('q 1 0 0 1 0 0 cm /n0 Do Q q 1 0 0 1 0 0 cm /n2 Do Q') });
    objects.set(n0, { dict: form('<< >>'), data: Buffer.from('% DSBlank') });
    objects.set(n2, { dict: form('<< /Font << /F1 4 0 R >> >>'), data: Buffer.from('BT /F1 10 Tf 5 25 Td (Signed by Acrobat) Tj ET') });
  }
  if (target.widget === target.field) {
    objects.set(target.field, dict({ FT: '/Sig', T: lit(target.name), ...widgetKeys(doc, target.rect), V: ref(sigNum), ...ap }));
  } else {
    objects.set(target.field, dict({ FT: '/Sig', T: lit(target.name), Kids: `[${ref(target.widget)}]`, V: ref(sigNum) }));
    if (o.acrobat) objects.set(target.widget, dict({ ...widgetKeys(doc, target.rect), Parent: ref(target.field), ...ap }));
  }
  let catalog = doc.catalog;
  if (o.docMdp) {
    catalog = { ...catalog, extra: { ...catalog.extra, Perms: `<< /DocMDP ${ref(sigNum)} >>` } };
    objects.set(catalog.num, catalogBody({ ...doc, catalog }));
  }
  for (const [n, b] of o.extra?.(frm) ?? []) objects.set(n, b);
  const prepared = appendUpdate(doc, objects, { catalog });
  return fillSignature(prepared, (covered) => buildCms({ signer, content: covered }));
}
