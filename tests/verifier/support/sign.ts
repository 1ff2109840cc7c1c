/**
 * Signing test documents (ISO 32000-1 §12.8; PAdES EN 319 142-1) with the test writer and
 * CMS builder: a new signature field and widget in an incremental update, /ByteRange and
 * /Contents filled in afterwards. Also document time-stamps and /DSS updates.
 */
import { createHash } from 'node:crypto';
import { buildCms, timestampToken, type CmsOptions } from './cms.ts';
import {
  acroFormBody,
  allocate,
  appendUpdate,
  catalogBody,
  dict,
  lit,
  pageBody,
  pdfDate,
  ref,
  refs,
  type Body,
  type TestDoc,
  type UpdateOptions,
} from './pdf-writer.ts';
import type { Identity } from './pki.ts';

export const PLACEHOLDER = 8192;

export type SubFilter = 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' | 'adbe.pkcs7.sha1';

export interface SignOptions extends Omit<CmsOptions, 'content' | 'signer' | 'eContent'> {
  readonly field?: string;
  readonly subFilter?: SubFilter;
  /** /M: the claimed signing time. */
  readonly signingTimeClaim?: Date;
  /** Make this a certification signature with DocMDP /P. */
  readonly docMdp?: 1 | 2 | 3;
  /** Lock fields (FieldMDP, §12.8.2.4): in the signature's /Reference, or only in its field's /Lock. */
  readonly fieldMdp?: { readonly action: 'All' | 'Include' | 'Exclude'; readonly fields?: readonly string[]; readonly in: 'reference' | 'lock' };
  readonly update?: UpdateOptions;
  /** Put a visible widget with an appearance stream on page 1. */
  readonly visible?: boolean;
  readonly placeholder?: number;
  /** Builds the CMS from the covered bytes, replacing the normal builder (for crafted attacks). */
  readonly cms?: (covered: readonly Uint8Array[]) => Uint8Array;
}

/** Adds a signature in a new revision and signs it. */
export function signDocument(doc: TestDoc, signer: Identity, o: SignOptions & { readonly tamper?: RangeTamper } = {}): TestDoc {
  const subFilter = o.subFilter ?? 'ETSI.CAdES.detached';
  const prepared = prepareSignatureField(doc, {
    field: o.field ?? `Sig${(doc.acroForm?.fields.length ?? 0) + 1}`,
    sigDict: signatureDictionary({ type: 'Sig', subFilter, m: o.signingTimeClaim, placeholder: o.placeholder, docMdp: o.docMdp, fieldMdp: o.fieldMdp?.in === 'reference' ? o.fieldMdp : undefined }),
    docMdp: o.docMdp !== undefined,
    lock: o.fieldMdp?.in === 'lock' ? fieldLockParams(o.fieldMdp, 'SigFieldLock') : undefined,
    visible: o.visible,
    update: o.update,
  });
  return fillSignature(prepared, (covered) => {
    if (o.cms) return o.cms(covered);
    if (subFilter === 'adbe.pkcs7.sha1') {
      const h = sha1(covered);
      return buildCms({ ...o, signer, content: [], hash: o.hash ?? 'sha1', eContent: { type: '1.2.840.113549.1.7.1', data: h } });
    }
    return buildCms({ ...o, signer, content: covered });
  }, o.tamper);
}

function sha1(parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Adds a document time-stamp (SubFilter ETSI.RFC3161) in a new revision. */
export function timestampDocument(doc: TestDoc, tsa: Identity, at: Date, o: { field?: string; update?: UpdateOptions } = {}): TestDoc {
  const prepared = prepareSignatureField(doc, {
    field: o.field ?? `DocTS${(doc.acroForm?.fields.length ?? 0) + 1}`,
    sigDict: signatureDictionary({ type: 'DocTimeStamp', subFilter: 'ETSI.RFC3161' }),
    docMdp: false,
    update: o.update,
  });
  return fillSignature(prepared, (covered) => timestampToken({ tsa, at, data: covered }));
}

/** Appends a /DSS (ETSI EN 319 142-1 §5.4.2) with these certificates, CRLs and OCSP responses. */
export function addDss(doc: TestDoc, material: { certs?: readonly Uint8Array[]; crls?: readonly Uint8Array[]; ocsps?: readonly Uint8Array[] }, update?: UpdateOptions): TestDoc {
  const objects = new Map<number, Body>();
  let next = doc.size;
  const streams = (list: readonly Uint8Array[] | undefined): string | undefined => {
    if (!list || list.length === 0) return undefined;
    const nums = list.map((data) => {
      const n = next++;
      objects.set(n, { dict: '<< >>', data, compress: true });
      return n;
    });
    return refs(nums);
  };
  const dssNum = next++;
  objects.set(dssNum, dict({ Type: '/DSS', Certs: streams(material.certs), CRLs: streams(material.crls), OCSPs: streams(material.ocsps) }));
  const catalog = { ...doc.catalog, extra: { ...doc.catalog.extra, DSS: ref(dssNum) } };
  objects.set(doc.catalog.num, catalogBody({ ...doc, catalog }));
  return appendUpdate(doc, objects, { catalog }, update);
}

/** FieldMDP transform parameters, or a signature field's /Lock (§12.8.2.4, §12.7.4.5). */
function fieldLockParams(lock: NonNullable<SignOptions['fieldMdp']>, type: 'TransformParams' | 'SigFieldLock'): string {
  const fields = lock.fields ? ` /Fields [${lock.fields.map(lit).join(' ')}]` : '';
  return `<< /Type /${type} /Action /${lock.action}${fields}${type === 'TransformParams' ? ' /V /1.2' : ''} >>`;
}

export function signatureDictionary(p: {
  type: 'Sig' | 'DocTimeStamp';
  subFilter: string;
  m?: Date;
  placeholder?: number;
  docMdp?: 1 | 2 | 3;
  fieldMdp?: NonNullable<SignOptions['fieldMdp']> | undefined;
  extra?: Record<string, string>;
}): string {
  const references = [
    ...(p.docMdp ? [`<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /V /1.2 /P ${p.docMdp} >> >>`] : []),
    ...(p.fieldMdp ? [`<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams ${fieldLockParams(p.fieldMdp, 'TransformParams')} >>`] : []),
  ];
  return dict({
    Type: `/${p.type}`,
    Filter: '/Adobe.PPKLite',
    SubFilter: `/${p.subFilter}`,
    ByteRange: '[0000000000 0000000000 0000000000 0000000000]',
    Contents: `<${'0'.repeat(2 * (p.placeholder ?? PLACEHOLDER))}>`,
    M: p.m ? pdfDate(p.m) : undefined,
    Reason: p.type === 'Sig' ? lit('zhengyin verifier test') : undefined,
    Reference: references.length > 0 ? `[${references.join(' ')}]` : undefined,
    ...p.extra,
  });
}

/** A new revision with a signature field (widget on page 1) whose value is `sigDict`. */
export function prepareSignatureField(doc: TestDoc, p: { field: string; sigDict: string; docMdp: boolean; visible?: boolean; lock?: string | undefined; update?: UpdateOptions }): TestDoc {
  const objects = new Map<number, Body>();
  const [sigNum, fieldNum, apNum] = allocate(doc, 3) as [number, number, number];
  const page = doc.pages[0]!;
  objects.set(sigNum, p.sigDict);
  const rect = p.visible ? '[400 50 560 110]' : '[0 0 0 0]';
  objects.set(fieldNum, dict({
    FT: '/Sig', T: lit(p.field), Type: '/Annot', Subtype: '/Widget', F: '132', Rect: rect, P: ref(page.num), V: ref(sigNum),
    AP: p.visible ? `<< /N ${ref(apNum)} >>` : undefined,
    Lock: p.lock,
  }));
  if (p.visible) objects.set(apNum, { dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 160 60] /Resources << /Font << /F1 4 0 R >> >> >>', data: Buffer.from('BT /F1 10 Tf 5 25 Td (Signed) Tj ET') });
  let acroForm = doc.acroForm;
  let catalog = doc.catalog;
  if (!acroForm) {
    const formNum = p.visible ? apNum + 1 : apNum;
    acroForm = { num: formNum, fields: [fieldNum], extra: {} };
  } else acroForm = { ...acroForm, fields: [...acroForm.fields, fieldNum] };
  objects.set(acroForm.num, acroFormBody(acroForm));
  if (p.docMdp) catalog = { ...catalog, extra: { ...catalog.extra, Perms: `<< /DocMDP ${ref(sigNum)} >>` } };
  const pages = [{ ...page, annots: [...page.annots, fieldNum] }, ...doc.pages.slice(1)];
  objects.set(doc.catalog.num, catalogBody({ ...doc, acroForm, catalog }));
  objects.set(page.num, pageBody(doc, pages[0]!));
  return appendUpdate(doc, objects, { acroForm, catalog, pages }, p.update);
}

/** Deliberately wrong /ByteRange values, for coverage attacks. */
export interface RangeTamper {
  /** Leave this many bytes at the end of the revision uncovered. */
  readonly tail?: number;
  /** Move the start of the gap by this many bytes (negative: the gap swallows bytes before /Contents). */
  readonly gapStart?: number;
  /** Move the end of the gap. */
  readonly gapEnd?: number;
  /** First covered byte (0 is correct). */
  readonly first?: number;
}

/** Fills /ByteRange and /Contents of the last placeholder in the file with `cms(covered)`. */
export function fillSignature(doc: TestDoc, cms: (covered: readonly Uint8Array[]) => Uint8Array, tamper: RangeTamper = {}): TestDoc {
  const bytes = Buffer.from(doc.bytes);
  const brText = '[0000000000 0000000000 0000000000 0000000000]';
  const br = bytes.lastIndexOf(brText, undefined, 'latin1');
  const contentsStart = bytes.indexOf('/Contents <', br, 'latin1') + '/Contents '.length;
  const contentsEnd = bytes.indexOf('>', contentsStart, 'latin1') + 1;
  if (br < 0 || contentsStart < br) throw new Error('no signature placeholder');
  const first = tamper.first ?? 0;
  const start = contentsStart + (tamper.gapStart ?? 0);
  const end = contentsEnd + (tamper.gapEnd ?? 0);
  const range = [first, start - first, end, bytes.length - end - (tamper.tail ?? 0)];
  bytes.write(`[${range.map((n) => String(n).padStart(10, '0')).join(' ')}]`, br, 'latin1');
  const covered = [bytes.subarray(first, start), bytes.subarray(end, end + range[3]!)];
  const der = cms(covered);
  const hex = Buffer.from(der).toString('hex').toUpperCase();
  if (hex.length > contentsEnd - contentsStart - 2) throw new Error(`CMS of ${der.length} bytes does not fit the placeholder`);
  bytes.write(hex, contentsStart + 1, 'latin1');
  return { ...doc, bytes: new Uint8Array(bytes) };
}
