import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDocumentTimestamp, addValidationData, applySeal, signPdf } from '../../signer/index.ts';
import { findSignatures, readDss, revisionCount, signatureTimestampToken, signedDataOf } from '../support/inspect.ts';
import { pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { verifyCrl, verifyOcsp, verifyTimestampToken } from './support/openssl-judge.ts';
import { pdfLibDocument } from './support/pdfs.ts';
import { redSealPng } from './support/seal-png.ts';

const f = usePadesFixture();

describe.skipIf(skipWithout('tests/pades/long-term', 'openssl'))('B-LT and B-LTA, judged by openssl', () => {
  let bt: Uint8Array;
  let lt: Uint8Array;
  let lta: Uint8Array;

  beforeAll(async () => {
    const certified = await signPdf(await pdfLibDocument(), { identity: f.pki.ecSigner, tsa: f.tsa, certify: true });
    bt = await applySeal(certified, { identity: f.pki.rsaSigner, image: redSealPng(), page: 0, x: 380, y: 100, tsa: f.tsa, allowNewField: true });
    lt = await addValidationData(bt, { revocation: f.pki.revocation });
    lta = await addDocumentTimestamp(lt, { tsa: f.tsa });
  });

  it('adds the DSS and the document time-stamp as one revision each, keeping every earlier byte', () => {
    expect(lt.subarray(0, bt.length)).toEqual(bt);
    expect(lta.subarray(0, lt.length)).toEqual(lt);
    expect(revisionCount(lt)).toBe(revisionCount(bt) + 1);
    expect(revisionCount(lta)).toBe(revisionCount(lt) + 1);
  });

  it('gives every signature a signature time-stamp over its SignatureValue that openssl ts -verify accepts', async () => {
    const signatures = findSignatures(lta).slice(0, 2);
    expect(signatures).toHaveLength(2);
    for (const s of signatures) {
      const token = signatureTimestampToken(s.der);
      expect(token).toBeDefined();
      const value = new Uint8Array(signedDataOf(s.der).signerInfos[0]!.signature.valueBlock.valueHexView);
      const r = await verifyTimestampToken(f.pki.dir, f.pki.caFile, token!, value);
      expect(r.output).toContain('Verification: OK');
    }
  });

  it('writes a document time-stamp whose token openssl ts -verify accepts over its ByteRange bytes', async () => {
    const docTs = findSignatures(lta).at(-1)!;
    expect(docTs.byteRange[2] + docTs.byteRange[3]).toBe(lta.length); // covers the whole file
    expect(Buffer.from(lta).toString('latin1')).toMatch(/\/Type \/DocTimeStamp\n\/Filter \/Adobe\.PPKLite\n\/SubFilter \/ETSI\.RFC3161/);
    const r = await verifyTimestampToken(f.pki.dir, f.pki.caFile, docTs.der, docTs.covered);
    expect(r.output).toContain('Verification: OK');

    const tampered = Buffer.from(docTs.covered);
    tampered[100] = tampered[100]! ^ 0x01;
    const bad = await verifyTimestampToken(f.pki.dir, f.pki.caFile, docTs.der, tampered);
    expect(bad.output).not.toContain('Verification: OK');
  });

  it('stores CRLs in the DSS that verify with openssl against the test CAs', async () => {
    const dss = (await readDss(lta))!;
    expect(dss.crls.length).toBe(2);
    for (const crl of dss.crls) {
      const r = await verifyCrl(f.pki.dir, f.pki.caFile, crl);
      expect(r.output).toContain('verify OK');
    }
  });

  it('stores OCSP responses in the DSS that verify with openssl and say "good"', async () => {
    const dss = (await readDss(lta))!;
    expect(dss.ocsps.length).toBeGreaterThanOrEqual(3);
    for (const ocsp of dss.ocsps) {
      const r = await verifyOcsp(f.pki.dir, f.pki.caFile, ocsp);
      expect(r.output).toContain('Response verify OK');
      expect(r.output).toMatch(/Cert Status: good/);
    }
  });

  it("covers the signers' and the TSA's chains: an OCSP response per end entity, a CRL per issuing CA, every certificate", async () => {
    const dss = (await readDss(lta))!;
    const serialsWithOcsp = new Set(
      dss.ocsps.flatMap((der) => {
        const parsed = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(der).responseBytes!.response.valueBlock.valueHexView);
        return parsed.tbsResponseData.responses.map((r) => Buffer.from(r.certID.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, ''));
      }),
    );
    const serial = (der: Uint8Array): string => new X509Certificate(der).serialNumber.toUpperCase().replace(/^0+/, '');
    for (const endEntity of [f.pki.ecSigner.certificate, f.pki.rsaSigner.certificate, f.pki.tsa.der]) {
      expect(serialsWithOcsp).toContain(serial(endEntity));
    }
    const crlIssuers = dss.crls.map((der) => pkijs.CertificateRevocationList.fromBER(der).issuer.toString());
    for (const ca of [f.pki.caDer, f.pki.rootDer]) {
      // The CA's status is on its issuer's CRL; the root's own CRL is there too.
      expect(crlIssuers).toContain(pkijs.Certificate.fromBER(ca).subject.toString());
    }
    const certs = new Set(dss.certs.map((c) => Buffer.from(c).toString('hex')));
    for (const c of [f.pki.ecSigner.certificate, f.pki.rsaSigner.certificate, f.pki.tsa.der, f.pki.caDer, f.pki.rootDer, f.pki.ocsp.der]) {
      expect(certs).toContain(Buffer.from(c).toString('hex'));
    }
  });

  it('changes nothing when the DSS already holds the same material', async () => {
    const material = { certificates: [f.pki.caDer], crls: f.pki.crls, ocspResponses: [] };
    expect(await addValidationData(lt, { revocation: material })).toBe(lt);
  });

  it('extends an existing DSS with new material in a further revision', async () => {
    const more = await addValidationData(lta, { revocation: f.pki.revocation });
    expect(more.subarray(0, lta.length)).toEqual(lta);
    const before = (await readDss(lta))!;
    const after = (await readDss(more))!;
    // Fresh OCSP responses (new producedAt) are added; CRLs and certificates already there are not repeated.
    expect(after.crls.length).toBe(before.crls.length);
    expect(after.certs.length).toBe(before.certs.length);
    expect(after.ocsps.length).toBeGreaterThan(before.ocsps.length);
  });

  it.skipIf(skipWithout('tests/pades/long-term', ...PDFSIG))('leaves both CAdES signatures valid for pdfsig after the DSS and the document time-stamp', async () => {
    const { output, signatures } = await pdfsig(lta, f.nssDir);
    expect(signatures, output).toHaveLength(3);
    expect(signatures.slice(0, 2).map((s) => [s.signatureValid, s.certificateTrusted]), output).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(signatures[2]!.totalDocument, output).toBe(true);
  });
});
