/**
 * The Document Security Store (ETSI EN 319 142-1 §5.4.2; ISO 32000-2 §12.8.4.3): the
 * certificates, CRLs and OCSP responses a PAdES B-LT file carries for later validation.
 */
import type { Revision } from '../pdf/document.ts';
import { decodeStream } from '../pdf/filters.ts';
import { PdfArray, PdfDict, PdfRef, PdfStream } from '../pdf/objects.ts';
import { LimitExceededError, PdfSyntaxError } from '../errors.ts';

export interface DssMaterial {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
  /** Object numbers of the DSS dictionary and everything it lists (to find where it changed). */
  readonly objects: ReadonlySet<number>;
}

export function readDss(rev: Revision): DssMaterial | undefined {
  const catalog = rev.catalog;
  const dssRef = catalog?.get('DSS');
  const dss = rev.deref(dssRef);
  if (!(dss instanceof PdfDict)) return undefined;
  const objects = new Set<number>();
  if (dssRef instanceof PdfRef) objects.add(dssRef.num);
  const list = (key: string): Uint8Array[] => {
    const arrRef = dss.get(key);
    if (arrRef instanceof PdfRef) objects.add(arrRef.num);
    const arr = rev.deref(arrRef);
    if (!(arr instanceof PdfArray)) return [];
    const out: Uint8Array[] = [];
    for (const item of arr.items) {
      if (item instanceof PdfRef) objects.add(item.num);
      const s = rev.deref(item);
      if (!(s instanceof PdfStream)) continue;
      try {
        out.push(decodeStream(s, rev.doc.budget, (o) => rev.deref(o)));
      } catch (e) {
        if (e instanceof LimitExceededError) throw e;
        if (!(e instanceof PdfSyntaxError)) throw e;
      }
    }
    return out;
  };
  return { certificates: list('Certs'), crls: list('CRLs'), ocspResponses: list('OCSPs'), objects };
}
