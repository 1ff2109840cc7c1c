import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { IncrementalWriter, PdfEncryptedError, PdfReadError, PdfWriteError } from '../../signer/index.ts';
import { revisionCount } from '../support/inspect.ts';
import { skipWithout } from '../support/tools.ts';
import { pdfLibDocument } from './support/pdfs.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-writer-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs qpdf on `pdf` with `args` and returns the output file. */
function qpdf(pdf: Uint8Array, ...args: string[]): Uint8Array {
  const input = path.join(tmp, `in-${Math.random().toString(36).slice(2)}.pdf`);
  const output = `${input}.out.pdf`;
  fs.writeFileSync(input, pdf);
  execFileSync('qpdf', [...args, input, output]);
  return new Uint8Array(fs.readFileSync(output));
}

function qpdfCheck(pdf: Uint8Array): string {
  const file = path.join(tmp, `check-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
}

/** Adds a marker object and hangs it on the catalog under /ZyMarker. */
function addMarker(pdf: Uint8Array): { out: Uint8Array; ref: PDFRef } {
  const w = IncrementalWriter.from(pdf);
  const ref = w.add(w.context.obj({ Type: 'ZyMarker', Note: PDFHexString.fromText('证印') }));
  w.update(w.catalogRef, (c) => void (c as PDFDict).set(PDFName.of('ZyMarker'), ref));
  return { out: w.write(), ref };
}

async function markerSeenByPdfLib(pdf: Uint8Array): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const marker = doc.catalog.lookupMaybe(PDFName.of('ZyMarker'), PDFDict);
  return (marker?.get(PDFName.of('Note')) as PDFHexString | undefined)?.decodeText();
}

const tail = (a: Uint8Array, from: number): string => Buffer.from(a.subarray(from)).toString('latin1');

describe('IncrementalWriter', () => {
  it.each([
    ['pdf-lib, classic xref table', false, 'table'],
    ['pdf-lib, object streams + xref stream', true, 'stream'],
  ] as const)('appends one revision to %s, keeping every input byte', async (_name, useObjectStreams, kind) => {
    const pdf = await pdfLibDocument({ useObjectStreams });
    const { out } = addMarker(pdf);

    expect(out.subarray(0, pdf.length)).toEqual(pdf);
    expect(revisionCount(out)).toBe(revisionCount(pdf) + 1);
    expect(IncrementalWriter.from(out).xrefKind).toBe(kind);
    const update = tail(out, pdf.length);
    if (kind === 'table') expect(update).toMatch(/\nxref\n[\s\S]*trailer\n<<[\s\S]*\/Prev \d+/);
    else expect(update).toMatch(/\/Type \/XRef/);
    expect(await markerSeenByPdfLib(out)).toBe('证印');
  });

  it('returns the input itself when nothing changed', async () => {
    const pdf = await pdfLibDocument();
    const w = IncrementalWriter.from(pdf);
    w.lookup(w.catalogRef);
    expect(w.write()).toBe(pdf);
  });

  it('sets /Prev to the previous startxref and /Size past the new objects', async () => {
    const pdf = await pdfLibDocument();
    const before = IncrementalWriter.from(pdf);
    const oldStartxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(Buffer.from(pdf).toString('latin1'))![1]);
    const { out, ref } = addMarker(pdf);
    const after = IncrementalWriter.from(out);

    expect((after.trailer.get(PDFName.of('Prev')) as PDFNumber).asNumber()).toBe(oldStartxref);
    expect((after.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber()).toBe(ref.objectNumber + 1);
    expect(ref.objectNumber).toBe((before.trailer.get(PDFName.of('Size')) as PDFNumber).asNumber());
    expect(after.trailer.get(PDFName.of('Root'))).toBe(before.trailer.get(PDFName.of('Root')));
    expect(after.revisionCount).toBe(2);
  });

  it('chains three revisions, each readable, each a prefix of the next', async () => {
    const r1 = await pdfLibDocument();
    const r2 = addMarker(r1).out;
    const w = IncrementalWriter.from(r2);
    w.update(w.catalogRef, (c) => void (c as PDFDict).set(PDFName.of('ZyThird'), PDFNumber.of(3)));
    const r3 = w.write();

    expect(r3.subarray(0, r2.length)).toEqual(r2);
    const reread = IncrementalWriter.from(r3);
    expect(reread.revisionCount).toBe(3);
    expect(reread.catalog.get(PDFName.of('ZyThird'))).toEqual(PDFNumber.of(3));
    expect(reread.catalog.get(PDFName.of('ZyMarker'))).toBeInstanceOf(PDFRef);
  });

  it('starts the update on a new line when the input ends without one', async () => {
    const pdf = await pdfLibDocument();
    const trimmed = pdf.subarray(0, pdf.length - 1); // drop the final "\n" after %%EOF
    expect(trimmed[trimmed.length - 1]).not.toBe(0x0a);
    const { out } = addMarker(trimmed);
    expect(out.subarray(0, trimmed.length)).toEqual(trimmed);
    expect(tail(out, trimmed.length).startsWith('\n')).toBe(true);
    expect(await markerSeenByPdfLib(out)).toBe('证印');
  });

  it('refuses to update an object that does not exist', async () => {
    const w = IncrementalWriter.from(await pdfLibDocument());
    expect(() => w.update(PDFRef.of(9999), w.context.obj({}))).toThrow(PdfWriteError);
  });

  it.each([
    ['empty input', new Uint8Array()],
    ['not a PDF', Buffer.from('hello, this is not a PDF at all')],
    ['startxref past the end', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n99999\n%%EOF\n')],
    ['startxref at garbage', Buffer.from('%PDF-1.7\ngarbage garbage\nstartxref\n9\n%%EOF\n')],
  ])('throws PdfReadError for %s', (_name, bytes) => {
    expect(() => IncrementalWriter.from(bytes)).toThrow(PdfReadError);
    try {
      IncrementalWriter.from(bytes);
    } catch (e) {
      expect(e).toMatchObject({ code: 'PDF_MALFORMED', field: 'pdf' });
    }
  });

  it('throws PdfReadError for a truncated file', async () => {
    const pdf = await pdfLibDocument();
    expect(() => IncrementalWriter.from(pdf.subarray(0, Math.floor(pdf.length / 2)))).toThrow(PdfReadError);
  });
});

describe.skipIf(skipWithout('tests/pades/incremental-writer', 'qpdf'))('IncrementalWriter on files written by qpdf', () => {
  it('reads objects inside object streams behind a PNG-predicted xref stream, and keeps /ID[0]', async () => {
    const input = qpdf(await pdfLibDocument({ pages: 3 }), '--object-streams=generate');
    const raw = Buffer.from(input).toString('latin1');
    expect(raw).toMatch(/\/Predictor 12/); // the xref stream qpdf wrote is PNG-predicted
    expect(raw).toMatch(/\/Type \/ObjStm/);

    const w = IncrementalWriter.from(input);
    expect(w.xrefKind).toBe('stream');
    const pagesRef = w.catalog.get(PDFName.of('Pages')) as PDFRef;
    const pages = w.lookup(pagesRef) as PDFDict;
    expect((pages.get(PDFName.of('Count')) as PDFNumber).asNumber()).toBe(3);
    const firstPage = (pages.get(PDFName.of('Kids')) as PDFArray).get(0) as PDFRef;
    w.update(firstPage, (p) => void (p as PDFDict).set(PDFName.of('Rotate'), PDFNumber.of(90)));
    const out = w.write();

    expect(out.subarray(0, input.length)).toEqual(input);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    expect(doc.getPage(0).getRotation().angle).toBe(90);
    const oldId = IncrementalWriter.from(input).trailer.get(PDFName.of('ID')) as PDFArray;
    const newId = IncrementalWriter.from(out).trailer.get(PDFName.of('ID')) as PDFArray;
    expect(newId.get(0).toString()).toBe(oldId.get(0).toString());
    expect(newId.get(1).toString()).not.toBe(oldId.get(1).toString());
  });

  it.each([
    ['classic table', [] as string[]],
    ['xref stream', ['--object-streams=generate']],
    ['linearized', ['--linearize']],
  ])('writes an update qpdf --check accepts, after a %s', async (_name, args) => {
    const input = qpdf(await pdfLibDocument({ pages: 2 }), ...args);
    const { out } = addMarker(input);
    expect(out.subarray(0, input.length)).toEqual(input);
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    expect(await markerSeenByPdfLib(out)).toBe('证印');
  });

  it('refuses an encrypted PDF with PdfEncryptedError', async () => {
    const encrypted = qpdf(await pdfLibDocument(), '--encrypt', 'user', 'owner', '256', '--');
    expect(() => IncrementalWriter.from(encrypted)).toThrow(PdfEncryptedError);
    try {
      IncrementalWriter.from(encrypted);
    } catch (e) {
      expect(e).toMatchObject({ name: 'PdfEncryptedError', code: 'PDF_ENCRYPTED' });
    }
  });
});
