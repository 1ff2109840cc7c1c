/**
 * EdDSA in CMS (RFC 8419): Ed25519 with SHA-512, Ed448 with SHAKE256 (id-shake256,
 * 2.16.840.1.101.3.4.2.12, 512-bit output), signed by the test CMS builder with node:crypto
 * (OpenSSL 3.0's `cms -sign` has no default digest for Ed448). An algorithm we still do not support is INDETERMINATE with `intact`
 * unknown (null), never false.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderText, summary, verifyPdf } from '../../verifier/index.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki, type Identity } from './support/pki.ts';
import { signDocument } from './support/sign.ts';
import { buildCms } from './support/cms.ts';
import { issueCertificate } from './support/x509.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };
let serial = 9000;

function identity(kind: 'ed25519' | 'ed448', cn: string): Identity {
  const kp = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ed448');
  const certificate = issueCertificate({
    subject: { CN: cn, O: '示例电子证照签发机构', C: 'CN' },
    serial: serial++,
    notBefore: new Date('2024-01-01Z'),
    notAfter: new Date('2030-01-01Z'),
    publicKey: kp.publicKey as KeyObject,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
  }, pki.issuers.intermediate);
  return { certificate, privateKey: kp.privateKey, publicKey: kp.publicKey, chain: [pki.intermediate.certificate, pki.root.certificate] } as Identity;
}

describe('EdDSA signatures (RFC 8419)', () => {
  it('Ed25519 with SHA-512: TOTAL_PASSED', async () => {
    const doc = signDocument(newDocument(), identity('ed25519', 'Ed25519 Signer'), { hash: 'sha512' });
    const s = (await verifyPdf(doc.bytes, opts)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_PASSED', intact: true, valid: true, digestAlgorithm: 'SHA-512', signatureAlgorithm: 'Ed25519' });
  });

  it('Ed448 with SHAKE256: TOTAL_PASSED', async () => {
    const doc = signDocument(newDocument(), identity('ed448', 'Ed448 Signer'), { hash: 'shake256' });
    const s = (await verifyPdf(doc.bytes, opts)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_PASSED', intact: true, valid: true, digestAlgorithm: 'SHAKE256', signatureAlgorithm: 'Ed448' });
  });

  it('Ed448 over changed bytes: HASH_FAILURE', async () => {
    const who = identity('ed448', 'Ed448 Signer');
    const doc = signDocument(newDocument(), who, { cms: (covered) => buildCms({ signer: who, hash: 'shake256', content: [covered[0]!, Buffer.from('changed')] }) });
    const s = (await verifyPdf(doc.bytes, opts)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', intact: false });
  });
});

describe('an algorithm still unsupported', () => {
  it('a SHA3-256 digest: INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE, intact unknown (null), not INTACT', async () => {
    const sha256 = Buffer.from('0609608648016503040201', 'hex');
    const sha3 = Buffer.from('0609608648016503040208', 'hex');
    const doc = signDocument(newDocument(), pki.p256Signer, {
      cms: (covered) => {
        // Our builder with SHA-256, then every SHA-256 OID relabelled SHA3-256 (same length).
        const der = Buffer.from(signDocumentCms(covered));
        for (let i = der.indexOf(sha256); i >= 0; i = der.indexOf(sha256, i + 1)) sha3.copy(der, i);
        return der;
      },
    });
    const report = await verifyPdf(doc.bytes, opts);
    const s = report.signatures[0]!;
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE', intact: null });
    expect(report.document.verdict).toBe('INDETERMINATE');
    expect(summary(s)).not.toMatch(/^INTACT/);
    expect(renderText(report)).toMatch(/intact\/valid +unknown\//);
  });
});

function signDocumentCms(covered: readonly Uint8Array[]): Uint8Array {
  return buildCms({ signer: pki.p256Signer, content: covered });
}
