// PKI hot paths against the crypto limit: one ECDSA P-256 signature with node:crypto.
// A time-stamp token or an OCSP response is one hash and one signature plus encoding, so
// the ratio shows what the encoding costs. No database: the library alone.
import { createHash, randomBytes, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import { OCSPRequest, Request, TBSRequest } from 'pkijs';
import { certIdFor, certIdMatches, issueCrl, respondOcsp, TimestampResponder, type RevokedEntry } from '../signer/index.ts';
import { createLibraryPki } from '../tests/support/library-pki.ts';
import { measure, printTable } from './measure.ts';

export async function run(): Promise<void> {
  const pki = await createLibraryPki();
  const data = randomBytes(32);
  const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
  const tsa = new TimestampResponder({ certificate: pki.tsa.der, key: pki.tsa.key });
  const imprint = createHash('sha256').update(data).digest();
  const tsq = new Uint8Array(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 1 }),
        new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.16.840.1.101.3.4.2.1' })] }), new asn1js.OctetString({ valueHex: imprint.buffer.slice(imprint.byteOffset, imprint.byteOffset + 32) as ArrayBuffer })] }),
        new asn1js.Boolean({ value: true }),
      ],
    }).toBER(),
  );
  const ocspRequest = new Uint8Array(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certIdFor(pki.seal.info, pki.departmentCa.info) })] }) }).toSchema(true).toBER());
  const ocspOptions = {
    findIssuer: async (id: Parameters<typeof certIdMatches>[0]) =>
      certIdMatches(id, pki.departmentCa.info) ? { signer: { certificate: pki.ocsp.info, key: pki.ocsp.key, chain: [pki.departmentCa.info] }, status: async () => ({ status: 'good' as const }) } : undefined,
  };
  const revoked: RevokedEntry[] = Array.from({ length: 100 }, (_, i) => ({ serial: (i + 1).toString(16), revokedAt: new Date(), reason: 'superseded' }));

  const limit = await measure('crypto limit: SHA-256 + ECDSA P-256 sign (node:crypto)', () => sign('sha256', data, privateKey));
  const rows = [
    limit,
    await measure('time-stamp token, in-process (LocalTimestampAuthority path)', () => tsa.token({ imprint, digest: 'SHA-256', certReq: true })),
    await measure('time-stamp reply to a DER TimeStampReq (HTTP path)', () => tsa.respond(tsq)),
    await measure('OCSP response, one CertID, delegated responder', () => respondOcsp(ocspRequest, ocspOptions)),
    await measure('CRL with 100 entries (pkijs encoding)', () => issueCrl({ issuer: { certificate: pki.departmentCa.info, key: pki.departmentCa.key }, number: 1, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 864e5), revoked })),
  ];
  printTable(rows, limit);
}
