import { OCSPRequest, Request, TBSRequest } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { certIdFor, countOcspRequests, ocspErrorResponse, respondOcsp } from '../../signer/index.ts';
import { createLibraryPki, type LibraryPki } from '../support/library-pki.ts';

describe('countOcspRequests: the requestList counted from DER headers, before any parse (issue 9)', () => {
  let pki: LibraryPki;
  const request = (count: number) =>
    new Uint8Array(
      new OCSPRequest({
        tbsRequest: new TBSRequest({ requestList: Array.from({ length: count }, () => new Request({ reqCert: certIdFor(pki.seal.info, pki.departmentCa.info) })) }),
      })
        .toSchema(true)
        .toBER(),
    );

  beforeAll(async () => {
    pki = await createLibraryPki();
  });

  it.each([1, 2, 32])('counts %i entries', (n) => {
    expect(countOcspRequests(request(n), 32)).toBe(n);
  });

  it('stops counting one past the cap: 180 entries read as 33', () => {
    expect(countOcspRequests(request(180), 32)).toBe(33);
  });

  it.each([
    ['empty input', () => new Uint8Array()],
    ['a truncated request', () => request(3).slice(0, -5)],
    ['trailing bytes after the request', () => new Uint8Array([...request(1), 0])],
    ['an indefinite length', () => new Uint8Array([0x30, 0x80, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00])],
    ['a length past the end', () => new Uint8Array([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00])],
    ['a requestList entry that is not a SEQUENCE', () => new Uint8Array([0x30, 0x06, 0x30, 0x04, 0x30, 0x02, 0x04, 0x00])],
  ])('refuses %s', (_name, der) => {
    expect(countOcspRequests(der(), 32)).toBeUndefined();
  });

  it('makes respondOcsp answer malformedRequest without asking for the issuer', async () => {
    let asked = 0;
    const answer = await respondOcsp(request(180), { findIssuer: async () => (asked++, undefined) });

    expect(answer).toEqual(ocspErrorResponse('malformedRequest'));
    expect(asked).toBe(0);
  });
});
