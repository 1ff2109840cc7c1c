/**
 * Certificate paths, key usage, time and revocation (issue #3, Deliver 2; ETSI EN 319
 * 102-1 §5.2.6, §5.6). Paths are linked by signatures, so a forged chain that copies the
 * trusted names leads nowhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../verifier/index.ts';
import { newDocument } from './support/pdf-writer.ts';
import { INTERMEDIATE_NAME, REVOKED_AT, ROOT_NAME, T0, testPki, type Identity } from './support/pki.ts';
import { addDss, signDocument } from './support/sign.ts';
import { issueCertificate, issueCrl, issueOcsp, keyId, keyPair, name, type Issuer } from './support/x509.ts';

const pki = testPki();
const day = 86_400_000;

function leaf(cn: string, issuer: Issuer, chain: readonly Uint8Array[], extra: Partial<Parameters<typeof issueCertificate>[0]> = {}): Identity {
  const kp = keyPair('p256', `trust-test:${cn}`);
  const certificate = issueCertificate({
    subject: { CN: cn, O: '示例电子证照签发机构', C: 'CN' },
    serial: 5000 + cn.length,
    notBefore: new Date('2024-01-01Z'),
    notAfter: new Date('2030-01-01Z'),
    publicKey: kp.publicKey,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    ...extra,
  }, issuer);
  return { certificate, ...kp, chain };
}

describe('path building', () => {
  it('forged-chain-copying-names: a chain that copies the trusted names does not reach the anchor', async () => {
    const fakeRoot = keyPair('rsa2048', 'fake-root');
    const fakeInt = keyPair('rsa2048', 'fake-intermediate');
    const fakeRootCert = issueCertificate({ subject: ROOT_NAME, serial: 1, notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z'), publicKey: fakeRoot.publicKey, ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] }, { self: fakeRoot.privateKey });
    const fakeIntIssuer: Issuer = { subject: name(INTERMEDIATE_NAME), privateKey: fakeInt.privateKey, keyId: keyId(fakeInt.publicKey) };
    const fakeIntCert = issueCertificate(
      { subject: INTERMEDIATE_NAME, serial: 2, notBefore: new Date('2020-01-01Z'), notAfter: new Date('2035-01-01Z'), publicKey: fakeInt.publicKey, ca: { pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
      { subject: name(ROOT_NAME), privateKey: fakeRoot.privateKey, keyId: keyId(fakeRoot.publicKey) },
    );
    const impostor = leaf('Test Seal RSA (电子印章)', fakeIntIssuer, [fakeIntCert, fakeRootCert]);
    const doc = signDocument(newDocument(), impostor, { certificates: [impostor.certificate, fakeIntCert, fakeRootCert] });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0 })).signatures;
    expect(s!.intact).toBe(true);
    expect(s!.valid).toBe(true);
    expect(s!.trusted).toBe(false);
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(s!.certificatePath.some((c) => c.trustAnchor)).toBe(false);
  });

  it.each([
    ['from the CMS', { certificates: undefined, optionCerts: [], dss: false }],
    ['from the caller', { certificates: 'signer-only', optionCerts: ['intermediate'], dss: false }],
    ['from the /DSS', { certificates: 'signer-only', optionCerts: [], dss: true }],
  ] as const)('takes the intermediate %s', async (_name, c) => {
    let doc = signDocument(newDocument(), pki.rsaSigner, c.certificates === 'signer-only' ? { certificates: [pki.rsaSigner.certificate] } : {});
    if (c.dss) doc = addDss(doc, { certs: [pki.intermediate.certificate] });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0, certificates: c.optionCerts.map(() => pki.intermediate.certificate) })).signatures;
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.certificatePath.map((x) => x.commonName)).toEqual(['Test Seal RSA (电子印章)', 'Zhengyin Test Intermediate CA', 'Zhengyin Test Root CA']);
  });

  it('finds no chain without the intermediate, and none without a trust anchor', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { certificates: [pki.rsaSigner.certificate] });
    const [a] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0 })).signatures;
    expect(a!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const [b] = (await verifyPdf(signDocument(newDocument(), pki.rsaSigner).bytes, { trust: [], crls: pki.crls, at: T0 })).signatures;
    expect(b!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});

describe('certificate constraints and the key-usage policy', () => {
  it('refuses a signer whose keyUsage is keyEncipherment only', async () => {
    const [s] = (await verifyPdf(signDocument(newDocument(), pki.encipherOnly).bytes, { trust: pki.trust, crls: pki.crls, at: T0 })).signatures;
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(s!.problems[0]).toMatch(/digitalSignature/);
  });

  it('refuses a path through a certificate that is not a CA', async () => {
    const notCa = leaf('Not A CA', pki.issuers.intermediate, [pki.intermediate.certificate, pki.root.certificate], { keyUsage: ['digitalSignature', 'keyCertSign'] });
    const underIt = leaf('Under A Leaf', { subject: name({ CN: 'Not A CA', O: '示例电子证照签发机构', C: 'CN' }), privateKey: notCa.privateKey, keyId: keyId(notCa.publicKey) }, [notCa.certificate]);
    const doc = signDocument(newDocument(), underIt, { certificates: [underIt.certificate, notCa.certificate, pki.intermediate.certificate] });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0, revocation: 'soft-fail' })).signatures;
    expect(s!.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(s!.problems[0]).toMatch(/not a CA/);
  });

  it('refuses an unknown critical extension', async () => {
    const { Extension } = await import('pkijs');
    const asn1js = await import('asn1js');
    const odd = leaf('Odd Critical', pki.issuers.intermediate, [pki.intermediate.certificate, pki.root.certificate], {
      extraExtensions: [new Extension({ extnID: '1.2.3.4.5.6', critical: true, extnValue: new asn1js.Null().toBER(false) })],
    });
    const [s] = (await verifyPdf(signDocument(newDocument(), odd).bytes, { trust: pki.trust, crls: pki.crls, at: T0, revocation: 'soft-fail' })).signatures;
    expect(s!.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
  });

  it('does not accept a signature time-stamp from a TSA without a critical timeStamping EKU', async () => {
    const fakeTsa = leaf('Not A TSA', pki.issuers.intermediate, [pki.intermediate.certificate, pki.root.certificate], { notBefore: new Date('2019-01-01Z') });
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: fakeTsa, at: new Date(T0.getTime() - day) } });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0, revocation: 'soft-fail' })).signatures;
    expect(s!.timestamp?.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(s!.provenSigningTime).toBeNull();
    expect(s!.padesLevel).toBe('B-B');
  });
});

describe('validity in time', () => {
  it('expired signer without proof of existence: INDETERMINATE/OUT_OF_BOUNDS_NO_POE', async () => {
    const doc = signDocument(newDocument(), pki.expiredSigner, { signingTimeClaim: new Date('2020-06-01Z') });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: pki.crls, at: T0 })).signatures;
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect(s!.claimedSigningTime).toBe('2020-06-01T00:00:00.000Z');
  });

  it('expired signer with a time-stamp inside its validity, and a CRL of that time: TOTAL_PASSED', async () => {
    const at = new Date('2020-06-01T12:00:00Z');
    const doc = signDocument(newDocument(), pki.expiredSigner, { timestamp: { tsa: pki.tsa, at } });
    const oldCrl = issueCrl(pki.issuers.intermediate, { thisUpdate: new Date('2020-05-30Z'), nextUpdate: new Date('2020-06-30Z') });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: [...pki.crls, oldCrl], at: T0 })).signatures;
    expect(s!.provenSigningTime).toBe(at.toISOString());
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBe('B-T');
  });
});

describe('revocation', () => {
  const revokedOpts = { trust: pki.trust, crls: pki.crls, at: T0 };

  it('revoked signer without proof of existence: INDETERMINATE/REVOKED_NO_POE', async () => {
    const [s] = (await verifyPdf(signDocument(newDocument(), pki.revokedSigner).bytes, revokedOpts)).signatures;
    expect(s!.indication).toBe('INDETERMINATE');
    expect(s!.subIndication).toBe('REVOKED_NO_POE');
    expect(s!.revocation[0]).toMatchObject({ status: 'REVOKED', type: 'CRL', source: 'OPTIONS', revocationReason: 'keyCompromise', revocationTime: REVOKED_AT.toISOString() });
  });

  it('revoked signer, time-stamped before the revocation: TOTAL_PASSED', async () => {
    const doc = signDocument(newDocument(), pki.revokedSigner, { timestamp: { tsa: pki.tsa, at: new Date(REVOKED_AT.getTime() - 30 * day) } });
    const [s] = (await verifyPdf(doc.bytes, revokedOpts)).signatures;
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.problems.join(' ')).toMatch(/revoked .* after the proven time/);
  });

  it('revoked signer, time-stamped after the revocation: TOTAL_FAILED/REVOKED', async () => {
    const doc = signDocument(newDocument(), pki.revokedSigner, { timestamp: { tsa: pki.tsa, at: new Date(REVOKED_AT.getTime() + 30 * day) } });
    const [s] = (await verifyPdf(doc.bytes, revokedOpts)).signatures;
    expect(s!.indication).toBe('TOTAL_FAILED');
    expect(s!.subIndication).toBe('REVOKED');
  });

  it('takes an OCSP response from the CMS (adbe-revocationInfoArchival), signed by a delegated responder', async () => {
    const doc = signDocument(newDocument(), pki.revokedSigner, {
      revocationArchival: { ocsps: [pki.ocsp(pki.revokedSigner, 'revoked')], crls: [pki.crls[1]!] },
    });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, at: T0 })).signatures;
    expect(s!.subIndication).toBe('REVOKED_NO_POE');
    expect(s!.revocation[0]).toMatchObject({ type: 'OCSP', source: 'SIGNATURE', status: 'REVOKED' });
  });

  it('revocation data only in the /DSS: TOTAL_PASSED from DSS sources, PAdES B-LT', async () => {
    let doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() - 2 * day) } });
    doc = addDss(doc, { crls: pki.crls, ocsps: [pki.ocsp(pki.rsaSigner, 'good')] });
    const report = await verifyPdf(doc.bytes, { trust: pki.trust, at: T0 });
    const s = report.signatures[0]!;
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.revocation.map((r) => r.source)).toEqual(['DSS', 'DSS']);
    expect(s.modification).toBe('LTA_UPDATES');
    expect(s.padesLevel).toBe('B-LT');
  });

  it("no revocation data: INDETERMINATE/TRY_LATER under 'require', passed under 'soft-fail'", async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner);
    const [hard] = (await verifyPdf(doc.bytes, { trust: pki.trust, at: T0 })).signatures;
    expect(hard!.subIndication).toBe('TRY_LATER');
    const [soft] = (await verifyPdf(doc.bytes, { trust: pki.trust, at: T0, revocation: 'soft-fail' })).signatures;
    expect(soft!.indication).toBe('TOTAL_PASSED');
    expect(soft!.problems.join(' ')).toMatch(/no revocation information/);
  });

  it('a CRL not signed by the issuer is not revocation data', async () => {
    const forged = issueCrl({ ...pki.issuers.intermediate, privateKey: keyPair('rsa2048', 'fake-intermediate').privateKey }, { thisUpdate: new Date(T0.getTime() - day), nextUpdate: new Date(T0.getTime() + day) });
    const [s] = (await verifyPdf(signDocument(newDocument(), pki.rsaSigner).bytes, { trust: pki.trust, crls: [forged, pki.crls[1]!], at: T0 })).signatures;
    expect(s!.subIndication).toBe('TRY_LATER');
  });
});

describe('online validation data (CRL, OCSP, caIssuers over HTTP)', () => {
  let server: http.Server;
  let base = '';
  let hits: string[] = [];
  let signer: Identity;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url === '/int.crl') res.end(Buffer.from(pki.crls[0]!));
      else if (req.url === '/root.crl') res.end(Buffer.from(pki.crls[1]!));
      else if (req.url === '/int.crt') res.end(Buffer.from(pki.intermediate.certificate));
      else if (req.url === '/ocsp' && req.method === 'POST') {
        res.end(Buffer.from(issueOcsp({
          certificate: signer.certificate, issuerCertificate: pki.intermediate.certificate, status: 'good',
          thisUpdate: new Date(T0.getTime() - day), nextUpdate: new Date(T0.getTime() + day), producedAt: new Date(T0.getTime() - day),
          responder: { certificate: pki.ocspResponder.certificate, privateKey: pki.ocspResponder.privateKey }, includeResponderCertificate: true,
        })));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    signer = leaf('Online Signer', pki.issuers.intermediate, [pki.intermediate.certificate, pki.root.certificate], {
      crlUrl: `${base}/int.crl`, ocspUrl: `${base}/ocsp`, caIssuersUrl: `${base}/int.crt`,
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('fetches the missing intermediate and the signer status when allowed', async () => {
    hits = [];
    const doc = signDocument(newDocument(), signer, { certificates: [signer.certificate] });
    const offline = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: [pki.crls[1]!], at: T0 })).signatures[0]!;
    expect(offline.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(hits).toEqual([]);
    const online = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: [pki.crls[1]!], at: T0, online: { timeoutMs: 2000, allowUrl: () => true } })).signatures[0]!;
    expect(online.indication).toBe('TOTAL_PASSED');
    expect(online.revocation[0]).toMatchObject({ source: 'ONLINE', type: 'OCSP', status: 'GOOD' });
    expect(hits).toEqual(expect.arrayContaining(['GET /int.crt', 'POST /ocsp']));
  });

  it('does not fetch from loopback or private addresses unless allowed (URLs come from the PDF)', async () => {
    hits = [];
    const doc = signDocument(newDocument(), signer, { certificates: [signer.certificate] });
    const [s] = (await verifyPdf(doc.bytes, { trust: pki.trust, crls: [pki.crls[1]!], at: T0, online: true })).signatures;
    expect(s!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(hits).toEqual([]);
  });

  it('gives up on a server that does not answer in time', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slow = leaf('Slow Signer', pki.issuers.intermediate, [pki.intermediate.certificate, pki.root.certificate], { crlUrl: `${url}/int.crl` });
    const [s] = (await verifyPdf(signDocument(newDocument(), slow).bytes, { trust: pki.trust, crls: [pki.crls[1]!], at: T0, online: { timeoutMs: 300, allowUrl: () => true } })).signatures;
    expect(s!.subIndication).toBe('TRY_LATER');
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});
