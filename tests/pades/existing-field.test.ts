import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, type PDFHexString, PDFName, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { applySeal, signPdf } from '../../signer/index.ts';
import { verifyPdf } from '../../verifier/index.ts';
import { rasterise } from '../support/pdf-tools.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTools, skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { ACCEPTANCE, APPROVAL, preparedForm } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

/** The field dictionaries of the final revision by fully qualified name, as pdf-lib reads them. */
async function fieldsOf(pdf: Uint8Array): Promise<Map<string, PDFDict>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return new Map(doc.getForm().getFields().map((field) => [field.getName(), field.acroField.dict]));
}

describe.skipIf(skipWithout('tests/pades/existing-field', 'openssl'))('signing into a signature field the form already has', () => {
  it('fills both prepared fields in turn: no new field, the seal inside each widget, every signature valid', async () => {
    const form = await preparedForm();
    const first = await applySeal(form, { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa, certify: true });
    const both = await applySeal(first, { identity: f.pki.rsaSigner, image: redSealPng(), field: '审批.盖章', tsa: f.localTsa });

    const fields = await fieldsOf(both);
    expect([...fields.keys()].sort()).toEqual(['受理', '审批.盖章', '备注'].sort());
    for (const [name, rect] of [['受理', ACCEPTANCE], ['审批.盖章', APPROVAL]] as const) {
      const dict = fields.get(name)!;
      expect(dict.get(PDFName.of('V')), name).toBeInstanceOf(PDFRef);
      expect(dict.lookup(PDFName.of('Rect'), PDFArray).asArray().map(String)).toEqual(rect.map(String));
      expect(dict.get(PDFName.of('AP')), name).toBeDefined();
    }

    const report = await verifyPdf(both, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modificationAllowed])).toEqual([
      ['受理', 'TOTAL_PASSED', true],
      ['审批.盖章', 'TOTAL_PASSED', true],
    ]);
    expect(report.document.verdict).toBe('VALID');

    if (hasTools(...PDFSIG)) {
      const { output, signatures } = await pdfsig(both, f.nssDir);
      expect(signatures.map((s) => s.signatureValid && s.certificateTrusted), output).toEqual([true, true]);
      expect(signatures[1]!.totalDocument, output).toBe(true);
    }
  });

  it.skipIf(!hasTools('pdftoppm'))('draws the seal inside the widget, centred, and nothing elsewhere', async () => {
    const sealed = await applySeal(await preparedForm(), { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-field-'));
    try {
      fs.writeFileSync(path.join(dir, 'sealed.pdf'), sealed);
      const { width, height, pixels } = rasterise(path.join(dir, 'sealed.pdf'), 72, { colour: true });
      const red: [number, number][] = [];
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixels[(y * width + x) * 3]! > 180 && pixels[(y * width + x) * 3 + 1]! < 90) red.push([x, height - y]);
      expect(red.length).toBeGreaterThan(500);
      const [llx, lly, urx, ury] = ACCEPTANCE;
      expect(red.every(([x, y]) => x >= llx - 1 && x <= urx + 1 && y >= lly - 1 && y <= ury + 1)).toBe(true);
      const cx = red.reduce((s, [x]) => s + x, 0) / red.length;
      const cy = red.reduce((s, [, y]) => s + y, 0) / red.length;
      expect(Math.abs(cx - (llx + urx) / 2)).toBeLessThan(4);
      expect(Math.abs(cy - (lly + ury) / 2)).toBeLessThan(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs a prepared field invisibly too, keeping its own appearance', async () => {
    const signed = await signPdf(await preparedForm(), { identity: f.pki.ecSigner, field: '审批.盖章', tsa: f.localTsa });
    const dict = (await fieldsOf(signed)).get('审批.盖章')!;
    expect(dict.get(PDFName.of('V'))).toBeInstanceOf(PDFRef);
    expect(dict.get(PDFName.of('AP'))).toBeUndefined();
    const report = await verifyPdf(signed, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(report.signatures.map((s) => [s.fieldName, s.indication])).toEqual([['审批.盖章', 'TOTAL_PASSED']]);
  });

  it('carries the field’s /Lock into the signature as a FieldMDP reference; an unlocked field can still be signed', async () => {
    const form = await preparedForm({ lockAfterAcceptance: ['备注'] });
    const first = await applySeal(form, { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa });
    const doc = await PDFDocument.load(first, { updateMetadata: false });
    const signature = (await fieldsOf(first)).get('受理')!.lookup(PDFName.of('V'), PDFDict);
    const [reference] = signature.lookup(PDFName.of('Reference'), PDFArray).asArray().map((r) => doc.context.lookup(r, PDFDict));
    const params = reference!.lookup(PDFName.of('TransformParams'), PDFDict);
    expect(reference!.get(PDFName.of('TransformMethod'))).toBe(PDFName.of('FieldMDP'));
    expect(params.get(PDFName.of('Action'))).toBe(PDFName.of('Include'));
    expect(params.lookup(PDFName.of('Fields'), PDFArray).asArray().map((n) => (n as PDFHexString).decodeText())).toEqual(['备注']);

    const both = await applySeal(first, { identity: f.pki.rsaSigner, image: redSealPng(), field: '审批.盖章', tsa: f.localTsa });
    const report = await verifyPdf(both, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modificationAllowed])).toEqual([
      ['受理', 'TOTAL_PASSED', true],
      ['审批.盖章', 'TOTAL_PASSED', true],
    ]);
  });

  it('refuses to sign a field an earlier seal locked (through its parent "审批"), writing nothing', async () => {
    const first = await applySeal(await preparedForm({ lockAfterAcceptance: ['审批'] }), { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa });
    const copy = Uint8Array.from(first);

    await expect(applySeal(first, { identity: f.pki.rsaSigner, image: redSealPng(), field: '审批.盖章', tsa: f.localTsa })).rejects.toMatchObject({
      code: 'INVALID_SIGN_OPTION',
      field: 'field',
      message: expect.stringContaining('locked by the signature in "受理"'),
    });
    expect(first).toEqual(copy);
    // A new field of its own is no change to a locked one: the second department can still seal.
    const beside = await applySeal(first, { identity: f.pki.rsaSigner, image: redSealPng(), page: 0, x: 380, y: 300, tsa: f.localTsa });
    const report = await verifyPdf(beside, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modificationAllowed])).toEqual([
      ['受理', 'TOTAL_PASSED', true],
      ['Seal1', 'TOTAL_PASSED', true],
    ]);
  });

  it.each([
    ['a signed field', async (pdf: Uint8Array) => applySeal(pdf, { identity: f.pki.ecSigner, image: redSealPng(), field: '受理', tsa: f.localTsa }), '受理', 'field', /already signed/],
    ['a text field', async (pdf: Uint8Array) => pdf, '备注', 'field', /Tx field/],
  ] as const)('refuses %s, writing nothing', async (_name, prepare, field, option, message) => {
    const pdf = await prepare(await preparedForm());
    await expect(applySeal(pdf, { identity: f.pki.rsaSigner, image: redSealPng(), field, tsa: f.localTsa })).rejects.toMatchObject({
      code: 'INVALID_SIGN_OPTION',
      field: option,
      message: expect.stringMatching(message),
    });
  });

  it('refuses a place given for a field that has its own, and a new field without one', async () => {
    const form = await preparedForm();
    await expect(signPdf(form, { identity: f.pki.ecSigner, field: '受理', appearance: { image: redSealPng(), page: 0, x: 1, y: 1 } })).rejects.toMatchObject({
      code: 'INVALID_SIGN_OPTION',
      field: 'appearance',
    });
    await expect(signPdf(form, { identity: f.pki.ecSigner, field: '新章', appearance: { image: redSealPng() } })).rejects.toMatchObject({
      code: 'INVALID_SIGN_OPTION',
      field: 'appearance.page',
    });
  });
});
