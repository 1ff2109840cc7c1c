import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSeal,
  drawSealPicture,
  newSealInfo,
  sealBindsCertificate,
  SealFormatError,
  SESeal,
  signSeal,
  verifySeal,
  type DrawnSealPicture,
  type NewSealInput,
} from '../../signer/index.ts';
import { opensslOrThrow } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { testMaker, type TestMaker } from './maker.ts';

const noOpenssl = skipWithout('tests/seal/seal (SESeal signing)', 'openssl');

const T0 = new Date('2026-01-01T00:00:00Z');
const VALID_START = new Date('2025-01-01T00:00:00Z');
const VALID_END = new Date('2030-01-01T00:00:00Z');

/** Offset of the first occurrence of `needle` in `hay`. */
const offsetOf = (hay: Uint8Array, needle: Uint8Array | string) => Buffer.from(hay).indexOf(typeof needle === 'string' ? Buffer.from(needle) : Buffer.from(needle));
const flipByte = (bytes: Uint8Array, at: number) => {
  const out = Uint8Array.from(bytes);
  out[at]! ^= 0x01;
  return out;
};

describe.skipIf(noOpenssl)('SESeal (GB/T 38540-2020)', () => {
  let maker: TestMaker;
  let rsaMaker: TestMaker;
  let signerCert: TestMaker;
  let picture: DrawnSealPicture;
  let input: NewSealInput;
  let der: Uint8Array;

  beforeAll(async () => {
    maker = testMaker('EC-P256', 'SEAL_MAKER');
    rsaMaker = testMaker('RSA-2048', 'RSA_SEAL_MAKER');
    signerCert = testMaker('EC-P256', 'DEPARTMENT_SEAL_SIGNER');
    picture = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
    input = {
      esID: '35020000000001',
      name: '厦门市市场监督管理局行政审批专用章',
      createDate: VALID_START,
      validStart: VALID_START,
      validEnd: VALID_END,
      picture,
      certificates: [signerCert.certificate],
    };
    der = await signSeal(newSealInfo(input), maker);
  });

  it('round-trips: decode(encode(seal)) has every field, and re-encodes to the same bytes', () => {
    const seal = decodeSeal(der);
    expect(seal.eSealInfo.header.toJSON()).toEqual({ id: 'ES', version: 4, vid: 'ZHENGYIN' });
    expect(seal.eSealInfo.esID).toBe(input.esID);
    const p = seal.eSealInfo.property;
    expect([p.type, p.name, p.certListType]).toEqual([1, input.name, 1]);
    expect(p.certs.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(signerCert.certificate).toString('hex')]);
    expect([p.createDate, p.validStart, p.validEnd]).toEqual([VALID_START, VALID_START, VALID_END]);
    expect(seal.eSealInfo.picture.toJSON()).toMatchObject({ type: 'PNG', width: 42, height: 42 });
    expect(Buffer.from(seal.eSealInfo.picture.data).equals(Buffer.from(picture.data))).toBe(true);
    expect(Buffer.from(seal.cert).equals(Buffer.from(maker.certificate))).toBe(true);
    expect(seal.signAlgID).toBe('1.2.840.10045.4.3.2');
    expect(Buffer.from(seal.toSchema().toBER()).equals(Buffer.from(der))).toBe(true);
    expect(SESeal.fromBER(der).eSealInfo.esID).toBe(input.esID);
  });

  it('verifies the maker signature, and the validity period at a given time', async () => {
    expect(await verifySeal(der)).toEqual({ signatureValid: true, esID: input.esID, name: input.name });
    expect(await verifySeal(der, { at: T0 })).toMatchObject({ signatureValid: true, withinValidity: true });
    expect(await verifySeal(der, { at: new Date('2024-12-31T23:59:59Z') })).toMatchObject({ signatureValid: true, withinValidity: false, failure: 'NOT_YET_VALID' });
    expect(await verifySeal(der, { at: new Date('2030-01-01T00:00:01Z') })).toMatchObject({ signatureValid: true, withinValidity: false, failure: 'EXPIRED' });
  });

  it.each([
    ['a picture byte', (d: Uint8Array) => offsetOf(d, picture.data.subarray(100, 116)) + 3],
    ['the seal name', (d: Uint8Array) => offsetOf(d, '监督')],
    ['the esID', (d: Uint8Array) => offsetOf(d, '35020000000001') + 13],
    ['the bound certificate', (d: Uint8Array) => offsetOf(d, signerCert.certificate.subarray(200, 216)) + 2],
  ])('a one-byte change in %s fails the maker signature', async (_name, at) => {
    const offset = at(der);
    expect(offset).toBeGreaterThan(0);
    expect(await verifySeal(flipByte(der, offset), { at: T0 })).toMatchObject({ signatureValid: false, failure: 'SIGNATURE_INVALID' });
  });

  it('a changed signature value fails', async () => {
    const seal = decodeSeal(der);
    seal.signedValue = flipByte(seal.signedValue, 20);
    expect(await verifySeal(seal)).toMatchObject({ signatureValid: false, failure: 'SIGNATURE_INVALID' });
  });

  it("another maker's certificate in the seal fails, and a key of the wrong type is named", async () => {
    const seal = decodeSeal(der);
    seal.cert = signerCert.certificate;
    expect(await verifySeal(seal)).toMatchObject({ signatureValid: false, failure: 'SIGNATURE_INVALID' });
    seal.cert = rsaMaker.certificate;
    expect(await verifySeal(seal)).toMatchObject({ signatureValid: false, failure: 'ALGORITHM_KEY_MISMATCH' });
    seal.cert = new Uint8Array([0x30, 0x00]);
    expect(await verifySeal(seal)).toMatchObject({ signatureValid: false, failure: 'MAKER_CERTIFICATE_UNREADABLE' });
    seal.signAlgID = '1.2.3.4.5';
    expect(await verifySeal(seal)).toMatchObject({ signatureValid: false, failure: 'ALGORITHM_UNSUPPORTED' });
  });

  it('signs with an RSA maker key (sha256WithRSAEncryption)', async () => {
    const rsa = await signSeal(newSealInfo(input), rsaMaker);
    expect(decodeSeal(rsa).signAlgID).toBe('1.2.840.113549.1.1.11');
    expect(await verifySeal(rsa, { at: T0 })).toMatchObject({ signatureValid: true, withinValidity: true });
  });

  it('binds signer certificates whole or by SHA-256 digest', async () => {
    const whole = decodeSeal(der);
    expect(sealBindsCertificate(whole, signerCert.certificate)).toBe(true);
    expect(sealBindsCertificate(whole, maker.certificate)).toBe(false);
    const byDigest = decodeSeal(await signSeal(newSealInfo({ ...input, bindByDigest: true }), maker));
    expect(byDigest.eSealInfo.property.certListType).toBe(2);
    expect(byDigest.eSealInfo.property.certDigestList[0]!.toJSON().type).toBe('SHA256');
    expect(sealBindsCertificate(byDigest, signerCert.certificate)).toBe(true);
    expect(sealBindsCertificate(byDigest, maker.certificate)).toBe(false);
    expect(await verifySeal(byDigest)).toMatchObject({ signatureValid: true });
  });

  it('openssl reads the structure and verifies the maker signature over DER(SES_SealInfo)', () => {
    const dir = maker.dir;
    fs.writeFileSync(path.join(dir, 'seal.der'), der);
    const dump = opensslOrThrow(['asn1parse', '-inform', 'DER', '-in', path.join(dir, 'seal.der')]).toString('utf8');
    expect(dump).toMatch(/IA5STRING\s+:ES\n/);
    expect(dump).toMatch(/INTEGER\s+:04\n/);
    expect(dump).toMatch(/IA5STRING\s+:ZHENGYIN\n/);
    expect(dump).toMatch(/IA5STRING\s+:PNG\n/);
    expect(dump).toMatch(/GENERALIZEDTIME\s+:20250101000000Z\n/);
    expect(dump).toMatch(/OBJECT\s+:ecdsa-with-SHA256\n/);
    const seal = decodeSeal(der);
    fs.writeFileSync(path.join(dir, 'tbs.der'), seal.tbsView);
    fs.writeFileSync(path.join(dir, 'sig.der'), seal.signedValue);
    opensslOrThrow(['x509', '-in', path.join(dir, 'cert.pem'), '-pubkey', '-noout', '-out', path.join(dir, 'pub.pem')]);
    const out = opensslOrThrow(['dgst', '-sha256', '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig.der'), path.join(dir, 'tbs.der')]).toString('utf8');
    expect(out.trim()).toBe('Verified OK');
  });

  it.each([
    ['garbage', new Uint8Array([1, 2, 3, 4])],
    ['a SEQUENCE of the wrong shape', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04])],
  ])('decodeSeal rejects %s with SealFormatError', (_name, bytes) => {
    expect(() => decodeSeal(bytes)).toThrow(SealFormatError);
  });

  it('decodeSeal rejects trailing bytes', () => {
    expect(() => decodeSeal(new Uint8Array([...der, 0]))).toThrow(expect.objectContaining({ code: 'SEAL_FORMAT' }));
  });

  it.each([
    ['esID', { esID: '印章001' }],
    ['name', { name: '  ' }],
    ['validEnd', { validEnd: VALID_START }],
    ['certificates', { certificates: [] }],
    ['picture', { picture: { type: 'PNG', data: new Uint8Array(), widthMm: 42, heightMm: 42 } }],
  ])('newSealInfo rejects a bad %s, naming it', (field, change) => {
    expect(() => newSealInfo({ ...input, ...change } as NewSealInput)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field }));
  });
});
