import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { applySeal, IncrementalWriter, signPdf } from '../../signer/index.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTools, skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { pdfLibDocument } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

/** Rebuilds a 3-page pdf-lib document's page tree as Pages[ Pages[p1, p2], p3 ] (ISO 32000-1 §7.7.3.2). */
async function nestedPageTree(): Promise<Uint8Array> {
  const pdf = await pdfLibDocument({ pages: 3 });
  const w = IncrementalWriter.from(pdf);
  const rootRef = w.catalog.get(PDFName.of('Pages')) as PDFRef;
  const root = w.lookup(rootRef) as PDFDict;
  const [p1, p2, p3] = (root.get(PDFName.of('Kids')) as PDFArray).asArray() as PDFRef[];
  const branch = w.add(w.context.obj({ Type: 'Pages', Parent: rootRef, Kids: [p1!, p2!], Count: 2 }));
  for (const p of [p1!, p2!]) w.update(p, (d) => void (d as PDFDict).set(PDFName.of('Parent'), branch));
  w.update(rootRef, (d) => void (d as PDFDict).set(PDFName.of('Kids'), w.context.obj([branch, p3!])));
  return w.write();
}

/** Annotation subtypes on each page, read with pdf-lib. */
async function widgetsPerPage(pdf: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    return (annots?.asArray() ?? []).map((a) => {
      const d = doc.context.lookup(a, PDFDict);
      return `${d.get(PDFName.of('Subtype'))}${d.get(PDFName.of('FT')) ?? ''}`;
    });
  });
}

describe.skipIf(skipWithout('tests/pades/signature-field', 'openssl'))('signature fields and widgets (ISO 32000-1 §12.7.4.5)', () => {
  it('finds pages through a nested page tree, counting from the end with negative indexes', async () => {
    const nested = await nestedPageTree();
    const second = await applySeal(nested, { identity: f.pki.ecSigner, image: redSealPng(), page: 1, x: 400, y: 80, tsa: f.localTsa });
    const last = await applySeal(second, { identity: f.pki.rsaSigner, image: redSealPng(), page: -1, x: 400, y: 80, tsa: f.localTsa });
    expect(await widgetsPerPage(last)).toEqual([[], ['/Widget/Sig'], ['/Widget/Sig']]);
    if (hasTools(...PDFSIG)) {
      const { signatures, output } = await pdfsig(last, f.nssDir);
      expect(signatures.map((s) => s.signatureValid), output).toEqual([true, true]);
    }
  });

  it('appends to an /Annots array held as its own object, and to a direct /AcroForm', async () => {
    const pdf = await pdfLibDocument();
    const w = IncrementalWriter.from(pdf);
    const pagesRef = w.catalog.get(PDFName.of('Pages')) as PDFRef;
    const pageRef = ((w.lookup(pagesRef) as PDFDict).get(PDFName.of('Kids')) as PDFArray).get(0) as PDFRef;
    const annots = w.add(w.context.obj([]));
    w.update(pageRef, (d) => void (d as PDFDict).set(PDFName.of('Annots'), annots));
    w.update(w.catalogRef, (c) => void (c as PDFDict).set(PDFName.of('AcroForm'), w.context.obj({ Fields: [], DA: '/Helv 0 Tf 0 g' })));
    const shaped = w.write();

    const signed = await signPdf(shaped, { identity: f.pki.ecSigner, appearance: { image: redSealPng(), page: 0, x: 50, y: 50, height: 80 } });
    const after = IncrementalWriter.from(signed);
    expect((after.lookup(annots) as PDFArray).size()).toBe(1);
    expect((after.lookup(pageRef) as PDFDict).get(PDFName.of('Annots'))).toBe(annots);
    const acroForm = after.catalog.get(PDFName.of('AcroForm')) as PDFDict;
    expect((acroForm.get(PDFName.of('Fields')) as PDFArray).size()).toBe(1);
    expect(acroForm.get(PDFName.of('SigFlags'))).toEqual(PDFNumber.of(3));
    expect(acroForm.get(PDFName.of('DA'))).toBeDefined(); // other entries kept
    if (hasTools(...PDFSIG)) expect((await pdfsig(signed, f.nssDir)).signatures[0]?.signatureValid).toBe(true);
  });

  it('keeps the picture aspect: a given height sets the width', async () => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, appearance: { image: redSealPng(200), page: 0, x: 10, y: 20, height: 80 } });
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toMatch(/\/Rect \[ 10 20 90 100 \]/);
    expect(text).toMatch(/\/SMask \d+ 0 R/);
  });

  it.skipIf(skipWithout('tests/pades/signature-field', ...PDFSIG))('makes an invisible signature with a zero rectangle', async () => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner });
    expect(Buffer.from(signed).toString('latin1')).toMatch(/\/Rect \[ 0 0 0 0 \]/);
    expect((await pdfsig(signed, f.nssDir)).signatures[0]?.signatureValid).toBe(true);
  });
});
