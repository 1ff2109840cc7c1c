import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { signPdf, type DigestAlgorithm } from '../../signer/index.ts';
import { SigningCertificateV2 } from '../../signer/cms/asn1/signing-certificate-v2.ts';
import { derLength, findSignatures, signedDataOf } from '../support/inspect.ts';
import { skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { verifyCms } from './support/openssl-judge.ts';
import { pdfLibDocument } from './support/pdfs.ts';

const f = usePadesFixture();

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  data: '1.2.840.113549.1.7.1',
};
const DIGEST = { 'SHA-256': ['sha256', '2.16.840.1.101.3.4.2.1'], 'SHA-384': ['sha384', '2.16.840.1.101.3.4.2.2'], 'SHA-512': ['sha512', '2.16.840.1.101.3.4.2.3'] } as const;

describe.skipIf(skipWithout('tests/pades/cms', 'openssl'))('the CMS container (ETSI EN 319 142-1 §6.3, RFC 5652)', () => {
  it.each([
    ['EC P-256', 'ecSigner', 'SHA-256', '1.2.840.10045.4.3.2'],
    ['EC P-256', 'ecSigner', 'SHA-384', '1.2.840.10045.4.3.3'],
    ['RSA 2048', 'rsaSigner', 'SHA-256', '1.2.840.113549.1.1.11'],
    ['RSA 2048', 'rsaSigner', 'SHA-512', '1.2.840.113549.1.1.13'],
  ] as const)('%s with %s: openssl cms -verify accepts it over the ByteRange bytes', async (_k, who, digest, sigAlg) => {
    const identity = f.pki[who];
    const signed = await signPdf(await pdfLibDocument(), { identity, tsa: f.localTsa, digest: digest as DigestAlgorithm });
    const [sig] = findSignatures(signed);

    const r = await verifyCms(f.pki.dir, f.pki.caFile, sig!.der, sig!.covered);
    expect(r.output).toContain('CMS Verification successful');

    const sd = signedDataOf(sig!.der);
    const si = sd.signerInfos[0]!;
    expect(sd.encapContentInfo.eContentType).toBe(OID.data);
    expect(sd.encapContentInfo.eContent).toBeUndefined(); // detached
    expect(si.digestAlgorithm.algorithmId).toBe(DIGEST[digest][1]);
    expect(si.signatureAlgorithm.algorithmId).toBe(sigAlg);
    // The chain travels with the signature: signer, issuing CA, root.
    const carried = sd.certificates!.map((c) => Buffer.from((c as pkijs.Certificate).toSchema().toBER(false)).toString('hex'));
    for (const c of [identity.certificate, ...identity.chain]) expect(carried).toContain(Buffer.from(c).toString('hex'));
  });

  it.each(['SHA-256', 'SHA-384'] as Exclude<DigestAlgorithm, 'SM3'>[])(
    'signs exactly content-type, message-digest and signing-certificate-v2 with %s — and no signing-time',
    async (digest) => {
      const identity = f.pki.ecSigner;
      const signed = await signPdf(await pdfLibDocument(), { identity, digest });
      const [sig] = findSignatures(signed);
      const si = signedDataOf(sig!.der).signerInfos[0]!;
      const attrs = si.signedAttrs!.attributes;

      expect(attrs.map((a) => a.type).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
      expect(attrs.find((a) => a.type === OID.signingTime)).toBeUndefined();
      expect((attrs.find((a) => a.type === OID.contentType)!.values[0] as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(OID.data);
      const md = attrs.find((a) => a.type === OID.messageDigest)!.values[0] as asn1js.OctetString;
      expect(Buffer.from(md.valueBlock.valueHexView).toString('hex')).toBe(createHash(DIGEST[digest][0]).update(sig!.covered).digest('hex'));

      // ESS signing-certificate-v2 (RFC 5035): hash of the whole certificate, issuer and serial.
      const ess = new SigningCertificateV2({ schema: attrs.find((a) => a.type === OID.signingCertificateV2)!.values[0] });
      const id = ess.certs[0]!;
      expect(Buffer.from(id.certHash.valueBlock.valueHexView).toString('hex')).toBe(createHash(DIGEST[digest][0]).update(identity.certificate).digest('hex'));
      expect(id.hashAlgorithm.algorithmId).toBe(DIGEST[digest][1]);
      const x509 = new X509Certificate(identity.certificate);
      expect(Buffer.from(id.issuerSerial!.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, '')).toBe(x509.serialNumber.replace(/^0+/, ''));
      // hashAlgorithm is DEFAULT sha256: DER omits it then (X.690 §11.5).
      const essDer = Buffer.from(attrs.find((a) => a.type === OID.signingCertificateV2)!.values[0]!.toBER(false));
      const digestOidBytes = Buffer.from(`6086480165030402${digest === 'SHA-256' ? '01' : '02'}`, 'hex');
      expect(essDer.includes(digestOidBytes)).toBe(digest !== 'SHA-256');
      // Without a TSA the signature is B-B: no unsigned attributes.
      expect(si.unsignedAttrs).toBeUndefined();
    },
  );

  it('encodes the signed attributes in DER order, so the signed bytes equal the transmitted ones', async () => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner });
    const [sig] = findSignatures(signed);
    const si = signedDataOf(sig!.der).signerInfos[0]!;
    const encodings = si.signedAttrs!.attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
    const sorted = [...encodings].sort(Buffer.compare);
    expect(encodings).toEqual(sorted);
  });

  it('puts the claimed signing time in /M, and the dictionary names ETSI.CAdES.detached', async () => {
    const at = new Date('2026-03-01T08:30:00Z');
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, signingTime: at, reason: '颁发', location: '测试市' });
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toContain('/M (D:20260301083000Z)');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain('/Filter /Adobe.PPKLite');
  });

  it('adds the signature time-stamp as the unsigned attribute id-aa-signatureTimeStampToken (B-T)', async () => {
    const signed = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.localTsa });
    const [sig] = findSignatures(signed);
    const si = signedDataOf(sig!.der).signerInfos[0]!;
    expect(si.unsignedAttrs!.attributes.map((a) => a.type)).toEqual([OID.timeStampToken]);
    // The padding after the container is zeros only.
    const raw = Buffer.from(Buffer.from(signed).toString('latin1').slice(findSignatures(signed)[0]!.byteRange[1] + 1, findSignatures(signed)[0]!.byteRange[2] - 1), 'hex');
    expect(raw.subarray(derLength(raw)).every((b) => b === 0)).toBe(true);
  });
});
