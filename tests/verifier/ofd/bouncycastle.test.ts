/**
 * BouncyCastle as an independent judge of OFD seals (issue #13, "Tests that must exist"): a
 * Java program that shares nothing with our verifier checks every Reference digest, dataHash,
 * the signer's and the seal maker's SM2 signatures, and agrees with verify() on sound seals
 * and on each attack.
 */
import { describe, expect, it } from 'vitest';
import { verify, type VerificationReport, type VerifyOptions } from '../../../verifier/index.ts';
import { bcPassed, judgeOfdBytesWithBouncyCastle, skipWithoutBouncyCastle, type BcVerdict } from '../../support/bouncycastle.ts';
import { applySeal, newOfd, pageContent, zipOfd, type OfdFiles, type SealSpec } from './support/ofd-builder.ts';
import { sm2Pki } from './support/sm2-pki.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const pki = sm2Pki();
const options: VerifyOptions = { trust: [pki.root.certificate], crls: [pki.crl], at: T0 };
const seal = (files: OfdFiles, more: Partial<SealSpec> = {}): OfdFiles => applySeal(files, { signer: pki.signer, maker: pki.maker, ...more });
const edit = (files: OfdFiles, name: string, data: Uint8Array): OfdFiles => new Map(files).set(name, data);

/** What both judges decide of one signature: package digests (with dataHash), signer, maker. */
interface Parts {
  readonly digests: boolean | null;
  readonly signer: boolean | null;
  readonly maker: boolean | null;
}
const fromBc = (v: BcVerdict): Parts => ({
  digests: v.referencesOk === null || v.dataHashOk === null ? null : v.referencesOk && v.dataHashOk,
  signer: v.signerSignatureOk,
  maker: v.makerSignatureOk,
});
const fromOurs = (r: VerificationReport): Parts[] =>
  r.signatures.map((s) => ({ digests: s.intact, signer: s.valid, maker: s.seal?.makerSignatureValid ?? null }));

/** Both judges on the same bytes; fails unless they agree on every part of every signature. */
async function bothJudge(files: OfdFiles): Promise<{ bc: BcVerdict[]; ours: VerificationReport }> {
  const bytes = zipOfd(files);
  const [bc, ours] = await Promise.all([judgeOfdBytesWithBouncyCastle(bytes), verify(bytes, options)]);
  expect(bc.map(fromBc), JSON.stringify(bc)).toEqual(fromOurs(ours));
  return { bc, ours };
}

describe.skipIf(skipWithoutBouncyCastle('tests/verifier/ofd/bouncycastle'))('BouncyCastle judges our OFD seals', () => {
  const once = seal(newOfd('营业执照 No. 1'));

  it('passes a V4 seal in every part, as verify() does', async () => {
    const { bc, ours } = await bothJudge(once);
    expect(bc).toHaveLength(1);
    expect(bc[0]).toMatchObject({ version: 4, type: 'Seal', signature: 'Doc_0/Signs/Sign_0/Signature.xml', signatureEncoding: 'der', problems: [] });
    expect(bc[0]!.references.map((r) => r.file)).toEqual(['OFD.xml', 'Doc_0/Document.xml', 'Doc_0/Pages/Page_0/Content.xml']);
    expect(bcPassed(bc[0]!)).toBe(true);
    expect(ours.document.verdict).toBe('VALID');
  });

  it('passes both seals of a twice-sealed OFD, the second protecting the first\'s files', async () => {
    const { bc, ours } = await bothJudge(seal(once));
    expect(bc.map(bcPassed)).toEqual([true, true]);
    expect(bc[1]!.references.map((r) => r.file)).toContain('Doc_0/Signs/Sign_0/SignedValue.dat');
    expect(ours.document.verdict).toBe('VALID');
  });

  it('passes a GM/T 0031 V1 seal', async () => {
    const { bc } = await bothJudge(seal(newOfd(), { version: 'V1' }));
    expect(bc[0]).toMatchObject({ version: 1 });
    expect(bcPassed(bc[0]!)).toBe(true);
  });

  it('fails a V1 seal whose maker signature is broken, as verify() does', async () => {
    const { bc } = await bothJudge(seal(newOfd(), { version: 'V1', breakMaker: true }));
    expect(bc[0]).toMatchObject({ version: 1, signerSignatureOk: true, makerSignatureOk: false });
  });

  it('finds signatures whose Signatures.xml sits outside Signs/', async () => {
    const { bc } = await bothJudge(seal(newOfd(), { signsFolder: 'Doc_0/Seals' }));
    expect(bc[0]).toMatchObject({ signature: 'Doc_0/Seals/Sign_0/Signature.xml' });
    expect(bcPassed(bc[0]!)).toBe(true);
  });

  it('reads a signer signature written as raw r‖s', async () => {
    const { bc } = await bothJudge(seal(newOfd(), { signatureEncoding: 'raw' }));
    expect(bc[0]).toMatchObject({ signatureEncoding: 'raw', signerSignatureOk: true });
  });

  it('reads signer signatures written as DER with unsigned INTEGERs', async () => {
    let files = newOfd();
    // Four seals: a value without a high bit is plain DER, so one seal alone may not show it.
    for (let i = 0; i < 4; i++) files = seal(files, { signatureEncoding: 'unsigned-der' });
    const { bc } = await bothJudge(files);
    expect(bc.map(bcPassed)).toEqual([true, true, true, true]);
    expect(bc.every((v) => v.signatureEncoding === 'der' || v.signatureEncoding === 'unsigned-der')).toBe(true);
  });

  it('fails a changed protected file, naming it, as verify() does', async () => {
    const { bc, ours } = await bothJudge(edit(once, 'Doc_0/Pages/Page_0/Content.xml', pageContent('营业执照 No. 2')));
    expect(bc[0]).toMatchObject({ referencesOk: false, dataHashOk: true, signerSignatureOk: true, makerSignatureOk: true });
    expect(bc[0]!.references.filter((r) => !r.ok).map((r) => r.file)).toEqual(['Doc_0/Pages/Page_0/Content.xml']);
    expect(ours.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('fails a seal whose maker signature is broken, as verify() does', async () => {
    const { bc, ours } = await bothJudge(seal(newOfd(), { breakMaker: true }));
    expect(bc[0]).toMatchObject({ referencesOk: true, dataHashOk: true, signerSignatureOk: true, makerSignatureOk: false });
    expect(ours.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  });

  it('fails a SignedValue swapped in from another sealed document (dataHash), as verify() does', async () => {
    const name = 'Doc_0/Signs/Sign_0/SignedValue.dat';
    const { bc, ours } = await bothJudge(edit(once, name, seal(newOfd('另一份文件')).get(name)!));
    expect(bc[0]).toMatchObject({ referencesOk: true, dataHashOk: false, signerSignatureOk: true, makerSignatureOk: true });
    expect(ours.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('fails a signature made with a key other than the signer certificate\'s, as verify() does', async () => {
    const { bc, ours } = await bothJudge(seal(newOfd(), { signer: { ...pki.signer, privateKey: pki.stranger.privateKey } }));
    expect(bc[0]).toMatchObject({ referencesOk: true, dataHashOk: true, signerSignatureOk: false });
    expect(ours.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  });

  it('refuses a package that is not a zip, with its reason', async () => {
    await expect(judgeOfdBytesWithBouncyCastle(new Uint8Array(Buffer.from('not a zip')))).rejects.toThrow(/BouncyCastle judge refused .*zip/i);
  });
});
