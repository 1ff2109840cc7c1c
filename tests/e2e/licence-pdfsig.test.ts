import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { DEMO_DEPARTMENTS, issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { BUSINESS_LICENCE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { findSignatures, readDss, signedDataOf } from '../support/inspect.ts';
import { opensslAsync, useScratchDir } from '../support/openssl.ts';
import { nssDatabase, pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { skipWithout } from '../support/tools.ts';

/**
 * Issue 2's acceptance: a licence issued through the service, against the real database
 * and with the service's CRL/OCSP/TSA endpoints up, judged by tools that are not ours.
 */
describe.skipIf(skipWithout('tests/e2e/licence-pdfsig', ...PDFSIG, 'openssl'))('an issued licence, judged by pdfsig and openssl', () => {
  const t = useTestApp();
  const scratch = useScratchDir();
  let nss: { dir: string; dispose(): void };
  let licence: Uint8Array;
  let rootPem: string;

  beforeAll(async () => {
    await t.app.seedDemo();
    rootPem = await (await fetch(new URL('pki/root.pem', t.url))).text();
    nss = nssDatabase(rootPem);
    ({ pdf: licence } = await issueDemoLicence(t.app.services));
  });
  afterAll(() => nss?.dispose());

  it('has every seal signature valid and trusted, and the last revision covering the whole file', async () => {
    const { output, signatures } = await pdfsig(licence, nss.dir);

    const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
    expect(seals, output).toHaveLength(2);
    for (const s of seals) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    expect(signatures.at(-1)!.block).toContain('DocTimeStamp1');
    expect(signatures.at(-1)!.totalDocument).toBe(true);
  });

  /** Every seal signature of `pdf` valid and trusted in pdfsig, `count` of them, one signature (pdfsig lists them in field order) covering the whole file. */
  async function expectSealsValid(pdf: Uint8Array, count: number) {
    const { output, signatures } = await pdfsig(pdf, nss.dir);
    const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
    expect(seals, output).toHaveLength(count);
    for (const s of seals) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    expect(signatures.filter((s) => s.totalDocument), output).toHaveLength(1);
    return signatures;
  }

  it('has every seal valid with two joint seals, each in the field the certified revision already held', async () => {
    const joints = [(await t.app.services.seals.activeSealOf('xzsp'))!.id, (await t.app.services.seals.activeSealOf('gjj'))!.id];
    const { pdf } = await t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, jointSealIds: joints });

    const signatures = await expectSealsValid(pdf, 3);
    expect(signatures.map((s) => /Signature Field Name: (\S+)/.exec(s.block)?.[1])).toEqual(['Seal1', 'Seal2', 'Seal3', 'DocTimeStamp1']);
    // The fields were there, empty, before the issuer certified: the rendered revision holds all three.
    const rendered = pdf.subarray(0, Buffer.from(pdf).indexOf('%%EOF'));
    expect(Buffer.from(rendered).toString('latin1').match(/\/FT \/Sig/g)).toHaveLength(3);
  });

  it('keeps every signature valid when a seal fills the field kept for it after issuance', async () => {
    const { pdf } = await t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, reservedSeals: 1 });
    const seal = (await t.app.services.seals.activeSealOf('gjj'))!;

    const sealed = await t.app.services.seals.apply(OPERATOR, seal.id, pdf, { field: 'Seal2' }, t.app.services.pki.timestampAuthority());

    expect(Buffer.from(sealed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
    const signatures = await expectSealsValid(sealed, 2);
    expect(signatures.find((s) => s.totalDocument)!.block).toContain('Signature Field Name: Seal2');
  });

  it('refuses a new visible field on the certified licence with a typed error naming the alternatives, returning nothing', async () => {
    const seal = (await t.app.services.seals.activeSealOf('gjj'))!;
    const copy = Uint8Array.from(licence);
    const kept = (await t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, reservedSeals: 1 })).pdf;

    await expect(t.app.services.seals.apply(OPERATOR, seal.id, licence, { page: 0, x: 60, y: 60 }, t.app.services.pki.timestampAuthority())).rejects.toMatchObject({
      name: 'NewFieldAfterCertificationError',
      code: 'NEW_FIELD_AFTER_CERTIFICATION',
      freeFields: [],
      message: expect.stringMatching(/certified by the signature in "Seal1".*pyHanko.*sign invisibly.*--allow-new-field/),
    });
    await expect(t.app.services.seals.apply(OPERATOR, seal.id, kept, { page: 0, x: 60, y: 60 }, t.app.services.pki.timestampAuthority())).rejects.toMatchObject({
      code: 'NEW_FIELD_AFTER_CERTIFICATION',
      freeFields: ['Seal2'],
      message: expect.stringContaining('"Seal2"'),
    });
    expect(licence).toEqual(copy);
  });

  it("with allowNewField keeps both signatures valid in pdfsig after another department's seal is appended, the new one covering the whole file", async () => {
    const fund = DEMO_DEPARTMENTS.find((d) => d.id === 'gjj')!;
    const seal = (await t.app.services.seals.activeSealOf(fund.id))!;
    const sealed = await t.app.services.seals.apply(OPERATOR, seal.id, licence, { page: 0, x: 60, y: 60, allowNewField: true }, t.app.services.pki.timestampAuthority());

    expect(Buffer.from(sealed.subarray(0, licence.length)).equals(Buffer.from(licence))).toBe(true);
    const { output, signatures } = await pdfsig(sealed, nss.dir);
    const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
    expect(seals, output).toHaveLength(3);
    for (const s of seals) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    expect(signatures.at(-1)!.totalDocument, output).toBe(true);
    expect(signatures.at(-1)!.block).toContain(fund.name);
  });

  it('detects a one-byte change in the signed bytes (pdfsig)', async () => {
    const tampered = Uint8Array.from(licence);
    const at = Buffer.from(licence).indexOf('/MediaBox');
    tampered[at + 1] = tampered[at + 1]! ^ 0x01;

    const { signatures } = await pdfsig(tampered, nss.dir);

    expect(signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached').every((s) => !s.signatureValid)).toBe(true);
  });

  it('B-LTA: the document time-stamp token passes openssl ts -verify over its ByteRange bytes', async () => {
    const last = findSignatures(licence).at(-1)!;
    expect(last.byteRange[2] + last.byteRange[3]).toBe(licence.length);

    const result = await opensslAsync([
      'ts', '-verify', '-in', scratch.file('token.der', last.der), '-token_in',
      '-data', scratch.file('covered.bin', last.covered), '-CAfile', scratch.file('root.pem', rootPem),
    ]);

    expect(result.stdout + result.stderr).toContain('Verification: OK');
  });

  it('B-LT: every CRL and OCSP response in the /DSS verifies with openssl and covers the signers’ and the TSA’s chains', async () => {
    const dss = (await readDss(licence))!;
    expect(dss.crls.length + dss.ocsps.length).toBeGreaterThan(0);
    const bundle = scratch.file('bundle.pem', [rootPem, ...dss.certs.map(pem)].join(''));

    for (const [i, crl] of dss.crls.entries()) {
      const r = await opensslAsync(['crl', '-inform', 'DER', '-in', scratch.file(`crl-${i}.der`, crl), '-CAfile', bundle, '-noout']);
      expect(r.stderr, `CRL ${i}`).toContain('verify OK');
    }
    for (const [i, ocsp] of dss.ocsps.entries()) {
      const r = await opensslAsync(['ocsp', '-respin', scratch.file(`ocsp-${i}.der`, ocsp), '-CAfile', bundle]);
      expect(r.stdout + r.stderr, `OCSP ${i}`).toContain('Response verify OK');
    }

    // Every non-root certificate of each seal's chain and of the TSA's must have a CRL from
    // its issuer or an OCSP answer for it in the DSS.
    const certsToCover = new Map<string, X509Certificate>();
    for (const sig of findSignatures(licence)) {
      const signed = signedDataOf(sig.der);
      for (const c of signed.certificates ?? []) {
        const x = new X509Certificate(Buffer.from((c as pkijs.Certificate).toSchema().toBER()));
        if (x.subject !== x.issuer) certsToCover.set(x.fingerprint256, x);
      }
    }
    const byName = (subject: string) => [...dss.certs.map((d) => new X509Certificate(d)), new X509Certificate(rootPem)].find((c) => c.subject === subject);
    expect([...certsToCover.values()].some((c) => c.subject.includes('zhengyin TSA'))).toBe(true);
    for (const cert of certsToCover.values()) {
      const issuer = byName(cert.issuer);
      expect(issuer, `issuer of ${cert.subject} in the DSS`).toBeDefined();
      expect(cert.verify(issuer!.publicKey)).toBe(true);
      const issuerName = Buffer.from(pkijs.Certificate.fromBER(issuer!.raw).subject.toSchema().toBER());
      const crlCovers = dss.crls.map((crl) => Buffer.from(pkijs.CertificateRevocationList.fromBER(crl).issuer.toSchema().toBER()).equals(issuerName));
      const ocspCovers = await Promise.all(
        dss.ocsps.map(async (ocsp, i) => {
          const r = await opensslAsync([
            'ocsp', '-respin', scratch.file(`o-${i}.der`, ocsp), '-CAfile', bundle,
            '-issuer', scratch.file(`i-${i}.pem`, issuer!.toString()), '-cert', scratch.file(`e-${i}.pem`, cert.toString()),
          ]);
          return /: good/.test(r.stdout);
        }),
      );
      expect(crlCovers.includes(true) || ocspCovers.includes(true), `revocation data for ${cert.subject}`).toBe(true);
    }
  });
});

const pem = (der: Uint8Array) => new X509Certificate(der).toString();
