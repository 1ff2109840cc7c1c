/**
 * Every file of the shared corpus (made by pyHanko and openssl, not by us) reaches the
 * verdict its manifest gives — through the library and through `zhengyin verify`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyPdf, type SignatureReport, type VerificationReport } from '../../verifier/index.ts';
import { zhengyin } from '../support/cli.ts';
import { corpusPath, loadCorpus, type CorpusVerdict } from './support/corpus.ts';

const corpus = loadCorpus();

/** What each manifest verdict means in our report, and the exit code `zhengyin verify` gives. */
const MEANING: Record<CorpusVerdict, { exit: readonly number[]; holds: (r: VerificationReport) => boolean }> = {
  valid: {
    exit: [0],
    holds: (r) => r.document.verdict === 'VALID' && r.signatures.every((s) => s.indication === 'TOTAL_PASSED' && s.modificationAllowed),
  },
  'invalid-integrity': {
    exit: [1],
    holds: (r) => r.signatures.some((s) => s.indication === 'TOTAL_FAILED' && ['HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'FORMAT_FAILURE'].includes(s.subIndication ?? '')),
  },
  'invalid-coverage': {
    exit: [1],
    holds: (r) => r.signatures.some((s) => s.subIndication === 'FORMAT_FAILURE' && (s.coverage === 'UNCLEAR' || s.coverage === 'CONTIGUOUS_BLOCK_FROM_START')),
  },
  untrusted: {
    exit: [2],
    holds: (r) => r.signatures.some((s) => s.intact && s.valid && s.indication === 'INDETERMINATE' && ['NO_CERTIFICATE_CHAIN_FOUND', 'CHAIN_CONSTRAINTS_FAILURE'].includes(s.subIndication ?? '')),
  },
  expired: {
    exit: [2],
    holds: (r) => r.signatures.some((s) => s.intact && s.valid && s.indication === 'INDETERMINATE' && s.subIndication === 'OUT_OF_BOUNDS_NO_POE'),
  },
  revoked: {
    exit: [1, 2],
    holds: (r) => r.signatures.some((s: SignatureReport) => s.intact && s.valid && (s.subIndication === 'REVOKED_NO_POE' || s.subIndication === 'REVOKED')),
  },
  'modified-after-signing': {
    exit: [1],
    holds: (r) => r.document.verdict === 'INVALID' && r.signatures.some((s) => s.intact && s.valid && s.modification === 'OTHER' && !s.modificationAllowed),
  },
  unsigned: { exit: [3], holds: (r) => r.document.verdict === 'UNSIGNED' && r.signatures.length === 0 },
};

describe.skipIf(!corpus)('corpus (manifest verdicts)', () => {
  const c = corpus!;
  const trust = () => [fs.readFileSync(corpusPath(c, c.trust.root))];
  const certificates = () => [fs.readFileSync(corpusPath(c, c.trust.intermediate))];
  const crls = () => c.trust.crls.map((f) => fs.readFileSync(corpusPath(c, f)));

  it('maps every verdict name the manifest uses', () => {
    for (const name of Object.keys(c.verdicts)) expect(MEANING, `verdict ${name}`).toHaveProperty(name);
  });

  it.each((corpus?.files ?? []).map((f) => [f.file, f] as const))('%s: library verdict', async (_name, f) => {
    const bytes = fs.readFileSync(corpusPath(c, f.file));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    const report = await verifyPdf(bytes, { trust: trust(), certificates: certificates(), crls: crls() });
    const accepted = [f.expected, ...f.acceptable_alternatives];
    const reached = accepted.filter((v) => MEANING[v].holds(report));
    expect(reached, JSON.stringify(report.signatures.map((s) => [s.fieldName, s.indication, s.subIndication, s.modification, s.problems]))).not.toEqual([]);
    expect(report.signatures.map((s) => s.fieldName)).toEqual(f.signatures.map((s) => s.field));
  });

  it.each((corpus?.files ?? []).map((f) => [f.file, f] as const))('%s: zhengyin verify exit code', async (_name, f) => {
    const args = [
      'verify', corpusPath(c, f.file),
      '--trust', corpusPath(c, c.trust.root), '--cert', corpusPath(c, c.trust.intermediate),
      ...c.trust.crls.flatMap((crl) => ['--crl', corpusPath(c, crl)]),
    ];
    const { code } = await zhengyin(args);
    expect(MEANING[f.expected].exit).toContain(code);
  });

  it('--json prints the same report the library returns', async () => {
    const f = c.files.find((x) => x.expected === 'valid')!;
    const { stdout } = await zhengyin(['verify', corpusPath(c, f.file), '--trust', corpusPath(c, c.trust.root), '--json']);
    const report = JSON.parse(stdout) as VerificationReport;
    expect(report.signatures[0]!.intact).toBe(true);
    expect(report.signatures[0]!.signer?.commonName).toContain('XVerify');
  });
});
