/**
 * What a hostile or careless client sends (issue 9): malformed request lines and targets,
 * NUL bytes, oversize headers, floods of the signing endpoints. Each gets an HTTP error,
 * and the service goes on answering the next request.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { OCSPRequest, OCSPResponse, Request, TBSRequest } from 'pkijs';
import { describe, expect, it } from 'vitest';
import { certIdFor, parseCertificate } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { rawRequest, statusOf } from '../support/raw-http.ts';

const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: zy\r\nConnection: close\r\n\r\n`;

function timestampQuery(): Uint8Array {
  const imprint = createHash('sha256').update('证印').digest();
  return new Uint8Array(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 1 }),
        new asn1js.Sequence({
          value: [
            new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.16.840.1.101.3.4.2.1' })] }),
            new asn1js.OctetString({ valueHex: new Uint8Array(imprint).buffer }),
          ],
        }),
      ],
    }).toBER(),
  );
}

describe('HTTP service under hostile requests', () => {
  const t = useTestApp({ ZHENGYIN_PKI_RATE: '2', ZHENGYIN_PKI_CONCURRENCY: '1' });

  async function ocspRequest(count: number): Promise<Uint8Array> {
    const root = parseCertificate(await t.app.services.pki.rootCertificate());
    const requestList = Array.from({ length: count }, () => new Request({ reqCert: certIdFor(root, root) }));
    return new Uint8Array(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList }) }).toSchema(true).toBER());
  }

  const healthy = async () => (await fetch(new URL('healthz', t.url))).status;

  it.each([
    ['a target that is not a path (//[, issue 9)', get('//['), 400],
    ['a network-path target that would name a host', get('//evil/pki/root.pem'), 400],
    ['a percent-encoded NUL in a licence identifier', get('/licences/%00'), 400],
    ['a percent-encoded NUL in a CRL name', get('/pki/crl/%00.crl'), 400],
    ['an escape that is not UTF-8', get('/licences/%FF'), 400],
    ['a raw NUL byte in the request line', get('/licences/a\u0000b'), 400],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
    ['headers over the limit', `GET /healthz HTTP/1.1\r\nHost: zy\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('%s: an HTTP error, and the next connection is served', async (_name, request, status) => {
    const answer = await rawRequest(t.url, request);

    expect(statusOf(answer)).toBe(status);
    expect(answer).not.toMatch(/\/work\/|\.ts:\d+|at \w+ \(/); // no source paths or stack frames
    expect(await healthy()).toBe(200);
  });

  it('answers a NUL path with a typed JSON error before any database lookup', async () => {
    const res = await fetch(new URL('licences/%00', t.url));

    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_PATH');
  });

  it('reads an absolute-form target as its path only (RFC 9112 §3.2.2)', async () => {
    const answer = await rawRequest(t.url, get('http://evil.example/pki/root.pem'));

    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('refuses a flood of time-stamp requests over the rate with 429 and Retry-After, and /healthz keeps answering', async () => {
    const query = timestampQuery();
    const flood = Array.from({ length: 30 }, () =>
      fetch(new URL('pki/tsa', t.url), { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: query }),
    );
    const health = await Promise.all(Array.from({ length: 5 }, healthy));
    const answers = await Promise.all(flood);

    const refused = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused[0]!.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(health).toEqual([200, 200, 200, 200, 200]);
  });

  it('refuses a flood of OCSP requests over the rate with 429 and Retry-After, and /healthz keeps answering', async () => {
    const body = await ocspRequest(1);
    const flood = Array.from({ length: 30 }, () =>
      fetch(new URL('pki/ocsp', t.url), { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body }),
    );
    const health = await Promise.all(Array.from({ length: 5 }, healthy));
    const answers = await Promise.all(flood);

    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(health).toEqual([200, 200, 200, 200, 200]);
  });

  it('answers an OCSP request with 180 CertIDs malformedRequest, and one over the size limit 413', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // let the previous test's bucket refill
    const overCount = await fetch(new URL('pki/ocsp', t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: await ocspRequest(180),
    });
    const overSize = await fetch(new URL('pki/ocsp', t.url), {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: new Uint8Array(17 * 1024),
    });

    expect(overCount.status).toBe(200);
    const response = OCSPResponse.fromBER(await overCount.arrayBuffer());
    expect(response.responseStatus.valueBlock.valueDec).toBe(1); // malformedRequest (RFC 6960 §4.2.1)
    expect(overSize.status).toBe(413);
    expect(((await overSize.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
