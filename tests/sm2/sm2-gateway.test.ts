import fs from 'node:fs';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR } from '../../gateway/services/actor.ts';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { decodeSeal, parseCertificate, sealBindsCertificate, SM2_WITH_SM3, verifySeal } from '../../signer/index.ts';
import { Cert } from '../../verifier/pki/certificate.ts';
import { Crl } from '../../verifier/pki/crl.ts';
import { Ocsp } from '../../verifier/pki/ocsp.ts';
import { sm2PointOfSpki, verifySm2 } from '../../verifier/cms/sm2.ts';
import { gql } from '../graphql/support.ts';
import { useTestApp } from '../support/app.ts';
import { openssl, opensslSerial, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { basicOcspResponse, opensslText, pem, opensslVerifiesLink, opensslVerifiesSm2, signedParts } from './openssl-sm2.ts';

const noOpenssl = skipWithout('tests/sm2/sm2-gateway (openssl as SM2 judge)', 'openssl');

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** The URLs the certificate publishes, read by the verifier's certificate parser (not ours). */
const urlsOf = (der: Uint8Array) => {
  const c = Cert.fromDer(der);
  return { crl: c.crlUrls[0]!, ocsp: c.ocspUrls[0]!, caIssuers: c.caIssuerUrls[0]! };
};

describe('a department with an SM2 hierarchy, through the gateway services and PKI endpoints', () => {
  const t = useTestApp();
  const scratch = useScratchDir();
  let sealId: string;
  let sealDer: Uint8Array;
  let caDer: Uint8Array;
  let rootDer: Uint8Array;

  beforeAll(async () => {
    await t.app.seedDemo();
    const seal = await t.app.services.seals.create(OPERATOR, { departmentId: 'scjg', title: 'SM2专用章', algorithm: 'SM2' });
    sealId = seal.id;
    sealDer = (await t.app.services.pki.getCertificate(seal.certificateIds[0]!)).der;
    rootDer = await t.app.services.pki.sm2RootCertificate();
  });

  it('issues the seal certificate under the department SM2 CA under the SM2 root, fetched at caIssuers', async () => {
    const seal = await t.app.services.seals.get(sealId);
    expect(seal.algorithm).toBe('SM2');
    const res = await fetch(urlsOf(sealDer).caIssuers);
    expect(res.status).toBe(200);
    caDer = await bytesOf(res);
    expect(await fetch(urlsOf(caDer).caIssuers).then(bytesOf)).toEqual(rootDer);
    const [leaf, ca, root] = [sealDer, caDer, rootDer].map((d) => Cert.fromDer(d));
    expect(leaf!.issuedBy(ca!) && ca!.issuedBy(root!) && root!.issuedBy(root!)).toBe(true);
    for (const der of [sealDer, caDer, rootDer]) expect(parseCertificate(der).certificate.signatureAlgorithm.algorithmId).toBe(SM2_WITH_SM3);
    // A hierarchy of its own: the ECDSA root did not sign the SM2 CA.
    expect(ca!.issuedBy(Cert.fromDer(await t.app.services.pki.rootCertificate()))).toBe(false);
    expect(await t.app.services.pki.findDepartmentCa('scjg', 'SM2')).not.toBe(await t.app.services.pki.findDepartmentCa('scjg'));
    if (!noOpenssl) {
      expect(opensslVerifiesLink(sealDer, caDer)).toMatchObject({ ok: true });
      expect(opensslVerifiesLink(caDer, rootDer)).toMatchObject({ ok: true });
    }
  });

  it('stores a GB/T 38540 V4 SES_Seal signed SM2-with-SM3 by the SM2 seal maker, binding the SM2 certificate', async () => {
    const der = await t.app.services.seals.sesSeal(sealId);
    const seal = decodeSeal(der);
    expect(seal.signAlgID).toBe(SM2_WITH_SM3);
    expect(seal.eSealInfo.header.version).toBe(4);
    expect(sealBindsCertificate(seal, sealDer)).toBe(true);
    expect(await verifySeal(der, { at: new Date() })).toMatchObject({ signatureValid: true, withinValidity: true });
    // The maker is an SM2 certificate of the installation under the SM2 root.
    const maker = Cert.fromDer(seal.cert);
    expect(maker.issuedBy(Cert.fromDer(rootDer))).toBe(true);
    const top = asn1js.fromBER(der).result as asn1js.Sequence;
    const tbs = new Uint8Array(top.valueBlock.value[0]!.valueBeforeDecodeView);
    const signature = new Uint8Array((top.valueBlock.value[3] as asn1js.BitString).valueBlock.valueHexView);
    expect(verifySm2(tbs, signature, sm2PointOfSpki(parseCertificate(seal.cert).publicKey)!)).toBe(true);
    if (!noOpenssl) expect(opensslVerifiesSm2(tbs, signature, seal.cert)).toBe(true);
    // ECDSA seals keep their ECDSA maker.
    const ec = await t.app.services.seals.create(OPERATOR, { departmentId: 'scjg', title: 'ECDSA专用章' });
    expect(decodeSeal(await t.app.services.seals.sesSeal(ec.id)).signAlgID).toBe('1.2.840.10045.4.3.2');
    expect(ec.algorithm).toBe('EC-P256');
  });

  it('gives the OFD signer the SES_Seal, the seal certificate and an SM2 sign() over its key', async () => {
    const signer = await t.app.services.seals.sm2SealSigner(asDepartment('scjg'), sealId);
    expect(signer.sesSeal).toEqual(await t.app.services.seals.sesSeal(sealId));
    expect(signer.certificate).toEqual(sealDer);
    expect(signer.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([caDer, rootDer].map((c) => Buffer.from(c).toString('hex')));
    const tbs = new TextEncoder().encode('DER(TBS_Sign) stand-in');
    const signature = await signer.sign(tbs);
    expect(verifySm2(tbs, signature, sm2PointOfSpki(parseCertificate(sealDer).publicKey)!)).toBe(true);
    if (!noOpenssl) expect(opensslVerifiesSm2(tbs, signature, sealDer)).toBe(true);
    // Another department's staff may not sign with it.
    await expect(t.app.services.seals.sm2SealSigner(asDepartment('gjj'), sealId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps PDF on ECDSA seals: an SM2 seal does not stamp PDF, licences pick the ECDSA seal, an ECDSA seal is no OFD signer', async () => {
    const pdf = (await issueDemoLicence(t.app.services)).pdf;
    await expect(t.app.services.seals.apply(OPERATOR, sealId, pdf, { page: 0, x: 50, y: 50 }, t.app.services.pki.timestampAuthority())).rejects.toMatchObject({ code: 'INVALID_SEAL_FOR_FORMAT', field: 'seal' });
    // Nor as a joint seal on a PDF licence: nothing is issued.
    const { BUSINESS_LICENCE, SEED_EXAMPLES } = await import('../../signer/index.ts');
    const licences = await t.db.prisma.licence.count();
    await expect(
      t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, jointSealIds: [sealId] }),
    ).rejects.toMatchObject({ code: 'INVALID_SEAL_FOR_FORMAT', field: 'seal' });
    expect(await t.db.prisma.licence.count()).toBe(licences);
    expect((await t.app.services.seals.activeSealOf('scjg'))?.algorithm).not.toBe('SM2');
    expect((await t.app.services.seals.activeSealOf('scjg', { sm2: true }))?.id).toBe(sealId);
    const ec = (await t.app.services.seals.activeSealOf('scjg'))!;
    await expect(t.app.services.seals.sm2SealSigner(OPERATOR, ec.id)).rejects.toMatchObject({ code: 'INVALID_SEAL_FOR_FORMAT', field: 'seal' });
  });

  it('refuses an SM2 seal bound to a certificate without an SM2 key, making nothing', async () => {
    const ecCertificate = await t.app.services.pki.issueSealCertificate('gaj');
    const before = await t.db.prisma.seal.count();
    await expect(t.app.services.seals.create(OPERATOR, { departmentId: 'gaj', algorithm: 'SM2', certificateId: ecCertificate })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'certificateId' });
    expect(await t.db.prisma.seal.count()).toBe(before);
  });

  it('makes an SM2 seal through GraphQL makeSeal(algorithm: SM2), and says so on the Seal', async () => {
    const token = (await t.app.tokens.mint(OPERATOR, { departmentId: 'xzsp', role: 'admin' })).token;
    const made = await gql(t.url, 'mutation($input: MakeSealInput!) { makeSeal(input: $input) { id algorithm } }', { token, variables: { input: { title: 'SM2审批章', algorithm: 'SM2' } } });
    expect(made.body.errors).toBeUndefined();
    const { id, algorithm } = made.body.data!.makeSeal as { id: string; algorithm: string };
    expect(algorithm).toBe('SM2');
    expect(decodeSeal(await t.app.services.seals.sesSeal(id)).signAlgID).toBe(SM2_WITH_SM3);
    const bad = await gql(t.url, 'mutation($input: MakeSealInput!) { makeSeal(input: $input) { id } }', { token, variables: { input: { title: 'x', algorithm: 'RSA' } } });
    expect(bad.body.errors?.length).toBeGreaterThan(0);
  });

  it.skipIf(noOpenssl)('serves SM2 CRL and OCSP for the seal certificate (openssl ocsp makes the request), and a revocation shows in both', async () => {
    const urls = urlsOf(sealDer);
    const [leaf, ca] = [sealDer, caDer].map((d) => Cert.fromDer(d));
    const crlOf = async () => {
      const res = await fetch(urls.crl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pkix-crl');
      return bytesOf(res);
    };
    const request = scratch.file('sm2.req');
    expect(openssl(['ocsp', '-issuer', scratch.file('sm2-ca.pem', pem(caDer)), '-cert', scratch.file('sm2-seal.pem', pem(sealDer)), '-no_nonce', '-reqout', request]).status).toBe(0);
    const ocspOf = async () => {
      const body = new Uint8Array(fs.readFileSync(request));
      const res = await fetch(urls.ocsp, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
      expect(res.status).toBe(200);
      return bytesOf(res);
    };

    const goodCrl = await crlOf();
    expect(Crl.fromDer(goodCrl)!.answer(leaf!, ca!, new Date())).toMatchObject({ status: 'GOOD' });
    const goodOcsp = await ocspOf();
    expect(Ocsp.fromDer(goodOcsp)!.answer(leaf!, ca!, new Date(), [])).toMatchObject({ type: 'OCSP', status: 'GOOD' });

    await t.app.services.seals.revoke(OPERATOR, sealId, '印章停用');

    const revokedCrl = await crlOf();
    expect(Crl.fromDer(revokedCrl)!.answer(leaf!, ca!, new Date())).toMatchObject({ status: 'REVOKED', reason: 'cessationOfOperation' });
    const revokedOcsp = await ocspOf();
    expect(Ocsp.fromDer(revokedOcsp)!.answer(leaf!, ca!, new Date(), [])).toMatchObject({ status: 'REVOKED', reason: 'cessationOfOperation' });
    {
      const crl = signedParts(revokedCrl);
      expect(opensslVerifiesSm2(crl.tbs, crl.signature, caDer)).toBe(true);
      expect(opensslText(['crl', '-noout', '-text'], revokedCrl)).toContain(`Serial Number: ${opensslSerial(parseCertificate(sealDer).serial)}`);
      expect(openssl(['ocsp', '-respin', scratch.file('sm2.resp', revokedOcsp), '-noverify', '-resp_text']).stdout).toMatch(/Cert Status: revoked/);
      // The response is signed by the SM2 CA's own SM2 responder, whose certificate it carries.
      const basic = basicOcspResponse(revokedOcsp);
      const responder = embeddedCertificate(basic);
      expect(Cert.fromDer(responder).issuedBy(ca!)).toBe(true);
      const { tbs, signature } = signedParts(basic);
      expect(opensslVerifiesSm2(tbs, signature, responder)).toBe(true);
    }
    // And the key refuses to sign.
    await expect(t.app.services.pki.signingIdentity((await t.app.services.seals.get(sealId)).certificateIds[0]!)).rejects.toMatchObject({ code: 'CERTIFICATE_REVOKED' });
    await expect(t.app.services.seals.sm2SealSigner(OPERATOR, sealId)).rejects.toMatchObject({ code: 'SEAL_REVOKED' });
  });
});

/** The first certificate in a BasicOCSPResponse's [0] certs. */
function embeddedCertificate(basic: Uint8Array): Uint8Array {
  const top = asn1js.fromBER(basic).result as asn1js.Sequence;
  const certs = (top.valueBlock.value[3] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  return new Uint8Array(certs.valueBlock.value[0]!.valueBeforeDecodeView);
}
