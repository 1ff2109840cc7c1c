import fs from 'node:fs';
import { TimeStampResp } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, toPem } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { openssl, opensslAsync, opensslSerial, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';

const noOpenssl = skipWithout('tests/pki/endpoints', 'openssl');

/** The URLs a certificate publishes: CRL distribution point, AIA OCSP and caIssuers (RFC 5280 §4.2.1.13, §4.2.2.1), as openssl reads them. */
function publishedUrls(der: Uint8Array): { crl: string; ocsp: string; caIssuers: string } {
  const text = openssl(['x509', '-inform', 'DER', '-noout', '-ext', 'crlDistributionPoints,authorityInfoAccess'], der).stdout;
  return {
    crl: /URI:(\S+\.crl)/.exec(text)![1]!,
    ocsp: /OCSP - URI:(\S+)/.exec(text)![1]!,
    caIssuers: /CA Issuers - URI:(\S+)/.exec(text)![1]!,
  };
}

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

describe.skipIf(noOpenssl)('PKI endpoints, fetched from the URLs written into a seal certificate', () => {
  const t = useTestApp();
  const scratch = useScratchDir();
  const pem = (name: string, der: Uint8Array) => scratch.file(name, toPem(der, 'CERTIFICATE'));
  let seal: { id: string; der: Uint8Array; urls: ReturnType<typeof publishedUrls> };
  let caDer: Uint8Array;
  let rootFile: string;

  beforeAll(async () => {
    const pki = t.app.services.pki;
    await t.db.prisma.department.create({ data: { id: 'D-MARKET', name: '市场监督管理局', uscc: '11100000000013338W' } });
    const id = await pki.issueSealCertificate('D-MARKET');
    const der = (await pki.getCertificate(id)).der;
    seal = { id, der, urls: publishedUrls(der) };
    rootFile = pem('root.pem', await pki.rootCertificate());
  });

  it('serves the root as DER and PEM, the same certificate', async () => {
    const der = await fetch(new URL('pki/root.crt', t.url));
    expect(der.headers.get('content-type')).toBe('application/pkix-cert');
    const text = await fetch(new URL('pki/root.pem', t.url));
    expect(text.headers.get('content-type')).toBe('application/x-pem-file');
    expect(await text.text()).toBe(toPem(await bytesOf(der), 'CERTIFICATE'));
  });

  it('serves the issuing CA at caIssuers: the certificate whose key signed the seal', async () => {
    expect(seal.urls.caIssuers.startsWith(t.url.toString())).toBe(true);
    const res = await fetch(seal.urls.caIssuers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pkix-cert');
    caDer = await bytesOf(res);
    expect(openssl(['verify', '-CAfile', rootFile, '-untrusted', pem('ca.pem', caDer), pem('seal.pem', seal.der)]).status).toBe(0);
  });

  it('serves the CRL at the distribution point, verified under the issuing CA', async () => {
    const res = await fetch(seal.urls.crl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    const r = openssl(['crl', '-inform', 'DER', '-CAfile', pem('ca-crl.pem', caDer), '-noout', '-verify', '-text'], await bytesOf(res));
    expect(r.stderr).toContain('verify OK');
    expect(r.stdout).toContain('No Revoked Certificates.');
  });

  it('answers OCSP at the AIA URL (openssl ocsp -url): good, then revoked after revoke(), and the CRL lists it', async () => {
    // Asynchronous: openssl asks the server running in this process.
    const ask = () => opensslAsync(['ocsp', '-issuer', pem('ca-ocsp.pem', caDer), '-cert', pem('seal-ocsp.pem', seal.der), '-url', seal.urls.ocsp, '-CAfile', rootFile]);
    const good = await ask();
    expect(good.stderr).toContain('Response verify OK');
    expect(good.stdout).toMatch(/seal-ocsp\.pem: good/);

    await t.app.services.pki.revoke(seal.id, 'keyCompromise');

    const revoked = await ask();
    expect(revoked.stderr).toContain('Response verify OK');
    expect(revoked.stdout).toMatch(/seal-ocsp\.pem: revoked/);
    expect(revoked.stdout).toContain('Reason: keyCompromise');
    const crl = openssl(['crl', '-inform', 'DER', '-noout', '-text'], await bytesOf(await fetch(seal.urls.crl)));
    expect(crl.stdout).toContain(`Serial Number: ${opensslSerial(parseCertificate(seal.der).serial)}`);
  });

  it('answers the OCSP GET form (RFC 6960 Appendix A.1), percent-encoded or with raw slashes', async () => {
    const request = scratch.file('get.req');
    openssl(['ocsp', '-issuer', pem('ca-get.pem', caDer), '-cert', pem('seal-get.pem', seal.der), '-no_nonce', '-reqout', request]);
    const b64 = fs.readFileSync(request).toString('base64');
    for (const path of [encodeURIComponent(b64), b64]) {
      const res = await fetch(`${seal.urls.ocsp}/${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/ocsp-response');
      const r = openssl(['ocsp', '-respin', scratch.file('get.resp', await bytesOf(res)), '-CAfile', rootFile, '-resp_text']);
      expect(r.stderr).toContain('Response verify OK');
      expect(r.stdout).toContain('Cert Status: revoked');
    }
  });

  it('time-stamps at the TSA URL: openssl ts -query, POST application/timestamp-query, openssl ts -verify', async () => {
    const data = scratch.file('data.bin', '电子证照 PDF bytes');
    const query = scratch.file('q.tsq');
    expect(openssl(['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query]).status).toBe(0);
    const res = await fetch(t.app.services.pki.urls.tsa, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: fs.readFileSync(query) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const reply = scratch.file('r.tsr', await bytesOf(res));
    expect(openssl(['ts', '-verify', '-data', data, '-in', reply, '-CAfile', rootFile]).stdout).toContain('Verification: OK');
    expect(openssl(['ts', '-verify', '-queryfile', query, '-in', reply, '-CAfile', rootFile]).stdout).toContain('Verification: OK');
  });

  describe('bad input', () => {
    const post = (path: string, body: Uint8Array, type: string) => fetch(new URL(path, t.url), { method: 'POST', headers: { 'content-type': type }, body });
    const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

    it.each([
      ['garbage over POST', () => post('pki/ocsp', new Uint8Array([1, 2, 3, 4]), 'application/ocsp-request')],
      ['an empty POST', () => post('pki/ocsp', new Uint8Array(), 'application/ocsp-request')],
      ['a GET that is not base64', () => fetch(new URL('pki/ocsp/not*base64', t.url))],
      ['a GET of base64 garbage', () => fetch(new URL(`pki/ocsp/${encodeURIComponent(Buffer.from('garbage').toString('base64'))}`, t.url))],
    ])('answers OCSP %s with malformedRequest (HTTP 200, in-protocol)', async (_case, send) => {
      const res = await send();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/ocsp-response');
      expect(openssl(['ocsp', '-respin', scratch.file('bad.resp', await bytesOf(res)), '-resp_text', '-noverify']).stdout).toContain('malformedrequest');
    });

    it('answers a garbage time-stamp query with status rejection, badDataFormat', async () => {
      const res = await post('pki/tsa', new Uint8Array([0x30, 0x00]), 'application/timestamp-query');
      expect(res.status).toBe(200);
      const reply = TimeStampResp.fromBER(await res.arrayBuffer());
      expect(reply.status.status).toBe(2);
      expect(openssl(['ts', '-reply', '-in', scratch.file('bad.tsr', new Uint8Array(reply.toSchema().toBER())), '-text']).stdout).toContain('the data submitted has the wrong format');
    });

    it.each([
      ['OCSP', 'pki/ocsp', 'application/ocsp-request', 16 * 1024 + 1],
      ['TSA', 'pki/tsa', 'application/timestamp-query', 8 * 1024 + 1],
    ])('refuses an oversize %s body with 413 before reading it', async (_case, path, type, size) => {
      const res = await post(path, new Uint8Array(size), type);
      expect(res.status).toBe(413);
      expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each([
      ['OCSP', 'pki/ocsp', 'application/octet-stream'],
      ['TSA', 'pki/tsa', 'application/ocsp-request'],
    ])('refuses a %s body of the wrong media type with 415', async (_case, path, type) => {
      const res = await post(path, new Uint8Array([1]), type);
      expect(res.status).toBe(415);
      expect(await errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it.each([
      ['CRL of an unknown CA', 'pki/crl/no-such-ca.crl'],
      ['certificate of an unknown CA', 'pki/ca/no-such-ca.crt'],
      ['"CA" that is a seal certificate', () => `pki/ca/${seal.id}.crt`],
    ])('answers the %s with 404', async (_case, path) => {
      const res = await fetch(new URL(typeof path === 'function' ? path() : path, t.url));
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('NOT_FOUND');
    });

    it('answers malformed percent-encoding with 400 (an invalid path, issue 9)', async () => {
      const res = await fetch(new URL('pki/ocsp/%E0%A4%A', t.url));
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('INVALID_PATH');
    });

    it('refuses GET on the TSA with 405', async () => {
      expect((await fetch(new URL('pki/tsa', t.url))).status).toBe(405);
    });
  });
});
