/**
 * OFD verification (issue #13, Deliver 1): packages sealed here with GB/T 38540 V4 seals and
 * an SM2 PKI made in the test, judged by verifyOfd and by the format-sniffing verify().
 */
import { Zip, ZipDeflate } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, verifyOfd, type VerifyOptions } from '../../../verifier/index.ts';
import { timestampToken } from '../support/cms.ts';
import { testPki } from '../support/pki.ts';
import { applySeal, newOfd, zipOfd, type OfdFiles } from './support/ofd-builder.ts';
import { sm2Pki } from './support/sm2-pki.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const pki = sm2Pki();
const options: VerifyOptions = { trust: [pki.root.certificate], crls: [pki.crl], at: T0 };
const seal = (files: OfdFiles, more: Partial<Parameters<typeof applySeal>[1]> = {}): OfdFiles =>
  applySeal(files, { signer: pki.signer, maker: pki.maker, ...more });

let sealed: OfdFiles;
beforeAll(() => {
  sealed = seal(newOfd());
});

describe('verifyOfd on a sealed OFD', () => {
  it('judges a V4 seal with an SM2 chain to the trust anchor TOTAL_PASSED, every part checked', async () => {
    const r = await verifyOfd(zipOfd(sealed), options);
    expect(r.document.verdict).toBe('VALID');
    const s = r.signatures[0]!;
    expect(s).toMatchObject({
      indication: 'TOTAL_PASSED', intact: true, valid: true, trusted: true, coverage: 'REFERENCED_FILES',
      subFilter: 'GB/T 38540 SES_Signature V4', digestAlgorithm: 'SM3', signatureAlgorithm: 'SM2 with SM3', modification: 'NONE',
      claimedSigningTime: '2025-12-01T00:00:00.000Z', signerName: '测试政务服务中心专用章',
    });
    expect(s.seal).toMatchObject({ makerSignatureValid: true, makerIndication: 'TOTAL_PASSED', signerBound: true, validEnd: '2029-06-01T00:00:00.000Z' });
    expect(s.certificatePath.map((c) => c.commonName)).toEqual(['测试政务服务中心', 'Zhengyin Test SM2 Root CA']);
    expect(s.revocation[0]).toMatchObject({ type: 'CRL', status: 'GOOD' });
  });

  it('is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND without the SM2 root as trust anchor, still intact and valid', async () => {
    const r = await verifyOfd(zipOfd(sealed), { at: T0 });
    expect(r.document.verdict).toBe('INDETERMINATE');
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', intact: true, valid: true });
  });

  it('is INDETERMINATE/TRY_LATER without revocation data under the default policy', async () => {
    const r = await verifyOfd(zipOfd(sealed), { trust: [pki.root.certificate], at: T0 });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('keeps the first seal valid when a second is applied, and names the second\'s files as allowed', async () => {
    const twice = seal(sealed);
    const r = await verifyOfd(zipOfd(twice), options);
    expect(r.document.verdict).toBe('VALID');
    expect(r.signatures.map((s) => [s.indication, s.modification])).toEqual([['TOTAL_PASSED', 'FORM_FILLING'], ['TOTAL_PASSED', 'NONE']]);
  });

  it.each(['raw', 'unsigned-der'] as const)('reads a signer signature written as %s (lenient decoding)', async (signatureEncoding) => {
    let files = newOfd();
    for (let i = 0; i < 4; i++) files = seal(files, { signatureEncoding });
    const r = await verifyOfd(zipOfd(files), options);
    expect(r.signatures.map((s) => s.valid)).toEqual([true, true, true, true]);
    expect(r.document.verdict).toBe('VALID');
  });

  it('judges a GM/T 0031 V1 seal: signer over TBS_Sign, maker over SEQUENCE{sealInfo, cert, alg}', async () => {
    const r = await verifyOfd(zipOfd(seal(newOfd(), { version: 'V1' })), options);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', subFilter: 'GM/T 0031 SES_Signature V1', claimedSigningTime: '2025-12-01T00:00:00.000Z' });
    expect(r.signatures[0]!.seal).toMatchObject({ format: 'GM/T 0031 SES_Seal V1', makerSignatureValid: true, signerBound: true, validEnd: '2029-06-01T00:00:00.000Z' });
    const broken = await verifyOfd(zipOfd(seal(newOfd(), { version: 'V1', breakMaker: true })), options);
    expect(broken.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', valid: true });
  });

  it('takes the proven time from a V4 timeStamp: the seal and certificates judged then, not at the validation time', async () => {
    const tsaPki = testPki();
    const signedAt = new Date('2025-12-01T00:00:00Z');
    const files = seal(newOfd(), { signedAt, timeStamp: (value) => timestampToken({ tsa: tsaPki.tsa, at: signedAt, data: [value] }) });
    const late = { trust: [pki.root.certificate, tsaPki.root.certificate], crls: [pki.crl, ...tsaPki.crls], at: new Date('2031-01-01T00:00:00Z'), revocation: 'soft-fail' as const };
    const r = await verifyOfd(zipOfd(files), late);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', provenSigningTime: signedAt.toISOString() });
    expect(r.signatures[0]!.seal!.timeStamped).toBe(true);
    expect(r.signatures[0]!.timestamp).toMatchObject({ indication: 'TOTAL_PASSED', intact: true });
    // Without the time-stamp the same seal, past its validity, proves nothing.
    const bare = await verifyOfd(zipOfd(seal(newOfd(), { signedAt })), late);
    expect(bare.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });

  it('finds the signatures wherever OFD.xml says they are, not only under Signs/', async () => {
    const r = await verifyOfd(zipOfd(seal(newOfd(), { signsFolder: 'META-INF/seals' })), options);
    expect(r.signatures[0]).toMatchObject({ fieldName: 'META-INF/seals/Sign_0/Signature.xml', indication: 'TOTAL_PASSED' });
  });

  it('reads a package written with data descriptors (streaming zip, sizes after the data)', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      chunks.push(chunk);
    });
    for (const [name, data] of sealed) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(data, true);
    }
    zip.end();
    const bytes = new Uint8Array(Buffer.concat(chunks));
    expect(bytes[6]! & 0x08).toBe(0x08);
    const r = await verifyOfd(bytes, options);
    expect(r.document.verdict).toBe('VALID');
  });

  it('says UNSIGNED for an OFD without signatures, UNREADABLE for a zip that is no OFD', async () => {
    expect((await verifyOfd(zipOfd(newOfd()), options)).document.verdict).toBe('UNSIGNED');
    const r = await verifyOfd(zipOfd(new Map([['hello.txt', new Uint8Array([104, 105])]])), options);
    expect(r.document).toMatchObject({ verdict: 'UNREADABLE', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.document.problems[0]).toMatch(/no OFD\.xml/);
  });

  it('verify() sends a zip to the OFD reader and anything else to the PDF reader', async () => {
    expect((await verify(zipOfd(sealed), options)).signatures[0]!.subFilter).toBe('GB/T 38540 SES_Signature V4');
    const notPdf = await verify(new Uint8Array(Buffer.from('hello')), options);
    expect(notPdf.document.verdict).toBe('UNREADABLE');
    expect(notPdf.document.problems.join(' ')).not.toMatch(/OFD/);
  });
});
