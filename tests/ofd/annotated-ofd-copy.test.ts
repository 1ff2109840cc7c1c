/**
 * 加注件 of an OFD (makeAnnotatedOfdCopy): the note as an annotation on the first page, the
 * original attached byte for byte, the copy sealed; judged by our verifier and BouncyCastle.
 */
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_LICENCE, makeAnnotatedOfdCopy, renderLicenceOfd, signOfd, type AnnotationNote } from '../../signer/index.ts';
import { verifyOfd } from '../../verifier/index.ts';
import { bcPassed, judgeOfdBytesWithBouncyCastle, skipWithoutBouncyCastle } from '../support/bouncycastle.ts';
import { applySeal, newOfd, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { metadataFor, pki, sealOptions, SIGNED_AT, verifyOptions } from './support.ts';

const noBouncyCastle = skipWithoutBouncyCastle('tests/ofd/annotated-ofd-copy (BouncyCastle as OFD judge)');
const note: AnnotationNote = { recipient: '中国工商银行厦门分行', purpose: '办理对公开户', validUntil: new Date('2026-01-31T00:00:00Z'), reference: 'UC-OFD-1', issuedAt: SIGNED_AT };
const text = (b: Uint8Array | undefined) => Buffer.from(b!).toString('utf8');

describe('makeAnnotatedOfdCopy', () => {
  let licence: Uint8Array;
  const foreign = zipOfd(applySeal(newOfd(), { signer: pki.signer, maker: pki.maker }));

  beforeAll(async () => {
    const rendered = await renderLicenceOfd(BUSINESS_LICENCE, metadataFor(BUSINESS_LICENCE), { statusUrl: 'https://zw.example.gov.cn/licences/X/status' });
    licence = await signOfd(rendered.ofd, sealOptions(pki.signer, { position: rendered.sealBox }));
  });

  it.each([
    ['our sealed licence (with its own attachments)', () => licence],
    ['another seal system\'s sealed OFD', () => foreign],
  ])('copies %s: the note on page 1, the original attached unchanged and still valid, the copy sealed', async (_name, original) => {
    const copy = await makeAnnotatedOfdCopy({ original: original(), note, seal: { ...sealOptions(pki.stranger), signedAt: SIGNED_AT } });

    const report = await verifyOfd(copy, verifyOptions);
    expect(report.signatures.map((s) => [s.indication, s.modification, s.changes])).toEqual([['TOTAL_PASSED', 'NONE', []]]);
    expect(report.signatures[0]!.signer?.commonName).toBe('Somebody Else');

    const files = unzipSync(copy);
    const annotations = Object.entries(files).filter(([n]) => n.endsWith('Annotation.xml')).map(([, d]) => text(d));
    expect(annotations).toHaveLength(1);
    for (const part of [note.recipient, note.purpose, note.reference, '加注件', 'original.ofd']) expect(annotations[0]).toContain(part);
    expect(annotations[0]).toMatch(/<ofd:Annot [^>]*Type="Stamp"/);
    const documentXml = text(Object.entries(files).find(([n]) => n.endsWith('Document.xml'))![1]);
    expect(documentXml).toMatch(/<ofd:Annotations>/);
    expect(documentXml).toMatch(/<ofd:DocumentRes>CopyRes.xml<\/ofd:DocumentRes>/);
    // The note's font is embedded: every reader shows it.
    expect(Object.keys(files).filter((n) => /CopyRes\/font_\d+\.otf$/.test(n))).toHaveLength(2);

    const attached = Object.entries(files).find(([n]) => n.endsWith('/original.ofd'))![1];
    expect(Buffer.from(attached).equals(Buffer.from(original()))).toBe(true);
    const attachments = Object.entries(files).filter(([n]) => n.endsWith('Attachments.xml')).map(([, d]) => text(d)).join('');
    expect(attachments).toContain('Name="original.ofd"');
    const inside = await verifyOfd(attached, verifyOptions);
    expect(inside.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    // The original's own signatures are not carried over into the copy's package.
    expect(Object.keys(files).filter((n) => n.endsWith('Signature.xml'))).toHaveLength(1);

    if (!noBouncyCastle) expect((await judgeOfdBytesWithBouncyCastle(copy)).map(bcPassed)).toEqual([true]);
  });

  it('refuses a bad note and a non-OFD, typed', async () => {
    await expect(makeAnnotatedOfdCopy({ original: foreign, note: { ...note, recipient: '' }, seal: sealOptions() })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'note.recipient' });
    await expect(makeAnnotatedOfdCopy({ original: new TextEncoder().encode('%PDF-1.7'), note, seal: sealOptions() })).rejects.toMatchObject({ code: 'OFD_READ' });
  });
});
