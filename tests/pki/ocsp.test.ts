import * as asn1js from 'asn1js';
import { BasicOCSPResponse, Extension, OCSPRequest, OCSPResponse, Request, TBSRequest } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { certIdFor, certIdMatches, decodeOcspGetRequest, respondOcsp, toPem, type OcspCertStatus, type OcspResponderOptions } from '../../signer/index.ts';
import { createLibraryPki, type LibraryEntity, type LibraryPki } from '../support/library-pki.ts';
import { openssl, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';

const noOpenssl = skipWithout('tests/pki/ocsp', 'openssl');

const REVOKED_AT = new Date('2026-02-03T04:05:06Z');

describe('OCSP responder (RFC 6960)', () => {
  let pki: LibraryPki;
  let revoked: LibraryEntity;
  let options: OcspResponderOptions;
  const scratch = useScratchDir();
  const pem = (name: string, der: Uint8Array) => scratch.file(name, toPem(der, 'CERTIFICATE'));

  beforeAll(async () => {
    pki = await createLibraryPki();
    revoked = await pki.issue({ profile: 'seal', commonName: 'revoked seal', issuer: pki.departmentCa });
    const statuses = new Map<string, OcspCertStatus>([
      [pki.seal.info.serial, { status: 'good' }],
      [revoked.info.serial, { status: 'revoked', revokedAt: REVOKED_AT, reason: 'keyCompromise' }],
    ]);
    options = {
      findIssuer: async (certId) =>
        certIdMatches(certId, pki.departmentCa.info)
          ? { signer: { certificate: pki.ocsp.der, key: pki.ocsp.key, chain: [pki.departmentCa.info] }, status: async (serial) => statuses.get(serial) ?? { status: 'unknown' } }
          : undefined,
    };
  });

  /** Builds a request with openssl, answers it, and has openssl check the answer against the request (nonce included). */
  function ask(certificates: readonly LibraryEntity[], extra: readonly string[] = []) {
    const request = scratch.file('req.der');
    const certArgs = certificates.flatMap((c, i) => ['-cert', pem(`c${i}.pem`, c.der)]);
    // A digest option applies to the -cert options after it.
    expect(openssl(['ocsp', ...extra, '-issuer', pem('ca.pem', pki.departmentCa.der), ...certArgs, '-reqout', request]).status).toBe(0);
    return {
      request,
      check: async () => {
        const response = scratch.file('resp.der', await respondOcsp(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(request))), options));
        return openssl(['ocsp', '-respin', response, '-reqin', request, '-CAfile', pem('root.pem', pki.root.der), '-resp_text']);
      },
    };
  }

  it.skipIf(noOpenssl)('answers good, revoked (with time and reason) and unknown, echoing the nonce; openssl verifies the delegated responder', async () => {
    const stranger = await pki.issue({ profile: 'seal', commonName: 'never recorded', issuer: pki.departmentCa });
    const r = await ask([pki.seal, revoked, stranger]).check();
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain('OCSP Response Status: successful (0x0)');
    const statuses = [...r.stdout.matchAll(/Cert Status: (\w+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(['good', 'revoked', 'unknown']);
    expect(r.stdout).toContain('Revocation Time: Feb  3 04:05:06 2026 GMT');
    expect(r.stdout).toContain('Revocation Reason: keyCompromise (0x1)');
    expect(r.stdout).toContain('OCSP Nonce');
    expect(r.stdout).toContain('Next Update:');
    expect(r.stderr).not.toContain('Nonce Verify error');
  });

  it.skipIf(noOpenssl)('answers SHA-256 CertIDs and requests without a nonce', async () => {
    const r = await ask([pki.seal], ['-sha256', '-no_nonce']).check();
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain('Hash Algorithm: sha256');
    expect(r.stdout).toContain('Cert Status: good');
    expect(r.stdout).not.toContain('OCSP Nonce');
  });

  it.skipIf(noOpenssl)('answers unauthorized for a CA it does not serve', async () => {
    const request = scratch.file('tsa-req.der');
    openssl(['ocsp', '-issuer', pem('root.pem', pki.root.der), '-cert', pem('tsa.pem', pki.tsa.der), '-reqout', request]);
    const response = await respondOcsp(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(request))), options);
    expect(statusOf(response)).toBe(6);
  });

  it.each([
    ['garbage', () => new Uint8Array([1, 2, 3])],
    ['empty body', () => new Uint8Array()],
    ['trailing bytes', () => new Uint8Array([...requestFor([pki.seal]), 0])],
    ['an empty request list', () => requestFor([])],
    ['a 33-octet nonce (RFC 8954 §2.1)', () => requestFor([pki.seal], new Uint8Array(33))],
    ['an empty nonce', () => requestFor([pki.seal], new Uint8Array(0))],
    ['more than 32 CertIDs', () => requestFor(Array.from({ length: 33 }, () => pki.seal))],
  ])('answers malformedRequest for %s', async (_case, body) => {
    expect(statusOf(await respondOcsp(body(), options))).toBe(1);
  });

  it('accepts a 32-octet nonce and echoes it', async () => {
    const nonce = new Uint8Array(32).fill(7);
    const response = OCSPResponse.fromBER(toBuffer(await respondOcsp(requestFor([pki.seal], nonce), options)));
    expect(response.responseStatus.valueBlock.valueDec).toBe(0);
    const basic = BasicOCSPResponse.fromBER(response.responseBytes!.response.valueBlock.valueHexView.slice().buffer);
    const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === '1.3.6.1.5.5.7.48.1.2');
    expect(Buffer.from(echoed!.extnValue.valueBlock.valueHexView)).toEqual(Buffer.from(new asn1js.OctetString({ valueHex: toBuffer(nonce) }).toBER()));
    expect((await response.getCertificateStatus(pki.seal.info.certificate, pki.departmentCa.info.certificate)).status).toBe(0);
  });

  it('decodes the GET form: URL-decoded base64, base64url tolerated', () => {
    const der = requestFor([pki.seal]);
    const b64 = Buffer.from(der).toString('base64');
    expect(decodeOcspGetRequest(b64)).toEqual(der);
    expect(decodeOcspGetRequest(Buffer.from(der).toString('base64url'))).toEqual(der);
    expect(decodeOcspGetRequest('not base64!')).toBeUndefined();
    expect(decodeOcspGetRequest('')).toBeUndefined();
  });

  function requestFor(certificates: readonly LibraryEntity[], nonce?: Uint8Array): Uint8Array {
    const tbsRequest = new TBSRequest({ requestList: certificates.map((c) => new Request({ reqCert: certIdFor(c.info, pki.departmentCa.info) })) });
    if (nonce) {
      tbsRequest.requestExtensions = [new Extension({ extnID: '1.3.6.1.5.5.7.48.1.2', extnValue: new asn1js.OctetString({ valueHex: toBuffer(nonce) }).toBER() })];
    }
    return new Uint8Array(new OCSPRequest({ tbsRequest }).toSchema(true).toBER());
  }
});

const toBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

function statusOf(der: Uint8Array): number {
  return OCSPResponse.fromBER(toBuffer(der)).responseStatus.valueBlock.valueDec;
}
