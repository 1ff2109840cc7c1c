import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { DEMO_DEPARTMENTS, issueDemoLicence } from '../../gateway/services/demo-data.ts';
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

  it("keeps both signatures valid after another department's seal is appended, the new one covering the whole file", async () => {
    const fund = DEMO_DEPARTMENTS.find((d) => d.id === 'gjj')!;
    const seal = (await t.app.services.seals.activeSealOf(fund.id))!;
    const sealed = await t.app.services.seals.apply(OPERATOR, seal.id, licence, { page: 0, x: 60, y: 60 }, t.app.services.pki.timestampAuthority());

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
