import { describe, expect, it } from 'vitest';
import { makeAnnotatedCopy, ORIGINAL_ATTACHMENT_NAME, signPdf, applySeal, type AnnotationNote } from '../../signer/index.ts';
import { readAttachments, verifyPdf } from '../../verifier/index.ts';
import { findSignatures } from '../support/inspect.ts';
import { run, tempPdf } from '../support/pdf-tools.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTool, hasTools, skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { pdfLibDocument } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

const NOTE: AnnotationNote = {
  recipient: '中国工商银行厦门分行',
  purpose: '办理对公账户开户',
  validUntil: new Date('2026-12-31T15:59:00Z'),
  reference: 'UC-7K3M9Q2XW4HD',
  issuedAt: new Date('2026-12-06T09:30:00Z'),
};

/** A certified original with a visible seal, as a licence is: DocMDP P 2, B-T. */
async function certifiedOriginal(): Promise<Uint8Array> {
  return applySeal(await pdfLibDocument(), { identity: f.pki.ecSigner, image: redSealPng(), page: 0, x: 400, y: 120, tsa: f.localTsa, certify: true, reason: '颁发电子证照' });
}

describe.skipIf(skipWithout('tests/pades/annotated-copy', 'openssl'))('makeAnnotatedCopy (加注件)', () => {
  it('is a new certified PDF carrying the original byte for byte; both verify, the original untouched', async () => {
    const original = await certifiedOriginal();
    const copy = await makeAnnotatedCopy({ original, note: NOTE, signer: { identity: f.pki.rsaSigner, tsa: f.localTsa, revocation: f.pki.revocation, location: '证印平台' } });

    // Not an update of the original: a document of its own.
    expect(Buffer.from(copy.subarray(0, original.length)).equals(Buffer.from(original))).toBe(false);

    const attachments = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 });
    expect(attachments.attachments).toHaveLength(1);
    expect(attachments.attachments[0]).toMatchObject({ name: ORIGINAL_ATTACHMENT_NAME, mimeType: 'application/pdf', relationship: 'Source' });
    const extracted = attachments.attachments[0]!.data;
    expect(Buffer.from(extracted).equals(Buffer.from(original))).toBe(true);

    const copyReport = await verifyPdf(copy, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(copyReport.signatures.map((s) => [s.kind, s.indication, s.modificationAllowed])).toEqual([
      ['SIGNATURE', 'TOTAL_PASSED', true],
      ['DOCUMENT_TIMESTAMP', 'TOTAL_PASSED', true],
    ]);
    const originalReport = await verifyPdf(extracted, { trust: [f.pki.rootDer], crls: f.pki.crls });
    expect(originalReport.signatures.map((s) => [s.indication, s.modification])).toEqual([['TOTAL_PASSED', 'NONE']]);
  });

  it('certifies with DocMDP P 1 and signs as the given signer with the note as reason', async () => {
    const copy = await makeAnnotatedCopy({ original: await certifiedOriginal(), note: NOTE, signer: { identity: f.pki.rsaSigner, tsa: f.localTsa } });
    const text = Buffer.from(copy).toString('latin1');
    expect(text).toMatch(/\/TransformMethod \/DocMDP/);
    expect(text).toMatch(/\/P 1\b/);
    expect(findSignatures(copy)).toHaveLength(1);
  });

  it.skipIf(skipWithout('tests/pades/annotated-copy (text)', 'pdftotext'))('shows the note in Chinese and English and the COPY mark as extractable text', async () => {
    const copy = await makeAnnotatedCopy({ original: await certifiedOriginal(), note: NOTE, signer: { identity: f.pki.rsaSigner, tsa: f.localTsa, image: redSealPng() } });
    const { stdout } = run('pdftotext', ['-enc', 'UTF-8', tempPdf(copy, 'copy.pdf'), '-']);
    const flat = stdout.replace(/\s+/g, '');
    for (const expected of ['加注件', 'Annotatedcopy', '此件仅用于“办理对公账户开户”', '接收方Recipient：中国工商银行厦门分行', '有效期至Validuntil：2026-12-3123:59(UTC+8)', '编号Reference：UC-7K3M9Q2XW4HD', '副本COPY']) {
      expect(flat, stdout).toContain(expected);
    }
    // The original's own page is drawn too: its text survives as a picture of the page.
    expect(stdout).toContain('zhengyin PAdES test page 1');
  });

  it.skipIf(skipWithout('tests/pades/annotated-copy (pdfsig)', ...PDFSIG))('is valid and trusted in pdfsig, and so is the extracted original', async () => {
    const original = await certifiedOriginal();
    const copy = await makeAnnotatedCopy({ original, note: NOTE, signer: { identity: f.pki.ecSigner, tsa: f.localTsa, image: redSealPng() } });
    for (const pdf of [copy, readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments[0]!.data]) {
      const { output, signatures } = await pdfsig(pdf, f.nssDir);
      expect(signatures, output).toHaveLength(1);
      expect([signatures[0]!.signatureValid, signatures[0]!.certificateTrusted, signatures[0]!.totalDocument], output).toEqual([true, true, true]);
    }
  });

  it.each([
    ['an empty recipient', { recipient: ' ' }, 'note.recipient'],
    ['a recipient over 100 characters', { recipient: '银'.repeat(101) }, 'note.recipient'],
    ['a purpose over 200 characters', { purpose: 'x'.repeat(201) }, 'note.purpose'],
    ['a purpose with a line break', { purpose: '开户\n另作他用' }, 'note.purpose'],
    ['a reference with a space', { reference: 'UC 1' }, 'note.reference'],
    ['an expiry before the copy', { validUntil: new Date('2026-01-01T00:00:00Z') }, 'note.validUntil'],
  ] as const)('refuses %s with a typed error', async (_name, change, field) => {
    await expect(makeAnnotatedCopy({ original: await pdfLibDocument(), note: { ...NOTE, ...change }, signer: { identity: f.pki.ecSigner, tsa: f.localTsa } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field,
    });
  });

  it('refuses bytes that are not a PDF, and a character the font lacks, naming the part', async () => {
    const signer = { identity: f.pki.ecSigner, tsa: f.localTsa };
    await expect(makeAnnotatedCopy({ original: new TextEncoder().encode('not a pdf'), note: NOTE, signer })).rejects.toMatchObject({ code: 'PDF_MALFORMED' });
    await expect(makeAnnotatedCopy({ original: await pdfLibDocument(), note: { ...NOTE, recipient: '银行 \u{1F600}' }, signer })).rejects.toMatchObject({
      code: 'GLYPH_MISSING',
      field: 'note.recipient',
    });
  });

  it('keeps an unsigned original readable too (a copy of any PDF)', async () => {
    const plain = await signPdf(await pdfLibDocument({ pages: 2 }), { identity: f.pki.ecSigner, tsa: f.localTsa });
    const copy = await makeAnnotatedCopy({ original: plain, note: NOTE, signer: { identity: f.pki.ecSigner, tsa: f.localTsa } });
    if (hasTool('pdftotext')) expect(run('pdftotext', [tempPdf(copy, 'copy.pdf'), '-']).stdout).toContain('zhengyin PAdES test page 2');
    expect(hasTools('openssl')).toBe(true);
  });
});
