/**
 * Signed OFDs from other seal systems ($ZHENGYIN_OFD_SAMPLES, as in samples.test.ts) judged
 * by BouncyCastle too (issue #13): wherever BouncyCastle judges a seal in every part (an SES
 * seal with SM3 references), verify() reaches the same answer on the digests with dataHash,
 * the signer's SM2 signature and the seal maker's. Skipped, loudly, without the folder or
 * without Java and BouncyCastle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../../../verifier/index.ts';
import { judgeOfdWithBouncyCastle, skipWithoutBouncyCastle } from '../../support/bouncycastle.ts';

const DIR = process.env.ZHENGYIN_OFD_SAMPLES;
const AT = new Date('2026-12-01T00:00:00Z');

if (!DIR) console.warn('SKIPPED tests/verifier/ofd/bouncycastle-samples: set ZHENGYIN_OFD_SAMPLES to a folder of signed OFDs from other seal systems');
const skip = !DIR || skipWithoutBouncyCastle('tests/verifier/ofd/bouncycastle-samples');

describe.skipIf(skip)('BouncyCastle and verify() on signed OFDs from other seal systems', () => {
  const files = DIR ? fs.readdirSync(DIR).filter((f) => /\.ofd$/i.test(f)).sort() : [];

  it('the folder holds OFD files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s: the same answer on every seal both judge', async (name) => {
    const file = path.join(DIR!, name);
    const ours = await verify(fs.readFileSync(file), { at: AT, revocation: 'soft-fail' });
    if (ours.document.verdict === 'UNSIGNED' || ours.document.verdict === 'UNREADABLE') return;
    const bc = await judgeOfdWithBouncyCastle(file);
    expect(bc, name).toHaveLength(ours.signatures.length);
    bc.forEach((v, i) => {
      // Type=Sign (PKCS#7) and CheckMethods other than SM3 are not BouncyCastle's to judge here.
      if (v.referencesOk === null || v.dataHashOk === null || v.signerSignatureOk === null || v.makerSignatureOk === null) return;
      const s = ours.signatures[i]!;
      expect({ digests: s.intact, signer: s.valid, maker: s.seal?.makerSignatureValid }, `${name} ${v.signature}: ${v.problems.join('; ')}`)
        .toEqual({ digests: v.referencesOk && v.dataHashOk, signer: v.signerSignatureOk, maker: v.makerSignatureOk });
    });
  });
});
