/**
 * signOfd (issue #13, Deliver 3 and 4): GB/T 38540 V4 seals on our OFD licences and on OFDs
 * a department received, judged by our verifier with the test SM2 PKI as trust anchor, and
 * the SES_Signature read field by field against GB/T 38540 §7.2.
 */
import { execFileSync } from 'node:child_process';
import { hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import { unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { sm2 } from 'sm-crypto-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_LICENCE, OfdReadError, OfdSealError, prepareOfdSeal, renderLicenceOfd, SignerError, signOfd, type RenderedOfd } from '../../signer/index.ts';
import { verifyOfd } from '../../verifier/index.ts';
import { applySeal, newOfd, zipOfd, type OfdFiles } from '../verifier/ofd/support/ofd-builder.ts';
import { skipWithout } from '../support/tools.ts';
import { sm2Sign } from '../verifier/ofd/support/sm2-pki.ts';
import { metadataFor, pki, sealOf, sealOptions, SIGNED_AT, verifyOptions } from './support.ts';

const STATUS_URL = 'https://zw.example.gov.cn/licences/LICENCE_ID/status';
const files = (ofd: Uint8Array): Map<string, Uint8Array> => new Map(Object.entries(unzipSync(ofd)));
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const foreign = (f: OfdFiles, more: Partial<Parameters<typeof applySeal>[1]> = {}) => applySeal(f, { signer: pki.signer, maker: pki.maker, ...more });

let licence: RenderedOfd;
let issuerSeal: Uint8Array;
let sealed: Uint8Array;
let joint: Uint8Array;

beforeAll(async () => {
  licence = await renderLicenceOfd(BUSINESS_LICENCE, metadataFor(BUSINESS_LICENCE), { statusUrl: STATUS_URL, jointSeals: 1 });
  issuerSeal = sealOf(); // SM2 signatures are randomised: keep the very bytes signed with
  sealed = await signOfd(licence.ofd, sealOptions(pki.signer, { seal: issuerSeal, position: licence.sealBox }));
  joint = await signOfd(sealed, sealOptions(pki.stranger, { position: licence.jointSealBoxes[0]! }));
});

describe('signOfd on our OFD licence', () => {
  it('makes a seal our verifier judges TOTAL_PASSED, protecting every file', async () => {
    const r = await verifyOfd(sealed, verifyOptions);
    expect(r.document.verdict).toBe('VALID');
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]).toMatchObject({
      indication: 'TOTAL_PASSED', intact: true, valid: true, modification: 'NONE', changes: [],
      subFilter: 'GB/T 38540 SES_Signature V4', digestAlgorithm: 'SM3', signatureAlgorithm: 'SM2 with SM3',
      claimedSigningTime: SIGNED_AT.toISOString(), signerName: '测试政务服务中心专用章',
    });
    expect(r.signatures[0]!.problems).toEqual([]);
    const names = [...files(sealed).keys()];
    const references = [...text(files(sealed).get('Doc_0/Signs/Sign_0/Signature.xml')).matchAll(/FileRef="\/([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual(names.filter((n) => n !== 'Doc_0/Signs/Signatures.xml' && !n.startsWith('Doc_0/Signs/Sign_0/')));
    expect(references).toContain('OFD.xml');
  });

  it('writes TBS_Sign and SES_Signature as GB/T 38540 §7.2 says, dataHash over the raw Signature.xml, signed SM2 with the standard user ID', () => {
    const f = files(sealed);
    const signatureXml = f.get('Doc_0/Signs/Sign_0/Signature.xml')!;
    const der = f.get('Doc_0/Signs/Sign_0/SignedValue.dat')!;
    const top = asn1js.fromBER(der);
    expect(top.offset).toBe(der.length);
    const [tbs, cert, alg, signature, ...rest] = (top.result as asn1js.Sequence).valueBlock.value;
    expect(rest).toEqual([]);
    const [version, eseal, timeInfo, dataHash, propertyInfo, ...ext] = (tbs as asn1js.Sequence).valueBlock.value;
    expect(ext).toEqual([]);
    expect((version as asn1js.Integer).valueBlock.valueDec).toBe(4);
    expect(Buffer.from(eseal!.valueBeforeDecodeView).equals(Buffer.from(issuerSeal))).toBe(true);
    expect(timeInfo).toBeInstanceOf(asn1js.GeneralizedTime);
    expect((timeInfo as asn1js.GeneralizedTime).toDate().toISOString()).toBe(SIGNED_AT.toISOString());
    expect(Buffer.from((dataHash as asn1js.BitString).valueBlock.valueHexView).equals(hash('sm3', signatureXml, 'buffer'))).toBe(true);
    expect((propertyInfo as asn1js.IA5String).getValue()).toBe('/Doc_0/Signs/Sign_0/Signature.xml');
    expect(Buffer.from((cert as asn1js.OctetString).valueBlock.valueHexView).equals(Buffer.from(pki.signer.certificate))).toBe(true);
    expect((alg as asn1js.ObjectIdentifier).getValue()).toBe('1.2.156.10197.1.501');
    const value = Buffer.from((signature as asn1js.BitString).valueBlock.valueHexView).toString('hex');
    const tbsDer = new Uint8Array(tbs!.valueBeforeDecodeView);
    expect(sm2.doVerifySignature(tbsDer, value, pki.signer.publicKey, { der: true, hash: true, userId: '1234567812345678' })).toBe(true);
    tbsDer[tbsDer.length - 1]! ^= 1;
    expect(sm2.doVerifySignature(tbsDer, value, pki.signer.publicKey, { der: true, hash: true })).toBe(false);
  });

  it.skipIf(skipWithout('tests/ofd/sign-ofd (OpenSSL judge)', 'openssl'))('has a signer signature OpenSSL verifies over DER(TBS_Sign), SM3 with the distinguishing ID 1234567812345678', () => {
    const top = asn1js.fromBER(files(sealed).get('Doc_0/Signs/Sign_0/SignedValue.dat')!).result as asn1js.Sequence;
    const [tbs, , , signature] = top.valueBlock.value;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ofd-'));
    const file = (name: string, data: Uint8Array | string) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));
    const key = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', file('signer.der', pki.signer.certificate), '-pubkey', '-noout']);
    const args = (data: string) => ['dgst', '-sm3', '-verify', file('pub.pem', key), '-sigopt', 'distid:1234567812345678', '-signature', file('sig.der', new Uint8Array((signature as asn1js.BitString).valueBlock.valueHexView)), data];
    const tbsDer = new Uint8Array(tbs!.valueBeforeDecodeView);
    expect(execFileSync('openssl', args(file('tbs.der', tbsDer))).toString()).toContain('Verified OK');
    tbsDer[10]! ^= 1;
    expect(() => execFileSync('openssl', args(file('tampered.der', tbsDer)), { stdio: 'pipe' })).toThrow();
  });

  it('places the StampAnnot on the page at the position given', () => {
    const xml = text(files(sealed).get('Doc_0/Signs/Sign_0/Signature.xml'));
    const pageId = /<ofd:Page ID="(\d+)"/.exec(text(files(sealed).get('Doc_0/Document.xml')))![1];
    const b = licence.sealBox;
    expect(xml).toContain(`<ofd:StampAnnot ID="1" PageRef="${pageId}" Boundary="${b.x} ${b.y} ${b.width} ${b.height}"/>`);
  });

  it('adds a joint seal that leaves the first valid: only the Signatures list changes, the second seal\'s files are added', async () => {
    const before = files(sealed);
    const after = files(joint);
    for (const [name, data] of before) {
      if (name === 'Doc_0/Signs/Signatures.xml') continue;
      expect(Buffer.from(after.get(name)!).equals(Buffer.from(data)), name).toBe(true);
    }
    expect([...after.keys()].filter((n) => !before.has(n))).toEqual(['Doc_0/Signs/Sign_1/Signature.xml', 'Doc_0/Signs/Sign_1/SignedValue.dat']);
    expect(text(after.get('Doc_0/Signs/Signatures.xml'))).toMatch(/<ofd:MaxSignId>2<\/ofd:MaxSignId><ofd:Signature ID="1"[^>]*\/><ofd:Signature ID="2" Type="Seal" BaseLoc="\/Doc_0\/Signs\/Sign_1\/Signature.xml"\/>/);
    const r = await verifyOfd(joint, verifyOptions);
    expect(r.document.verdict).toBe('VALID');
    expect(r.signatures.map((s) => [s.indication, s.modification, s.changes])).toEqual([['TOTAL_PASSED', 'FORM_FILLING', []], ['TOTAL_PASSED', 'NONE', []]]);
    expect(r.signatures[1]!.signer?.commonName).toBe('Somebody Else');
  });

  it('signs in phases for a key held elsewhere: prepareOfdSeal gives the TBS, finish takes the signature', async () => {
    const { sign: _sign, ...options } = sealOptions(pki.signer, { position: licence.sealBox });
    const prepared = prepareOfdSeal(licence.ofd, options);
    const good = await verifyOfd(prepared.finish(sm2Sign(prepared.tbs, pki.signer.privateKey)), verifyOptions);
    expect(good.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    const wrongKey = await verifyOfd(prepared.finish(sm2Sign(prepared.tbs, pki.stranger.privateKey)), verifyOptions);
    expect(wrongKey.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', intact: true, valid: false });
  });

  it.each([
    ['a page', 'Doc_0/Pages/Page_0/Content.xml'],
    ['a font file', 'Doc_0/Res/'],
    ['the metadata', 'Doc_0/Attachs/licence.json'],
  ])('catches a changed protected file (%s)', async (_what, prefix) => {
    const f = files(joint);
    const name = [...f.keys()].find((n) => n.startsWith(prefix))!;
    const data = new Uint8Array(f.get(name)!);
    data[Math.floor(data.length / 2)]! ^= 0x20;
    f.set(name, data);
    const r = await verifyOfd(zipSync(Object.fromEntries(f)), verifyOptions);
    expect(r.document.verdict).toBe('INVALID');
    for (const s of r.signatures) expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', intact: false });
  });
});

describe('signOfd on an OFD a department received', () => {
  it('adds a seal after another vendor\'s, whose Signatures list sits outside Doc_0/Signs, and keeps it valid', async () => {
    const received = foreign(newOfd(), { signsFolder: 'Seals/List' });
    const ours = await signOfd(zipOfd(received), sealOptions());
    const f = files(ours);
    for (const [name, data] of received) if (name !== 'Seals/List/Signatures.xml') expect(Buffer.from(f.get(name)!).equals(Buffer.from(data)), name).toBe(true);
    expect([...f.keys()].filter((n) => !received.has(n))).toEqual(['Seals/List/Sign_1/Signature.xml', 'Seals/List/Sign_1/SignedValue.dat']);
    const r = await verifyOfd(ours, verifyOptions);
    expect(r.signatures.map((s) => [s.indication, s.modification])).toEqual([['TOTAL_PASSED', 'FORM_FILLING'], ['TOTAL_PASSED', 'NONE']]);
  });

  it('extends a Signatures list written without a prefix and declared GB 18030, rewriting it as UTF-8', async () => {
    const received = foreign(newOfd());
    const list = text(received.get('Doc_0/Signs/Signatures.xml')).replace('encoding="UTF-8"', 'encoding="GB18030"')
      .replace('xmlns:ofd=', 'xmlns=').replace(/<(\/?)ofd:/g, '<$1');
    received.set('Doc_0/Signs/Signatures.xml', new TextEncoder().encode(list));
    const ours = await signOfd(zipOfd(received), sealOptions());
    const after = text(files(ours).get('Doc_0/Signs/Signatures.xml'));
    expect(after).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(after).toContain('<MaxSignId>2</MaxSignId><Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/><Signature ID="2" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/></Signatures>');
    const r = await verifyOfd(ours, verifyOptions);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  it('reads a zip whose local headers defer their sizes to data descriptors', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      chunks.push(chunk);
    });
    for (const [name, data] of foreign(newOfd())) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(data, true);
    }
    zip.end();
    const r = await verifyOfd(await signOfd(Buffer.concat(chunks), sealOptions()), verifyOptions);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  it('seals after a GM/T 0031 (V1) seal and a second V4 seal of another vendor', async () => {
    const received = foreign(foreign(newOfd(), { version: 'V1' }));
    const r = await verifyOfd(await signOfd(zipOfd(received), sealOptions()), verifyOptions);
    expect(r.document.verdict).toBe('VALID');
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  it('seals Doc_0 of a two-document package: the first DocBody gains its Signatures list', async () => {
    const f = newOfd();
    f.set('OFD.xml', new TextEncoder().encode(text(f.get('OFD.xml')).replace('</ofd:OFD>', '<ofd:DocBody><ofd:DocInfo><ofd:DocID>second</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')));
    f.set('Doc_1/Document.xml', f.get('Doc_0/Document.xml')!);
    f.set('Doc_1/Pages/Page_0/Content.xml', f.get('Doc_0/Pages/Page_0/Content.xml')!);
    const ours = await signOfd(zipOfd(f), sealOptions());
    const ofdXml = text(files(ours).get('OFD.xml'));
    expect(ofdXml).toMatch(/<ofd:DocRoot>Doc_0\/Document.xml<\/ofd:DocRoot><ofd:Signatures>\/Doc_0\/Signs\/Signatures.xml<\/ofd:Signatures><\/ofd:DocBody><ofd:DocBody>/);
    const r = await verifyOfd(ours, verifyOptions);
    expect(r.signatures.map((s) => [s.indication, s.modification])).toEqual([['TOTAL_PASSED', 'NONE']]);
  });

  it('refuses to seal when it would have to change a file an earlier signature protects', async () => {
    const received = foreign(newOfd());
    // A second document body that names no Signatures list: sealing it means changing OFD.xml, which the vendor's seal protects.
    const ofd = text(received.get('OFD.xml')).replace('</ofd:OFD>', '<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>');
    const f = new Map(received).set('OFD.xml', new TextEncoder().encode(ofd));
    await expect(signOfd(zipOfd(f), sealOptions(pki.signer, { document: 1 }))).rejects.toMatchObject({ name: OfdSealError.name, field: 'package' });
  });
});

describe('signOfd refuses', () => {
  it.each([
    ['a signer the seal does not list', () => sealOptions(pki.signer, { signerCertificate: pki.stranger.certificate }), 'signerCertificate'],
    ['an expired seal', () => sealOptions(pki.signer, { seal: sealOf({ validEnd: new Date('2025-06-01T00:00:00Z') }) }), 'signedAt'],
    ['a certificate not yet valid at the signing time', () => sealOptions(pki.signer, { signedAt: new Date('2023-06-01T00:00:00Z'), seal: sealOf({ validStart: new Date('2020-01-01T00:00:00Z') }) }), 'signedAt'],
    ['bytes that are no seal', () => sealOptions(pki.signer, { seal: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04]) }), 'seal'],
    ['a page the document does not have', () => sealOptions(pki.signer, { page: 3 }), 'page'],
    ['a position without a size', () => sealOptions(pki.signer, { position: { x: 1, y: 1, width: 0, height: 10 } }), 'position'],
  ])('%s', async (_name, options, field) => {
    await expect(signOfd(zipOfd(newOfd()), options())).rejects.toMatchObject({ name: OfdSealError.name, code: 'OFD_SEAL', field });
  });

  it('fails only with its own errors on 300 damaged copies of a sealed package', async () => {
    let seed = 13;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const good = zipOfd(foreign(newOfd()));
    const outcomes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const bad = new Uint8Array(good);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      try {
        await signOfd(i % 10 === 0 ? bad.subarray(0, Math.floor(random() * bad.length)) : bad, sealOptions());
        outcomes.add('sealed');
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(SignerError);
        outcomes.add((e as SignerError).code);
      }
    }
    expect(outcomes).toContain('OFD_READ');
  });

  it.each([
    ['bytes that are no zip', () => new TextEncoder().encode('%PDF-1.7 not an OFD')],
    ['a zip without OFD.xml', () => zipSync({ 'a.txt': new Uint8Array(3) })],
    ['a zip bomb', () => zipSync({ 'OFD.xml': newOfd().get('OFD.xml')!, 'Doc_0/bomb.bin': [new Uint8Array(8 * 1024 * 1024), { level: 9 }] })],
    ['an entry name that climbs out', () => zipSync({ 'OFD.xml': newOfd().get('OFD.xml')!, '../../etc/cron.d/x': new Uint8Array(1) })],
    ['a document type declaration', () => zipSync({ 'OFD.xml': new TextEncoder().encode('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><ofd:OFD/>') })],
  ])('%s, with OfdReadError', async (_name, bytes) => {
    await expect(signOfd(bytes(), sealOptions())).rejects.toMatchObject({ name: OfdReadError.name, code: 'OFD_READ' });
  });
});
