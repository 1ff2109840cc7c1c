/**
 * Per-signature checks (issue #3, Deliver 2): digest, signature value by algorithm,
 * finding the signer, ESS signing-certificate, legacy SubFilters. Fixtures are built with
 * the test PKI and writer in ./support, never with signer/.
 */
import { describe, expect, it } from 'vitest';
import { summary, verifyPdf } from '../../verifier/index.ts';
import { buildCms } from './support/cms.ts';
import { flipByte, offsetOf } from './support/bytes.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };

describe('signature algorithms', () => {
  it.each([
    ['RSA PKCS#1 v1.5, SHA-256', pki.rsaSigner, 'sha256', 'RSA with SHA-256'],
    ['RSA PKCS#1 v1.5, SHA-512', pki.rsaSigner, 'sha512', 'RSA with SHA-512'],
    ['RSASSA-PSS, SHA-256', pki.pssSigner, 'sha256', 'RSASSA-PSS with SHA-256'],
    ['RSASSA-PSS, SHA-384', pki.pssSigner, 'sha384', 'RSASSA-PSS with SHA-384'],
    ['ECDSA P-256, SHA-256', pki.p256Signer, 'sha256', 'ECDSA with SHA-256'],
    ['ECDSA P-384, SHA-384', pki.p384Signer, 'sha384', 'ECDSA with SHA-384'],
  ] as const)('%s verifies and chains', async (_name, signer, hash, algorithm) => {
    const doc = signDocument(newDocument(), signer, { hash });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.signatureAlgorithm).toBe(algorithm);
    expect(s!.intact).toBe(true);
    expect(s!.valid).toBe(true);
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBe('B-B');
    expect(summary(s!)).toBe('INTACT:TRUSTED,UNTOUCHED');
  });
});

describe('integrity', () => {
  it('detects a one-byte change inside the signed range (HASH_FAILURE)', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner).bytes;
    const tampered = flipByte(signed, offsetOf(signed, 'Electronic licence'));
    const [s] = (await verifyPdf(tampered, opts)).signatures;
    expect(s!.intact).toBe(false);
    expect(s!.indication).toBe('TOTAL_FAILED');
    expect(s!.subIndication).toBe('HASH_FAILURE');
    expect(summary(s!)).toBe('INVALID');
  });

  it('detects a signature value that does not verify (SIG_CRYPTO_FAILURE)', async () => {
    const doc = signDocument(newDocument(), pki.p256Signer, { corruptSignature: true });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.intact).toBe(true);
    expect(s!.valid).toBe(false);
    expect(s!.subIndication).toBe('SIG_CRYPTO_FAILURE');
  });

  it('reports garbage in /Contents as FORMAT_FAILURE', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { cms: () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]) });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.indication).toBe('TOTAL_FAILED');
    expect(s!.subIndication).toBe('FORMAT_FAILURE');
  });
});

describe('the signer certificate', () => {
  it('is found by subjectKeyIdentifier as well as issuer and serial', async () => {
    const doc = signDocument(newDocument(), pki.p384Signer, { hash: 'sha384', sid: 'keyId' });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.signer?.commonName).toBe('张三 ECDSA P-384');
  });

  it('is NO_SIGNING_CERTIFICATE_FOUND when the CMS omits it and nothing else supplies it', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { certificates: [] });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
  });

  it('rejects an ESS signing-certificate-v2 that names another certificate', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { ess: pki.p256Signer.certificate });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.valid).toBe(true);
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    expect(s!.problems.join(' ')).toMatch(/signing-certificate/);
  });

  it('without ESS is still verified, but reaches no PAdES level', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { ess: false });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBeNull();
    expect(s!.problems.join(' ')).toMatch(/not PAdES baseline/);
  });
});

describe('legacy SubFilters (read and reported as such)', () => {
  it('adbe.pkcs7.detached without signed attributes', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { subFilter: 'adbe.pkcs7.detached', signedAttributes: false, ess: false });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.subFilter).toBe('adbe.pkcs7.detached');
    expect(s!.legacy).toBe(true);
    expect(s!.intact).toBe(true);
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBeNull();
  });

  it('adbe.pkcs7.detached without signed attributes, tampered: HASH_FAILURE from the digest inside the RSA signature', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner, { subFilter: 'adbe.pkcs7.detached', signedAttributes: false, ess: false }).bytes;
    const [s] = (await verifyPdf(flipByte(signed, offsetOf(signed, 'Electronic licence')), opts)).signatures;
    expect(s!.subIndication).toBe('HASH_FAILURE');
  });

  it('adbe.pkcs7.sha1: read, intact, and refused for SHA-1 without proof of existence before the sunset', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { subFilter: 'adbe.pkcs7.sha1', ess: false });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.subFilter).toBe('adbe.pkcs7.sha1');
    expect(s!.legacy).toBe(true);
    expect(s!.intact).toBe(true);
    expect(s!.valid).toBe(true);
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
  });

  it('adbe.pkcs7.sha1 whose encapsulated digest is not of the signed bytes: HASH_FAILURE', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, {
      subFilter: 'adbe.pkcs7.sha1',
      cms: () => buildCms({ signer: pki.rsaSigner, content: [], hash: 'sha256', eContent: { type: '1.2.840.113549.1.7.1', data: new Uint8Array(20) } }),
    });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.subIndication).toBe('HASH_FAILURE');
  });
});
