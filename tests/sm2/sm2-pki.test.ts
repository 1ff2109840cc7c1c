import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildOcspResponse,
  certIdFor,
  decodeSeal,
  drawSealPicture,
  generateKeyPair,
  issueCrl,
  KekMismatchError,
  KeyEncryptionKey,
  KeyStore,
  MemoryKeyStorage,
  NodeSigningKey,
  newSealInfo,
  parseCertificate,
  PkiInputError,
  SealMakerError,
  signSeal,
  SM2_WITH_SM3,
  verifySeal,
  type NewSealInput,
} from '../../signer/index.ts';
import { Cert } from '../../verifier/pki/certificate.ts';
import { Crl } from '../../verifier/pki/crl.ts';
import { Ocsp } from '../../verifier/pki/ocsp.ts';
import { sm2PointOfSpki as verifierPoint, verifySm2 } from '../../verifier/cms/sm2.ts';
import { skipWithout } from '../support/tools.ts';
import { newSm2SealSigner, newSm2TestPki, type Sm2Entity, type Sm2TestPki } from '../support/sm2-seal-signer.ts';
import { basicOcspResponse, opensslText, opensslVerifiesLink, opensslVerifiesSm2, signedParts } from './openssl-sm2.ts';

const noOpenssl = skipWithout('tests/sm2/sm2-pki (openssl as SM2 judge)', 'openssl');

const DAY = 86_400_000;
const NOW = new Date();
const notBefore = new Date(NOW.getTime() - DAY);
const CRL_URL = 'http://pki.example/crl/sm2.crl';

describe('an SM2 PKI made by signer/ (SM2-with-SM3, user ID 1234567812345678)', () => {
  let pki: Sm2TestPki;
  let root: Sm2Entity;
  let ca: Sm2Entity;
  let seal: Sm2Entity;
  let maker: Sm2Entity;
  let responder: Sm2Entity;

  beforeAll(async () => {
    pki = await newSm2TestPki();
    ({ root, ca, seal, maker } = pki);
    responder = await pki.issue('ocsp-responder', 'OCSP SM2', ca);
  });

  it('keeps SM2 private keys sealed under the KEK and signs only with SM3', async () => {
    const storage = new MemoryKeyStorage();
    const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
    const keys = new KeyStore({ storage, kek });
    const handle = await keys.generate('SM2');
    expect(handle.algorithm).toBe('SM2');
    const stored = (await storage.get(handle.id))!;
    expect(stored.algorithm).toBe('SM2');
    expect(stored.kekId).toBe(kek.id);
    // The sealed value is AES-GCM ciphertext: opened it is a PKCS#8 naming id-ecPublicKey on the SM2 curve.
    const pkcs8 = kek.open(stored.sealed, stored.publicKey);
    expect(Buffer.from(pkcs8).includes(Buffer.from('06082a811ccf5501822d', 'hex'))).toBe(true);
    expect(Buffer.from(stored.sealed).includes(pkcs8.subarray(-65))).toBe(false);
    const key = await keys.signingKey(handle.id);
    const data = Buffer.from('签名数据');
    const signature = await key.sign(data, 'SM3');
    expect(verifySm2(data, signature, verifierPoint(handle.publicKey)!)).toBe(true);
    await expect(key.sign(data, 'SHA-256')).rejects.toBeInstanceOf(PkiInputError);
    // Another KEK cannot open it.
    const other = new KeyStore({ storage, kek: KeyEncryptionKey.fromBytes(randomBytes(32)) });
    await expect(other.signingKey(handle.id)).rejects.toBeInstanceOf(KekMismatchError);
    // An imported SM2 PKCS#8 signs as the same key.
    const imported = await keys.import(new Uint8Array(pkcs8));
    expect(imported.algorithm).toBe('SM2');
    expect(Buffer.from(imported.publicKey).equals(handle.publicKey)).toBe(true);
    expect(verifySm2(data, await (await keys.signingKey(imported.id)).sign(data, 'SM3'), verifierPoint(handle.publicKey)!)).toBe(true);
  });

  it('issues root → department CA → seal certificates signed SM2-with-SM3 that the verifier links by signature', () => {
    for (const der of [root.certificate, ca.certificate, seal.certificate]) {
      const info = parseCertificate(der);
      expect(info.certificate.signatureAlgorithm.algorithmId).toBe(SM2_WITH_SM3);
      expect(info.keyAlgorithm).toBe('SM2');
    }
    const [r, c, s] = [root, ca, seal].map((e) => Cert.fromDer(e.certificate));
    expect(r!.issuedBy(r!)).toBe(true);
    expect(c!.issuedBy(r!)).toBe(true);
    expect(s!.issuedBy(c!)).toBe(true);
    expect(s!.issuedBy(r!)).toBe(false);
    expect(c!.isCa && c!.pathLen === 0).toBe(true);
    expect(s!.keyUsage?.has('nonRepudiation')).toBe(true);
    expect(s!.crlUrls).toEqual([CRL_URL]);
  });

  it.skipIf(noOpenssl)('openssl verifies each certificate link with the standard user ID', () => {
    expect(opensslVerifiesLink(root.certificate, root.certificate)).toMatchObject({ ok: true });
    expect(opensslVerifiesLink(ca.certificate, root.certificate)).toMatchObject({ ok: true });
    expect(opensslVerifiesLink(seal.certificate, ca.certificate)).toMatchObject({ ok: true });
    // A certificate does not verify under a CA that did not sign it.
    expect(opensslVerifiesLink(seal.certificate, root.certificate).ok).toBe(false);
  });

  it('issues an SM2 CRL that revokes the seal certificate, for the verifier and openssl', async () => {
    const serial = parseCertificate(seal.certificate).serial;
    const der = await issueCrl({ issuer: ca, number: 7, thisUpdate: notBefore, nextUpdate: new Date(NOW.getTime() + 7 * DAY), revoked: [{ serial, revokedAt: notBefore, reason: 'keyCompromise' }] });
    const crl = Crl.fromDer(der)!;
    const [c, s] = [ca, seal].map((e) => Cert.fromDer(e.certificate));
    expect(crl.answer(s!, c!, NOW)).toMatchObject({ type: 'CRL', status: 'REVOKED', reason: 'keyCompromise' });
    // Signed by the CA, not by the root: under the root the CRL says nothing.
    expect(crl.answer(s!, Cert.fromDer(root.certificate), NOW)).toBeUndefined();
    if (!noOpenssl) {
      const { tbs, signature } = signedParts(der);
      expect(opensslVerifiesSm2(tbs, signature, ca.certificate)).toBe(true);
      expect(opensslVerifiesSm2(tbs, signature, root.certificate)).toBe(false);
      const text = opensslText(['crl', '-noout', '-text'], der);
      expect(text).toMatch(/SM2-with-SM3/);
      expect(text).toMatch(/Key Compromise/);
      expect(text.toLowerCase().replace(/:/g, '')).toContain(serial.padStart(serial.length + (serial.length % 2), '0'));
    }
  });

  it('answers OCSP for SM2 certificates with an SM2-signed response (delegated SM2 responder)', async () => {
    const [c, s] = [ca, seal].map((e) => parseCertificate(e.certificate));
    const signer = { certificate: parseCertificate(responder.certificate), key: responder.key, chain: [c!] };
    const good = await buildOcspResponse({ signer, now: NOW, answers: [{ certId: certIdFor(s!, c!), status: { status: 'good' } }] });
    const revoked = await buildOcspResponse({ signer, now: NOW, answers: [{ certId: certIdFor(s!, c!), status: { status: 'revoked', revokedAt: notBefore, reason: 'cessationOfOperation' } }] });
    const [vc, vs] = [ca, seal].map((e) => Cert.fromDer(e.certificate));
    expect(Ocsp.fromDer(good)!.answer(vs!, vc!, NOW, [])).toMatchObject({ type: 'OCSP', status: 'GOOD' });
    expect(Ocsp.fromDer(revoked)!.answer(vs!, vc!, NOW, [])).toMatchObject({ type: 'OCSP', status: 'REVOKED', reason: 'cessationOfOperation' });
    if (!noOpenssl) {
      const basic = basicOcspResponse(revoked);
      const { tbs, signature } = signedParts(basic);
      expect(opensslVerifiesSm2(tbs, signature, responder.certificate)).toBe(true);
      expect(opensslVerifiesLink(responder.certificate, ca.certificate)).toMatchObject({ ok: true });
      expect(opensslText(['asn1parse'], basic)).toMatch(/SM2-with-SM3/);
    }
  });

  describe('SES_Seal (GB/T 38540 V4) with an SM2 maker', () => {
    let input: NewSealInput;
    let sesSeal: Uint8Array;

    beforeAll(async () => {
      const picture = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
      input = { esID: '91350200000000000X-001', name: '厦门市市场监督管理局行政审批专用章', createDate: NOW, validStart: NOW, validEnd: new Date(NOW.getTime() + 30 * DAY), picture, certificates: [seal.certificate] };
      sesSeal = (await newSm2SealSigner(pki, input.esID)).sesSeal;
    });

    it('signs DER(eSealInfo) with SM2/SM3 and binds the SM2 seal certificate', async () => {
      const decoded = decodeSeal(sesSeal);
      expect(decoded.signAlgID).toBe(SM2_WITH_SM3);
      expect(decoded.eSealInfo.header.version).toBe(4);
      expect(Buffer.from(decoded.cert).equals(maker.certificate)).toBe(true);
      expect(decoded.eSealInfo.property.certs.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(seal.certificate).toString('hex')]);
      expect(await verifySeal(sesSeal, { at: new Date() })).toMatchObject({ signatureValid: true, withinValidity: true });
      // The verifier's SM2 check over the raw eSealInfo bytes, and openssl's.
      const top = asn1js.fromBER(sesSeal).result as asn1js.Sequence;
      const tbs = new Uint8Array(top.valueBlock.value[0]!.valueBeforeDecodeView);
      const signature = new Uint8Array((top.valueBlock.value[3] as asn1js.BitString).valueBlock.valueHexView);
      expect(verifySm2(tbs, signature, verifierPoint(parseCertificate(maker.certificate).publicKey)!)).toBe(true);
      if (!noOpenssl) expect(opensslVerifiesSm2(tbs, signature, maker.certificate)).toBe(true);
      // A changed eSealInfo breaks it.
      const tampered = Uint8Array.from(sesSeal);
      tampered[Buffer.from(tampered).indexOf(Buffer.from(input.esID))]! ^= 1;
      expect(await verifySeal(tampered)).toMatchObject({ signatureValid: false, failure: 'SIGNATURE_INVALID' });
    });

    it('refuses a maker key that is not its certificate’s, of either type', async () => {
      const ec = new NodeSigningKey((await generateKeyPair('EC-P256')).privateKey);
      await expect(signSeal(newSealInfo(input), { key: ec, certificate: maker.certificate })).rejects.toMatchObject({ code: 'SEAL_MAKER_UNUSABLE', problem: 'KEY_CERTIFICATE_MISMATCH' });
      // An SM2 key, but another certificate's: caught by checking the signature before it leaves.
      await expect(signSeal(newSealInfo(input), { key: seal.key, certificate: maker.certificate })).rejects.toBeInstanceOf(SealMakerError);
    });

    it('refuses an expired or not yet valid maker', async () => {
      const old = await pki.issue('seal', '过期的制章者', root, { notBefore: new Date(NOW.getTime() - 20 * DAY), notAfter: new Date(NOW.getTime() - 10 * DAY) });
      await expect(signSeal(newSealInfo(input), old)).rejects.toMatchObject({ problem: 'MAKER_EXPIRED' });
      await expect(signSeal(newSealInfo(input), maker, new Date(notBefore.getTime() - DAY))).rejects.toMatchObject({ problem: 'MAKER_NOT_YET_VALID' });
    });
  });
});
