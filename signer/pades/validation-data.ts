import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { decodeStream } from '../pdf/stream-filters.ts';
import type { RevocationSource, ValidationMaterial } from '../types.ts';
import { hash } from '../cms/algorithms.ts';
import { certificatesInCms } from './cms-certificates.ts';
import { dictOf, existingSignatures, NAME } from '../pdf/document-structure.ts';
import { InvalidSignOptionError } from './errors.ts';

/** Options of {@link addValidationData}. */
export interface ValidationDataOptions {
  /**
   * Where CRLs and OCSP responses come from: a `RevocationSource` asked about every
   * certificate in the document's signatures and time-stamps, or material gathered already.
   */
  readonly revocation: RevocationSource | ValidationMaterial;
  /** Passed to `RevocationSource.collect`: the time the material should speak for. @default now */
  readonly at?: Date | undefined;
}

const DSS_KEYS = { Certs: PDFName.of('Certs'), CRLs: PDFName.of('CRLs'), OCSPs: PDFName.of('OCSPs') } as const;
type DssKey = keyof typeof DSS_KEYS;

/**
 * Adds validation data as one incremental revision: a Document Security Store (/DSS, ETSI
 * EN 319 142-1 §5.4.2, ISO 32000-2 §12.8.4.3) with /Certs, /CRLs and /OCSPs — PAdES
 * B-LT once every signature is B-T. An existing /DSS is extended, never rewritten; entries
 * it already holds are not repeated. No /VRI is written (optional in §5.4.2.2).
 *
 * The certificates asked about are those carried by each signature's CMS and by its
 * time-stamp tokens, and by document time-stamps.
 * @returns `pdf` followed by one revision, or `pdf` itself if the DSS already holds everything.
 * @throws The RevocationSource's own errors, unchanged; {@link InvalidSignOptionError} when the document has no signature.
 * @example
 * const lt = await addValidationData(signed, { revocation: pki.revocationSource() });
 */
export async function addValidationData(pdf: Uint8Array, options: ValidationDataOptions): Promise<Uint8Array> {
  const w = IncrementalWriter.from(pdf);
  const signatures = existingSignatures(w);
  if (signatures.length === 0) {
    throw new InvalidSignOptionError({ field: 'pdf', message: 'the document has no signature to add validation data for', standard: 'ETSI EN 319 142-1 §5.4' });
  }
  const certificates = unique(signatures.flatMap((s) => certificatesInCms(s.contents())));
  const material = 'collect' in options.revocation ? await options.revocation.collect(certificates, options.at) : options.revocation;
  const wanted: Record<DssKey, Uint8Array[]> = {
    Certs: unique([...certificates, ...material.certificates]),
    CRLs: unique([...material.crls]),
    OCSPs: unique([...material.ocspResponses]),
  };

  const dssObj = w.catalog.get(NAME.DSS);
  const dss = dictOf(w, dssObj) ?? w.context.obj({ Type: 'DSS' });
  let changed = false;
  for (const key of Object.keys(DSS_KEYS) as DssKey[]) {
    const existing = w.resolve(dss.get(DSS_KEYS[key]));
    const entries = existing instanceof PDFArray ? existing.asArray() : [];
    const have = new Set(entries.map((e) => w.resolve(e)).filter((s) => s instanceof PDFRawStream).map((s) => hash('SHA-256', decodeStream(s)).toString('hex')));
    const added = wanted[key].filter((der) => !have.has(hash('SHA-256', der).toString('hex')));
    if (added.length === 0) continue;
    const refs: PDFRef[] = added.map((der) => w.add(PDFRawStream.of(w.context.obj({ Filter: 'FlateDecode' }), deflateSync(der))));
    dss.set(DSS_KEYS[key], w.context.obj([...entries, ...refs]));
    changed = true;
  }
  if (!changed) return pdf;
  if (dssObj instanceof PDFRef) w.update(dssObj, dss);
  else {
    const ref = w.add(dss);
    w.update(w.catalogRef, (c) => void (c as PDFDict).set(NAME.DSS, ref));
  }
  return w.write();
}

function unique(items: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return items.filter((b) => {
    const k = hash('SHA-256', b).toString('hex');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
