/**
 * Hand-made attacks on sealed OFDs (issue #13, "Tests that must exist"): each is flagged
 * with the outcome a careful reader would reach, and none makes the verifier throw.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { verifyOfd, type VerificationReport, type VerifyOptions } from '../../../verifier/index.ts';
import { applySeal, documentXml, newOfd, pageContent, zipOfd, type OfdFiles } from './support/ofd-builder.ts';
import { sm2Pki } from './support/sm2-pki.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const pki = sm2Pki();
const options: VerifyOptions = { trust: [pki.root.certificate], crls: [pki.crl], at: T0 };
const seal = (files: OfdFiles, more: Partial<Parameters<typeof applySeal>[1]> = {}): OfdFiles =>
  applySeal(files, { signer: pki.signer, maker: pki.maker, ...more });
const check = (files: OfdFiles): Promise<VerificationReport> => verifyOfd(zipOfd(files), options);
const edit = (files: OfdFiles, name: string, data: Uint8Array): OfdFiles => new Map(files).set(name, data);

describe('attacks on a sealed OFD', () => {
  const sealed = seal(newOfd('许可证 No. 1'));

  it('a changed protected file: TOTAL_FAILED/HASH_FAILURE naming the file', async () => {
    const r = await check(edit(sealed, 'Doc_0/Pages/Page_0/Content.xml', pageContent('许可证 No. 2')));
    expect(r.document.verdict).toBe('INVALID');
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', intact: false, valid: true, modificationAllowed: false });
    expect(r.signatures[0]!.changes.join('\n')).toMatch(/Doc_0\/Pages\/Page_0\/Content\.xml: changed after signing/);
  });

  it('an added page (Document.xml rewritten): HASH_FAILURE, the new page named', async () => {
    const files = edit(edit(sealed, 'Doc_0/Document.xml', documentXml(2)), 'Doc_0/Pages/Page_1/Content.xml', pageContent('forged'));
    const r = await check(files);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    expect(r.signatures[0]!.changes.join('\n')).toMatch(/Doc_0\/Document\.xml: changed[\s\S]*Page_1\/Content\.xml: in the package but not protected/);
  });

  it('an added file that nothing protects: the document is INVALID, the file named', async () => {
    const r = await check(edit(sealed, 'Doc_0/Pages/Page_1/Content.xml', pageContent('forged')));
    expect(r.document.verdict).toBe('INVALID');
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', modification: 'OTHER', modificationAllowed: false });
    expect(r.signatures[0]!.changes).toEqual(['Doc_0/Pages/Page_1/Content.xml: in the package but not protected by this signature, nor part of a seal']);
  });

  it('a SignedValue swapped in from another sealed document: HASH_FAILURE (dataHash)', async () => {
    const other = seal(newOfd('另一份文件'));
    const name = 'Doc_0/Signs/Sign_0/SignedValue.dat';
    const r = await check(edit(sealed, name, other.get(name)!));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', valid: true });
    expect(r.signatures[0]!.problems[0]).toMatch(/dataHash/);
  });

  it('a changed Signature.xml (a reference dropped): HASH_FAILURE (dataHash)', async () => {
    const name = 'Doc_0/Signs/Sign_0/Signature.xml';
    const xml = Buffer.from(sealed.get(name)!).toString('utf8').replace(/<ofd:Reference FileRef="\/Doc_0\/Pages[^]*?<\/ofd:Reference>/, '');
    const r = await check(edit(sealed, name, strToU8(xml)));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('a seal whose maker signature is broken: SIG_CRYPTO_FAILURE', async () => {
    const r = await check(seal(newOfd(), { breakMaker: true }));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', intact: true, valid: true });
    expect(r.signatures[0]!.seal).toMatchObject({ makerSignatureValid: false });
  });

  it('a signer certificate the seal does not name: INDETERMINATE/SIG_CONSTRAINTS_FAILURE', async () => {
    const r = await check(seal(newOfd(), { allowed: [pki.stranger.certificate] }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE', intact: true, valid: true });
    expect(r.signatures[0]!.seal).toMatchObject({ signerBound: false });
  });

  it('a seal used after it expired: TOTAL_FAILED/EXPIRED', async () => {
    const r = await check(seal(newOfd(), { validEnd: new Date('2025-06-01T00:00:00Z') }));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    expect(r.signatures[0]!.problems[0]).toMatch(/had expired at the signing time/);
  });

  it('a seal not yet valid when used: TOTAL_FAILED/NOT_YET_VALID', async () => {
    const r = await check(seal(newOfd(), { validStart: new Date('2025-12-15T00:00:00Z') }));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'NOT_YET_VALID' });
  });

  it('a signature by a key other than the certificate\'s: SIG_CRYPTO_FAILURE', async () => {
    const forged = seal(newOfd(), { signer: { ...pki.signer, privateKey: pki.stranger.privateKey } });
    const r = await check(forged);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', valid: false });
  });

  it('a garbage SignedValue: FORMAT_FAILURE for that signature, the package still read', async () => {
    const r = await check(edit(sealed, 'Doc_0/Signs/Sign_0/SignedValue.dat', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04])));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});

describe('hostile packages', () => {
  const sealed = seal(newOfd());
  const unreadable = async (bytes: Uint8Array, problem: RegExp, limits?: VerifyOptions['limits']): Promise<void> => {
    const r = await verifyOfd(bytes, { ...options, limits });
    expect(r.document).toMatchObject({ verdict: 'UNREADABLE', subIndication: 'FORMAT_FAILURE' });
    expect(r.document.problems.join('\n')).toMatch(problem);
  };

  it('a zip bomb by ratio: refused unread (maxCompressionRatio)', async () => {
    await unreadable(zipOfd(edit(sealed, 'Doc_0/Res/bomb.bin', new Uint8Array(8 << 20))), /maxCompressionRatio/);
  });

  it('an entry larger than maxStreamBytes: refused unread', async () => {
    await unreadable(zipOfd(edit(sealed, 'Doc_0/Res/big.bin', new Uint8Array(2 << 20).fill(7))), /maxStreamBytes/, { maxStreamBytes: 1 << 20 });
  });

  it('an entry that inflates past the size it declares: stopped at the declared size', async () => {
    const bytes = zipOfd(edit(sealed, 'Doc_0/Pages/Page_0/Content.xml', new Uint8Array(200_000).fill(0x20)));
    const name = Buffer.from('Doc_0/Pages/Page_0/Content.xml');
    // Central directory entry: the uncompressed size is at +24 from its signature.
    const at = Buffer.from(bytes).lastIndexOf(Buffer.concat([name]), undefined) - 46;
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(at + 24, 1000, true);
    await unreadable(bytes, /inflates to more than the 1000 bytes it declares/);
  });

  it('too many entries: refused (maxArchiveEntries)', async () => {
    await unreadable(zipOfd(sealed), /maxArchiveEntries/, { maxArchiveEntries: 3 });
  });

  it.each([
    ['path traversal', '../../etc/evil.xml', /"\.\." segment/],
    ['an absolute name', '/etc/evil.xml', /absolute entry name/],
    ['a backslash', 'Doc_0\\..\\evil.xml', /backslash/],
  ])('%s in an entry name: UNREADABLE', async (_what, name, problem) => {
    await unreadable(zipSync({ ...Object.fromEntries(sealed), [name]: strToU8('<x/>') }), problem);
  });

  it('the same entry name twice: UNREADABLE', async () => {
    const files = edit(sealed, 'Doc_0/Pages/Page_0/Content.xmX', pageContent('shadow'));
    const bytes = Buffer.from(zipOfd(files));
    // Rename the look-alike in both headers, so two entries carry the protected name.
    for (let at = bytes.indexOf('Content.xmX'); at >= 0; at = bytes.indexOf('Content.xmX', at + 1)) bytes.write('Content.xml', at, 'latin1');
    await unreadable(new Uint8Array(bytes), /appears twice/);
  });

  it('an XML part with a document type declaration (entity expansion): UNREADABLE', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody>&lol2;</ofd:DocBody></ofd:OFD>';
    await unreadable(zipOfd(edit(sealed, 'OFD.xml', strToU8(xml))), /document type declaration/);
  });

  it('a truncated package and random bytes after a zip signature: UNREADABLE, never a throw', async () => {
    const bytes = zipOfd(sealed);
    await unreadable(bytes.subarray(0, bytes.length - 30), /end-of-central-directory|damaged|outside/);
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    noise.set([0x50, 0x4b, 0x03, 0x04]);
    await unreadable(noise, /end-of-central-directory/);
  });

  it('survives single-byte corruptions all over a sealed package with a report, VALID only when no content changed', async () => {
    const bytes = zipOfd(sealed);
    const step = Math.max(1, Math.floor(bytes.length / 150));
    let flagged = 0;
    for (let i = 0; i < bytes.length; i += step) {
      const copy = new Uint8Array(bytes);
      copy[i]! ^= 0x5a;
      const r = await verifyOfd(copy, options);
      if (r.document.verdict !== 'VALID') {
        flagged++;
        continue;
      }
      // Zip bookkeeping the reader does not use (local header times, sizes) may change; content may not.
      const seen = unzipSync(copy);
      for (const [name, data] of sealed) expect(Buffer.from(seen[name] ?? []).equals(Buffer.from(data)), `byte ${i}: ${name}`).toBe(true);
    }
    expect(flagged).toBeGreaterThan(100);
  });
});
