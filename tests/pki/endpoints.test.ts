import { describe, expect, it } from 'vitest';
import { parseCertificate, toPem } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { hasOpenssl, openssl, useScratchDir } from '../support/openssl.ts';

/** The URLs a certificate publishes: CRL distribution point, AIA OCSP and caIssuers (RFC 5280 §4.2.1.13, §4.2.2.1). */
function publishedUrls(der: Uint8Array): { crl: string; ocsp: string; caIssuers: string } {
  const text = openssl(['x509', '-inform', 'DER', '-noout', '-ext', 'crlDistributionPoints,authorityInfoAccess'], der).stdout;
  return {
    crl: /URI:(\S+\.crl)/.exec(text)![1]!,
    ocsp: /OCSP - URI:(\S+)/.exec(text)![1]!,
    caIssuers: /CA Issuers - URI:(\S+)/.exec(text)![1]!,
  };
}

describe.skipIf(!hasOpenssl)('PKI endpoints, fetched from the URLs written into a seal certificate', () => {
  const t = useTestApp();
  const scratch = useScratchDir();

  async function sealCertificate() {
    const pki = t.app.services.pki;
    await t.db.prisma.department.upsert({ where: { id: 'D-MARKET' }, create: { id: 'D-MARKET', name: '市场监督管理局', uscc: '11100000000013338W' }, update: {} });
    const id = await pki.issueSealCertificate('D-MARKET');
    const record = await pki.getCertificate(id);
    return { id, der: record.der };
  }

  it('serves the CRL at the distribution point, signed by the issuing CA', async () => {
    const { der } = await sealCertificate();
    const urls = publishedUrls(der);
    expect(urls.crl.startsWith(t.url.toString())).toBe(true);

    const ca = await fetch(urls.caIssuers);
    expect(ca.headers.get('content-type')).toBe('application/pkix-cert');
    const caDer = new Uint8Array(await ca.arrayBuffer());
    const crl = await fetch(urls.crl);
    expect(crl.status).toBe(200);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');

    const caFile = scratch.file('ca.pem', toPem(caDer, 'CERTIFICATE'));
    const verified = openssl(['crl', '-inform', 'DER', '-CAfile', caFile, '-noout', '-verify'], new Uint8Array(await crl.arrayBuffer()));
    expect(verified.stderr).toContain('verify OK');
    expect(parseCertificate(caDer).subject).toBe(parseCertificate(der).issuer);
  });
});

