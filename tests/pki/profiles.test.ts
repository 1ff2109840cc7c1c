import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, issueCertificate, keyAlgorithms, NodeSigningKey, parseCertificate, PkiInputError, toPem, type KeyAlgorithm } from '../../signer/index.ts';
import { createLibraryPki, TEST_URLS, type LibraryPki } from '../support/library-pki.ts';
import { openssl, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';

const noOpenssl = skipWithout('tests/pki/profiles', 'openssl');

/** `openssl x509 -text`, with UTF-8 names. */
const text = (der: Uint8Array) => openssl(['x509', '-inform', 'DER', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], der).stdout;

describe('certificate profiles (RFC 5280), judged by openssl', () => {
  let pki: LibraryPki;
  const scratch = useScratchDir();
  const pem = (name: string, der: Uint8Array) => scratch.file(name, toPem(der, 'CERTIFICATE'));

  beforeAll(async () => {
    pki = await createLibraryPki();
  });

  it.skipIf(noOpenssl).each([
    ['root-ca', () => pki.root.der, ['CA:TRUE'], ['Certificate Sign, CRL Sign'], { eku: undefined, aki: false, urls: false }],
    ['issuing-ca', () => pki.departmentCa.der, ['CA:TRUE, pathlen:0'], ['Certificate Sign, CRL Sign'], { eku: undefined, aki: true, urls: true }],
    ['seal', () => pki.seal.der, [], ['Digital Signature, Non Repudiation'], { eku: undefined, aki: true, urls: true }],
    ['tsa', () => pki.tsa.der, [], ['Digital Signature'], { eku: 'critical\\s+Time Stamping', aki: true, urls: true }],
    ['ocsp-responder', () => pki.ocsp.der, [], ['Digital Signature'], { eku: 'OCSP Signing', aki: true, urls: false }],
  ] as const)('%s: basicConstraints, keyUsage (critical), EKU, SKI/AKI and URLs', (_profile, der, basic, usage, p) => {
    const t = text(der());
    if (basic.length > 0) expect(t).toMatch(new RegExp(`Basic Constraints: critical\\s+${basic[0]}\\n`));
    else expect(t).not.toContain('Basic Constraints');
    expect(t).toMatch(new RegExp(`Key Usage: critical\\s+${usage[0]}\\n`));
    if (p.eku) expect(t).toMatch(new RegExp(`Extended Key Usage:\\s*${p.eku}\\n`));
    else expect(t).not.toContain('Extended Key Usage');
    expect(t).toContain('Subject Key Identifier');
    expect(t.includes('Authority Key Identifier')).toBe(p.aki);
    expect(t.includes(`URI:${TEST_URLS.crl}`)).toBe(p.urls);
    expect(t.includes(`OCSP - URI:${TEST_URLS.ocsp}`)).toBe(p.urls);
    expect(t.includes(`CA Issuers - URI:${TEST_URLS.caIssuers}`)).toBe(p.urls);
    expect(t).toContain('Version: 3 (0x2)');
  });

  it.skipIf(noOpenssl)('marks the OCSP responder id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)', () => {
    expect(text(pki.ocsp.der)).toContain('OCSP No Check');
  });

  it.skipIf(noOpenssl)('writes the department name and 统一社会信用代码 as UTF8String', () => {
    const t = text(pki.seal.der);
    expect(t).toContain('Subject: C=CN, O=市场监督管理局, organizationIdentifier=NTRCN-11100000000013338W, CN=市场监督管理局电子印章');
    const asn1 = openssl(['asn1parse', '-inform', 'DER'], pki.seal.der).stdout;
    expect(asn1).toMatch(/UTF8STRING\s+:市场监督管理局电子印章/);
    expect(asn1).toMatch(/PRINTABLESTRING\s+:CN/);
  });

  it.skipIf(noOpenssl)('chains verify: seal and responder under the department CA, TSA under the root', () => {
    const root = pem('root.pem', pki.root.der);
    const ca = pem('ca.pem', pki.departmentCa.der);
    const verify = (purpose: string | undefined, leaf: Uint8Array, untrusted = true) =>
      openssl(['verify', '-CAfile', root, ...(untrusted ? ['-untrusted', ca] : []), ...(purpose ? ['-purpose', purpose] : []), pem('leaf.pem', leaf)]);
    expect(verify(undefined, pki.seal.der).status).toBe(0);
    expect(verify('ocsphelper', pki.ocsp.der).status).toBe(0);
    expect(verify('timestampsign', pki.tsa.der, false).status).toBe(0);
    // Purposes the profiles do not grant:
    expect(verify('timestampsign', pki.seal.der).status).not.toBe(0);
    expect(verify('sslserver', pki.tsa.der, false).status).not.toBe(0);
    // Without the department CA there is no path.
    expect(verify(undefined, pki.seal.der, false).status).not.toBe(0);
  });

  it.skipIf(noOpenssl).each(keyAlgorithms.filter((a) => a !== 'RSA-4096' && a !== 'SM2').map((a) => [a]))('issues a seal certificate for a %s key that openssl verifies', async (algorithm: KeyAlgorithm) => {
    const seal = await pki.issue({ profile: 'seal', commonName: `seal ${algorithm}`, issuer: pki.departmentCa, algorithm });
    expect(seal.info.keyAlgorithm).toBe(algorithm);
    expect(openssl(['verify', '-CAfile', pem('r.pem', pki.root.der), '-untrusted', pem('c.pem', pki.departmentCa.der), pem('s.pem', seal.der)]).status).toBe(0);
  });

  it('links AKI to the issuer SKI and draws random, positive serials of at least 64 bits', async () => {
    expect(Buffer.from(pki.seal.info.authorityKeyIdentifier!)).toEqual(Buffer.from(pki.departmentCa.info.subjectKeyIdentifier!));
    const serials = await Promise.all([1, 2, 3, 4].map(async (i) => (await pki.issue({ profile: 'seal', commonName: `s${i}`, issuer: pki.departmentCa })).info.serial));
    expect(new Set(serials).size).toBe(4);
    for (const serial of serials) {
      expect(serial.length).toBeGreaterThanOrEqual(16); // ≥ 64 bits
      expect(serial.length).toBeLessThanOrEqual(40); // ≤ 20 octets
      expect(parseInt(serial.padStart(32, '0').slice(0, 2), 16)).toBeLessThan(0x80); // positive
    }
  });

  it('caps notAfter at the issuer and refuses a non-CA issuer or an empty validity', async () => {
    const late = await pki.issue({ profile: 'seal', commonName: 'long', issuer: pki.departmentCa, notAfter: new Date(pki.departmentCa.info.notAfter.getTime() + 1e12) });
    expect(late.info.notAfter).toEqual(pki.departmentCa.info.notAfter);
    await expect(pki.issue({ profile: 'seal', commonName: 'under a seal', issuer: pki.seal })).rejects.toMatchObject({ name: PkiInputError.name, field: 'issuer.certificate' });
    await expect(pki.issue({ profile: 'seal', commonName: 'empty', issuer: pki.departmentCa, notBefore: new Date(), notAfter: new Date(Date.now() - 1000) })).rejects.toMatchObject({
      name: PkiInputError.name,
      field: 'notAfter',
    });
  });

  it('refuses subjects RFC 5280 does not allow, naming the field', async () => {
    const pair = await generateKeyPair('EC-P256');
    const request = (subject: Parameters<typeof issueCertificate>[0]['subject']) =>
      issueCertificate({ profile: 'root-ca', subject, publicKey: pair.publicKey, notBefore: new Date(), notAfter: new Date(Date.now() + 1e9), issuer: { key: new NodeSigningKey(pair.privateKey) } });
    await expect(request({ commonName: '长'.repeat(65) })).rejects.toMatchObject({ field: 'subject.commonName' });
    await expect(request({ commonName: 'x', country: 'China' })).rejects.toMatchObject({ field: 'subject.country' });
    await expect(request({ commonName: '' })).rejects.toMatchObject({ field: 'subject.commonName' });
  });

  it('reads back what it wrote', () => {
    const info = parseCertificate(pki.tsa.der);
    expect(info.keyUsage).toEqual(['digitalSignature']);
    expect(info.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(info.isCa).toBe(false);
    expect(parseCertificate(pki.departmentCa.der).isCa).toBe(true);
    expect(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(PkiInputError);
  });
});
