import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { degrees, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { applySeal, signPdf, type DigestAlgorithm } from '../../signer/index.ts';
import { findSignatures, revisionCount } from '../support/inspect.ts';
import { rasterise } from '../support/pdf-tools.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { pdfLibDocument } from './support/pdfs.ts';
import { UPNG } from '../../signer/pdf/upng.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

/** pdfsig's verdict on every signature: "Signature is Valid." and "Certificate is Trusted.". */
async function expectAllValid(pdf: Uint8Array, count: number): Promise<void> {
  const { output, signatures } = await pdfsig(pdf, f.nssDir);
  expect(signatures, output).toHaveLength(count);
  for (const s of signatures) {
    expect(s.signatureValid, output).toBe(true);
    expect(s.certificateTrusted, output).toBe(true);
    expect(s.subFilter, output).toBe('ETSI.CAdES.detached');
  }
  expect(signatures[count - 1]!.totalDocument, output).toBe(true);
}

describe.skipIf(skipWithout('tests/pades/sign-pdfsig', 'openssl', ...PDFSIG))('signPdf judged by pdfsig (poppler + NSS)', () => {
  it.each([
    ['EC P-256', 'ecSigner'],
    ['RSA 2048', 'rsaSigner'],
  ] as const)('signs the same PDF B-T with an %s key: valid, trusted, total document', async (_name, who) => {
    const pdf = await pdfLibDocument();
    const signed = await signPdf(pdf, { identity: f.pki[who], tsa: f.tsa });

    expect(signed.subarray(0, pdf.length)).toEqual(pdf);
    expect(revisionCount(signed)).toBe(revisionCount(pdf) + 1);
    await expectAllValid(signed, 1);
  });

  it('certifies the licence (DocMDP P=2), then a second department appends its seal: both stay valid', async () => {
    const licence = await pdfLibDocument();
    const first = await signPdf(licence, { identity: f.pki.ecSigner, tsa: f.tsa, certify: true, reason: '颁发电子证照' });
    const second = await applySeal(first, { identity: f.pki.rsaSigner, image: redSealPng(), page: 0, x: 360, y: 120, tsa: f.tsa, reason: '联办审批', allowNewField: true });

    expect(second.subarray(0, first.length)).toEqual(first);
    const { output, signatures } = await pdfsig(second, f.nssDir);
    expect(signatures.map((s) => [s.signatureValid, s.certificateTrusted, s.totalDocument]), output).toEqual([
      [true, true, false],
      [true, true, true],
    ]);
    // The first one is the certification signature: /Perms /DocMDP names it, with /P 2.
    const doc = await PDFDocument.load(second, { updateMetadata: false });
    const perms = doc.catalog.lookup(PDFName.of('Perms'), PDFDict);
    const certification = perms.lookup(PDFName.of('DocMDP'), PDFDict);
    const reference = certification.lookup(PDFName.of('Reference'), PDFArray).lookup(0, PDFDict);
    expect(reference.get(PDFName.of('TransformMethod'))).toBe(PDFName.of('DocMDP'));
    expect(reference.lookup(PDFName.of('TransformParams'), PDFDict).get(PDFName.of('P'))).toEqual(PDFNumber.of(2));
    expect(findSignatures(second)[0]!.byteRange).toEqual(findSignatures(first)[0]!.byteRange);
  });

  it.each([
    ['without object streams (classic xref table)', false],
    ['with object streams (xref stream)', true],
  ])('signs pdf-lib output %s', async (_name, useObjectStreams) => {
    const pdf = await pdfLibDocument({ useObjectStreams, pages: 2 });
    const signed = await signPdf(pdf, { identity: f.pki.ecSigner, tsa: f.localTsa, appearance: { image: redSealPng(), page: -1, x: 400, y: 80 } });
    await expectAllValid(signed, 1);
    const twice = await signPdf(signed, { identity: f.pki.rsaSigner, tsa: f.localTsa });
    await expectAllValid(twice, 2);
  });

  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as DigestAlgorithm[])('signs with %s', async (digest) => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa, digest });
    const { output } = await pdfsig(signed, f.nssDir);
    expect(output).toContain(`Signing Hash Algorithm: ${digest}`);
    await expectAllValid(signed, 1);
  });

  it('detects a one-byte change inside the signed range', async () => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa });
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/MediaBox');
    tampered[at + 3] = tampered[at + 3]! ^ 0x01; // "/MediaBox" → "/MeeiaBox"

    const { output, signatures } = await pdfsig(tampered, f.nssDir);
    expect(signatures[0]!.signatureValid, output).toBe(false);
    expect(signatures[0]!.block).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('detects a one-byte change in a later revision for the earlier signature only through coverage', async () => {
    const first = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa });
    const second = Buffer.from(await signPdf(first, { identity: f.pki.rsaSigner, tsa: f.localTsa }));
    // Flip a byte of the second revision's widget /Rect: outside the first signature's
    // range, inside the second's.
    const at = second.indexOf('/Rect', first.length);
    second[at + 2] = second[at + 2]! ^ 0x01;
    const { output, signatures } = await pdfsig(second, f.nssDir);
    expect(signatures[0]!.signatureValid, output).toBe(true);
    expect(signatures[0]!.totalDocument, output).toBe(false);
    expect(signatures[1]!.signatureValid, output).toBe(false);
  });
});

describe.skipIf(skipWithout('tests/pades/sign-pdfsig', 'openssl', 'pdftoppm'))('a visible seal, rendered by pdftoppm', () => {
  it('paints the seal picture at its rectangle with its transparency kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-render-'));
    try {
      // Page 595.28×841.89 pt at 72 dpi: 1 px = 1 pt. Seal 120 pt wide at (400, 80).
      const sealed = await applySeal(await pdfLibDocument(), { identity: f.pki.ecSigner, image: redSealPng(), page: 0, x: 400, y: 80, width: 120, tsa: f.localTsa });
      fs.writeFileSync(path.join(dir, 'sealed.pdf'), sealed);
      const { width, height, pixel } = rasterise(path.join(dir, 'sealed.pdf'), 72, { colour: true });
      expect([width, height]).toEqual([596, 842]); // 595.28 pt rounds up
      // pdftoppm's rows run down from the page top (841.89 pt); the seal spans x 400..520, y 80..200.
      const row = (yPt: number): number => Math.floor(841.89 - yPt);
      const red = pixel(460, row(140)); // centre of the star
      expect(red[0]).toBeGreaterThan(180);
      expect(red[1]).toBeLessThan(90);
      const corner = pixel(403, row(197)); // transparent corner of the picture: the page shows through
      expect(corner).toEqual([255, 255, 255]);
      const ring = pixel(460, row(86)); // bottom of the ring: 0.42..0.48 of 120 pt below the centre
      expect(ring[0]).toBeGreaterThan(180);
      expect(ring[2]).toBeLessThan(120);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** 100×100 px: the upper half red, the lower half blue, so a turned picture shows. */
  const twoColourPng = (): Uint8Array => {
    const rgba = new Uint8Array(100 * 100 * 4);
    for (let i = 0; i < 100 * 100; i++) rgba.set(i < 50 * 100 ? [220, 20, 30, 255] : [20, 40, 220, 255], i * 4);
    return new Uint8Array(UPNG.encode([rgba.buffer], 100, 100, 0));
  };

  it.each([
    [0, [0, 0]],
    [90, [0, 0]],
    [180, [0, 0]],
    [270, [0, 0]],
    [90, [100, 200]],
  ] as const)('on a page with /Rotate %i and its box at %j, puts the seal where the reader sees x, y, upright', async (rotate, [ox, oy]) => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([400, 600]);
    page.setMediaBox(ox, oy, 400, 600);
    page.setRotation(degrees(rotate));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-rotate-'));
    try {
      const sealed = await applySeal(await doc.save(), { identity: f.pki.ecSigner, image: twoColourPng(), page: 0, x: 50, y: 60, width: 100, tsa: f.localTsa });
      fs.writeFileSync(path.join(dir, 'sealed.pdf'), sealed);
      const { width, height, pixel } = rasterise(path.join(dir, 'sealed.pdf'), 72, { colour: true });
      expect([width, height]).toEqual(rotate % 180 === 0 ? [400, 600] : [600, 400]);
      // Rows run down from the top of the page as shown; the seal spans x 50..150, y 60..160.
      const at = (x: number, y: number) => pixel(x, height - y);
      const isRed = (p: number[]) => p[0]! > 180 && p[2]! < 90;
      const isBlue = (p: number[]) => p[2]! > 180 && p[0]! < 90;
      expect(isRed(at(100, 135)), 'upper half red').toBe(true);
      expect(isBlue(at(100, 85)), 'lower half blue').toBe(true);
      expect(isRed(at(60, 150)) && isBlue(at(140, 70)), 'corners').toBe(true);
      expect(at(200, 110), 'beside the seal').toEqual([255, 255, 255]);
      expect(at(100, 200), 'above the seal').toEqual([255, 255, 255]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
