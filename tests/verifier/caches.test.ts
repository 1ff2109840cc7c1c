/**
 * The shared caches (parsed certificates, CRLs and PEM options, and signature checks on
 * them) only save work: a report never depends on what an earlier verification left in
 * them. Each document is verified with the caches cleared, again warm, again after other
 * documents, and the reports must be identical; inputs the caller changes in place are
 * read afresh.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearVerifierCaches, verifyPdf, type VerifyOptions } from '../../verifier/index.ts';
import { corpusPath, loadCorpus } from './support/corpus.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { addDss, signDocument, timestampDocument } from './support/sign.ts';

const pki = testPki();
const corpus = loadCorpus();
const hour = 3_600_000;

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly options: VerifyOptions;
}

function fixtures(): Case[] {
  const opts = { trust: pki.trust, crls: pki.crls, at: T0 };
  let lta = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() - 3 * hour) } });
  lta = timestampDocument(addDss(lta, { certs: [pki.intermediate.certificate], crls: pki.crls }), pki.tsa, new Date(T0.getTime() - hour));
  const twice = signDocument(signDocument(newDocument({ xref: 'stream', compress: true }), pki.p256Signer), pki.pssSigner, { hash: 'sha384' });
  return [
    { name: 'B-LTA (RSA, time-stamp, DSS, document time-stamp)', bytes: lta.bytes, options: { trust: pki.trust, at: T0 } },
    { name: 'two signatures, xref streams (P-256, RSASSA-PSS)', bytes: twice.bytes, options: opts },
    { name: 'revoked signer, OCSP in the CMS', bytes: signDocument(newDocument(), pki.revokedSigner, { revocationArchival: { ocsps: [pki.ocsp(pki.revokedSigner, 'revoked')] } }).bytes, options: opts },
    { name: 'P-384, no revocation data', bytes: signDocument(newDocument(), pki.p384Signer, { hash: 'sha384' }).bytes, options: { trust: pki.trust, at: T0 } },
  ];
}

function corpusCases(): Case[] {
  if (!corpus) return [];
  const c = corpus;
  const options = {
    trust: [fs.readFileSync(corpusPath(c, c.trust.root))],
    certificates: [fs.readFileSync(corpusPath(c, c.trust.intermediate))],
    crls: c.trust.crls.map((f) => fs.readFileSync(corpusPath(c, f))),
    at: new Date('2026-12-01T00:00:00Z'),
  };
  return c.files.map((f) => ({ name: f.file, bytes: fs.readFileSync(corpusPath(c, f.file)), options }));
}

const json = async (bytes: Uint8Array, options: VerifyOptions): Promise<string> => JSON.stringify(await verifyPdf(bytes, options));

describe('shared caches', () => {
  const cases = [...corpusCases(), ...fixtures()];

  it('gives the same report cold, warm, and after every other document', async () => {
    for (const c of cases) {
      clearVerifierCaches();
      const cold = await json(c.bytes, c.options);
      expect(await json(c.bytes, c.options), `${c.name}: warm`).toBe(cold);
      for (const other of cases) if (other !== c) await verifyPdf(other.bytes, other.options);
      expect(await json(c.bytes, c.options), `${c.name}: after the others`).toBe(cold);
    }
  });

  it('reads a CRL buffer the caller changed in place afresh', async () => {
    const doc = signDocument(newDocument(), pki.revokedSigner);
    const crls = pki.crls.map((c) => new Uint8Array(c));
    const first = (await verifyPdf(doc.bytes, { trust: pki.trust, crls, at: T0 })).signatures[0]!;
    expect(first.subIndication).toBe('REVOKED_NO_POE');
    // One byte of the intermediate's CRL signature, away from its ends: same length, no longer signed.
    const crl = crls[0]!;
    crl[crl.length - 40] = crl[crl.length - 40]! ^ 0x01;
    const warm = await json(doc.bytes, { trust: pki.trust, crls, at: T0 });
    clearVerifierCaches();
    const cold = await json(doc.bytes, { trust: pki.trust, crls, at: T0 });
    expect(warm).toBe(cold);
    expect(JSON.parse(warm).signatures[0].subIndication).toBe('TRY_LATER');
  });

  it('reads a trust anchor the caller changed in place afresh', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner);
    const root = new Uint8Array(pki.trust[0]!);
    const before = await verifyPdf(doc.bytes, { trust: [root], crls: pki.crls, at: T0 });
    // A byte of the root's own signature: still the same key and name, another certificate.
    root[root.length - 40] = root[root.length - 40]! ^ 0x01;
    const after = await verifyPdf(doc.bytes, { trust: [root], crls: pki.crls, at: T0 });
    const anchor = (r: typeof before): string | undefined => r.signatures[0]!.certificatePath.at(-1)?.sha256;
    expect(anchor(after)).not.toBe(anchor(before));
    clearVerifierCaches();
    expect(JSON.stringify(await verifyPdf(doc.bytes, { trust: [root], crls: pki.crls, at: T0 }))).toBe(JSON.stringify(after));
  });
});
