import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  addDocumentTimestamp,
  applySeal,
  newSession,
  resume,
  signPdf,
  SignerError,
  type SigningIdentity,
  type SigningKey,
  type TimestampAuthority,
} from '../../signer/index.ts';
import { findSignatures, revisionCount } from '../support/inspect.ts';
import { nodeSigningKey } from '../support/node-signing-key.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTools, skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { LocalTsa } from './support/local-tsa.ts';
import { verifyCms } from './support/openssl-judge.ts';
import { opensslTsa, TsaRefusedError } from './support/openssl-tsa.ts';
import { pdfLibDocument } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

/** What a key store throws for a revoked key (the PKI engineer's real one has its own class). */
class KeyRevokedError extends SignerError {
  readonly code = 'KEY_REVOKED';
}

const fingerprint = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Runs `action` on a private copy of `pdf` and checks that the copy is byte-identical afterwards. */
async function expectUntouched(pdf: Uint8Array, action: (pdf: Uint8Array) => Promise<unknown>): Promise<unknown> {
  const before = fingerprint(pdf);
  let error: unknown;
  try {
    await action(pdf);
  } catch (e) {
    error = e;
  }
  expect(fingerprint(pdf)).toBe(before);
  return error;
}

describe.skipIf(skipWithout('tests/pades/phases', 'openssl'))('phased signing (house style 5)', () => {
  it('lets a remote signer finish later: prepare → toJSON → (JSON) → resume → finish', async () => {
    const pdf = await pdfLibDocument();
    const session = await newSession(pdf, { identity: { certificate: f.pki.rsaSigner.certificate, chain: f.pki.rsaSigner.chain }, tsa: f.localTsa });
    const prepared = await session.prepare();
    expect(prepared.digest()).toEqual(createHash('sha256').update(prepared.toBeSigned()).digest());
    const json = JSON.parse(JSON.stringify(prepared.toJSON()));

    // … elsewhere, a department's key signs the bytes it was sent …
    const signatureValue = await f.pki.rsaSigner.key.sign(Buffer.from(json.toBeSigned, 'base64'), 'SHA-256');

    const out = await resume(json, signatureValue, { tsa: f.localTsa }).finish();
    expect(out.subarray(0, pdf.length)).toEqual(pdf);
    const [sig] = findSignatures(out);
    expect((await verifyCms(f.pki.dir, f.pki.caFile, sig!.der, sig!.covered)).output).toContain('CMS Verification successful');
    if (hasTools(...PDFSIG)) expect((await pdfsig(out, f.nssDir)).signatures[0]).toMatchObject({ signatureValid: true, certificateTrusted: true });
  });

  it('rejects a remote signature that does not verify with the certificate', async () => {
    const prepared = await (await newSession(await pdfLibDocument(), { identity: f.pki.ecSigner })).prepare();
    const wrong = await f.pki.ecSigner.key.sign(Buffer.from('something else'), 'SHA-256');
    expect(() => resume(prepared.toJSON(), wrong)).toThrow(expect.objectContaining({ name: 'SignatureMismatchError', code: 'SIGNATURE_MISMATCH' }));
  });

  it('rejects prepared JSON whose document was changed', async () => {
    const prepared = await (await newSession(await pdfLibDocument(), { identity: f.pki.ecSigner })).prepare();
    const json = prepared.toJSON();
    const pdf = Buffer.from(json.pdf, 'base64');
    pdf[50] = pdf[50]! ^ 0x01;
    const value = await f.pki.ecSigner.key.sign(prepared.toBeSigned(), 'SHA-256');
    expect(() => resume({ ...json, pdf: pdf.toString('base64') }, value)).toThrow(expect.objectContaining({ code: 'INVALID_SIGN_OPTION', field: 'json' }));
    expect(() => resume({ ...json, format: 'other' } as never, value)).toThrow(expect.objectContaining({ field: 'json' }));
  });

  it('prepares once per session', async () => {
    const session = await newSession(await pdfLibDocument(), { identity: f.pki.ecSigner });
    await session.prepare();
    await expect(session.prepare()).rejects.toMatchObject({ code: 'INVALID_SIGN_OPTION', field: 'session' });
  });
});

describe.skipIf(skipWithout('tests/pades/phases', 'openssl'))('failures write nothing and throw typed errors', () => {
  const throwingKey = (error: unknown): SigningIdentity => ({
    ...f.pki.ecSigner,
    key: { algorithm: 'EC-P256', sign: async () => Promise.reject(error) } satisfies SigningKey,
  });

  it('wraps a key that fails with a foreign error in SigningKeyError, keeping the cause', async () => {
    const cause = new Error('HSM slot 3 unreachable');
    const pdf = await pdfLibDocument();
    const error = await expectUntouched(pdf, (p) => signPdf(p, { identity: throwingKey(cause), tsa: f.localTsa }));
    expect(error).toMatchObject({ name: 'SigningKeyError', code: 'SIGNING_KEY_FAILED', cause });
  });

  it("passes a key's own typed refusal (revoked, expired) through unchanged", async () => {
    const refusal = new KeyRevokedError('certificate 0x2000 revoked');
    const pdf = await pdfLibDocument();
    const error = await expectUntouched(pdf, (p) => applySeal(p, { identity: throwingKey(refusal), image: redSealPng(), page: 0, x: 10, y: 10, tsa: f.localTsa }));
    expect(error).toBe(refusal);
  });

  it('refuses a key that does not belong to the certificate (SignatureMismatchError)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const impostor = { ...f.pki.ecSigner, key: nodeSigningKey(privateKey) };
    const pdf = await pdfLibDocument();
    const error = await expectUntouched(pdf, (p) => signPdf(p, { identity: impostor }));
    expect(error).toMatchObject({ code: 'SIGNATURE_MISMATCH' });
  });

  it("passes a TSA's refusal (openssl: unaccepted policy) through unchanged", async () => {
    const refusing = opensslTsa(f.pki, { policy: '1.2.3.4.99' });
    const pdf = await pdfLibDocument();
    const error = await expectUntouched(pdf, (p) => signPdf(p, { identity: f.pki.ecSigner, tsa: refusing }));
    expect(error).toBeInstanceOf(TsaRefusedError);
    expect(error).toMatchObject({ code: 'TSA_REFUSED', status: 2 });
    const docTs = await expectUntouched(pdf, (p) => addDocumentTimestamp(p, { tsa: refusing }));
    expect(docTs).toBeInstanceOf(TsaRefusedError);
  });

  it('wraps a TSA failing with a foreign error in TimestampError', async () => {
    const broken: TimestampAuthority = { timestamp: async () => Promise.reject(new Error('ECONNREFUSED')) };
    const error = await expectUntouched(await pdfLibDocument(), (p) => signPdf(p, { identity: f.pki.ecSigner, tsa: broken }));
    expect(error).toMatchObject({ name: 'TimestampError', code: 'TIMESTAMP_FAILED' });
  });

  it('refuses a token over another imprint (TimestampError)', async () => {
    const local = new LocalTsa({ certificate: f.pki.tsa.der, key: f.pki.tsa.keyPem });
    let calls = 0;
    // Honest for the sizing request, then time-stamps the wrong thing.
    const confused: TimestampAuthority = { timestamp: (imprint, d) => local.timestamp(calls++ === 0 ? imprint : new Uint8Array(imprint.length).fill(7), d) };
    const error = await expectUntouched(await pdfLibDocument(), (p) => signPdf(p, { identity: f.pki.ecSigner, tsa: confused }));
    expect(error).toMatchObject({ name: 'TimestampError' });
    expect(calls).toBe(2);
  });

  it('reports a container larger than its placeholder (ContentsOverflowError)', async () => {
    const small = new LocalTsa({ certificate: f.pki.tsa.der, key: f.pki.tsa.keyPem });
    const big = new LocalTsa({ certificate: f.pki.tsa.der, key: f.pki.tsa.keyPem, chain: [f.pki.caDer, f.pki.rootDer] });
    let calls = 0;
    const growing: TimestampAuthority = { timestamp: (imprint, d) => (calls++ === 0 ? small : big).timestamp(imprint, d) };
    const error = await expectUntouched(await pdfLibDocument(), (p) => signPdf(p, { identity: f.pki.ecSigner, tsa: growing }));
    expect(error).toMatchObject({ name: 'ContentsOverflowError', code: 'CONTENTS_OVERFLOW' });
    expect((error as { needed: number; reserved: number }).needed).toBeGreaterThan((error as { reserved: number }).reserved);
  });

  it('certifies only the first signature; a document certified with P=1 takes no further signature', async () => {
    const once = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner });
    await expect(signPdf(once, { identity: f.pki.rsaSigner, certify: true })).rejects.toMatchObject({ name: 'DocMdpError', code: 'DOCMDP_FORBIDS' });

    const locked = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, certify: { permissions: 1 } });
    if (hasTools(...PDFSIG)) expect((await pdfsig(locked, f.nssDir)).signatures[0]!.signatureValid).toBe(true);
    await expect(signPdf(locked, { identity: f.pki.rsaSigner })).rejects.toMatchObject({ code: 'DOCMDP_FORBIDS' });
  });

  it.each([
    ['a taken field name', { field: 'Seal1' }, 'field'],
    ['a field name with a period', { field: 'a.b' }, 'field'],
    ['a page that does not exist', { appearance: { image: redSealPng(), page: 5, x: 0, y: 0 } }, 'page'],
    ['a seal picture that is not a PNG', { appearance: { image: Buffer.from('GIF89a…'), page: 0, x: 0, y: 0 } }, 'image'],
    ['a negative width', { appearance: { image: redSealPng(), page: 0, x: 0, y: 0, width: -5 } }, 'appearance.width'],
    ['an unknown digest', { digest: 'MD5' as never }, 'digest'],
  ])('rejects %s with InvalidSignOptionError naming the option', async (_name, options, field) => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner });
    const error = await expectUntouched(signed, (p) => signPdf(p, { identity: f.pki.rsaSigner, ...options }));
    expect(error).toMatchObject({ name: 'InvalidSignOptionError', code: 'INVALID_SIGN_OPTION', field });
  });

  it.each([
    ['not a PDF', Buffer.from('plain text, no PDF here'), 'PDF_MALFORMED'],
  ])('rejects %s with a typed error', async (_name, bytes, code) => {
    await expect(signPdf(bytes, { identity: f.pki.ecSigner })).rejects.toMatchObject({ code });
  });

  it.skipIf(skipWithout('tests/pades/phases', 'qpdf'))('rejects an encrypted PDF with PdfEncryptedError', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-enc-'));
    try {
      fs.writeFileSync(path.join(dir, 'in.pdf'), await pdfLibDocument());
      execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
      const encrypted = new Uint8Array(fs.readFileSync(path.join(dir, 'out.pdf')));
      const error = await expectUntouched(encrypted, (p) => signPdf(p, { identity: f.pki.ecSigner, tsa: f.localTsa }));
      expect(error).toMatchObject({ name: 'PdfEncryptedError', code: 'PDF_ENCRYPTED' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a visible seal on a page whose /Rotate is not a multiple of 90, writing nothing', async () => {
    const doc = await PDFDocument.load(await pdfLibDocument());
    doc.getPage(0).node.set(PDFName.of('Rotate'), PDFNumber.of(45));
    const error = await expectUntouched(await doc.save(), (p) => signPdf(p, { identity: f.pki.ecSigner, appearance: { image: redSealPng(), page: 0, x: 10, y: 10 } }));
    expect(error).toMatchObject({ code: 'PDF_MALFORMED', message: expect.stringContaining('/Rotate 45') });
  });

  it('names successive fields Seal1, Seal2 and the document time-stamp DocTimeStamp1', async () => {
    const one = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner });
    const two = await signPdf(one, { identity: f.pki.rsaSigner });
    const three = await addDocumentTimestamp(two, { tsa: f.localTsa });
    expect(revisionCount(three)).toBe(revisionCount(one) + 2);
    if (hasTools(...PDFSIG)) {
      const { output } = await pdfsig(three, f.nssDir);
      expect([...output.matchAll(/Signature Field Name: (\S+)/g)].map((m) => m[1])).toEqual(['Seal1', 'Seal2', 'DocTimeStamp1']);
    }
  });
});
