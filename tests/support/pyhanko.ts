import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// pyHanko, the strictest independent judge of PDF signatures we have: PAdES levels,
// DocMDP/FieldMDP and a whitelist analysis of every incremental update. PyPI is not
// reachable here, so it runs from source trees named by ZHENGYIN_PYHANKO (see README, Tests).

const run = promisify(execFile);

/** The variable naming pyHanko: a PYTHONPATH-style list of the pyHanko and pyhanko-certvalidator source trees. */
export const PYHANKO_VARIABLE = 'ZHENGYIN_PYHANKO';
/** Debian's Python: pyHanko 0.20.1 runs on its packaged cryptography, asn1crypto, … */
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pyhanko_validate.py');
const DEBIAN_PACKAGES =
  'python3-cryptography python3-asn1crypto python3-tzlocal python3-requests python3-lxml python3-yaml python3-click python3-qrcode python3-oscrypto python3-uritools python3-certifi python3-platformdirs python3-fonttools python3-pil python3-aiohttp python3-defusedxml';

/** One signature or document time-stamp as pyHanko judges it. */
export interface PyhankoSignature {
  readonly field: string;
  /** 'Sig' or 'DocTimeStamp'. */
  readonly type: string | null;
  readonly intact: boolean;
  readonly valid: boolean;
  readonly trusted: boolean;
  /** pyHanko's ModificationLevel: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER. */
  readonly modificationLevel: string | null;
  /** Whether the changes after this signature are within what its DocMDP (or the certification) allows. */
  readonly docmdpOk: boolean | null;
  /** pyHanko's SignatureCoverageLevel: ENTIRE_FILE, ENTIRE_REVISION, CONTIGUOUS_BLOCK_FROM_START, UNCLEAR. */
  readonly coverage: string | null;
  readonly bottomLine: boolean;
  /** The reason the difference analysis gave, when it found a disallowed change. */
  readonly diff: string | null;
  /** pyHanko's own report of the signature, for assertion messages. */
  readonly details: string;
  /** Set when pyHanko could not judge the signature at all. */
  readonly error?: string;
}

let reason: string | null | undefined;

/** Why pyHanko cannot run here, or null when it can (checked once per process, by importing it). */
function unavailable(): string | null {
  if (reason !== undefined) return reason;
  const trees = process.env[PYHANKO_VARIABLE];
  if (!trees) return (reason = `${PYHANKO_VARIABLE} is not set (a PYTHONPATH-style list of the pyHanko v0.20.1 and certvalidator v0.24.1 source trees; see README, Tests)`);
  if (!fs.existsSync(PYTHON)) return (reason = `${PYTHON} is missing (Debian: apt-get install python3 ${DEBIAN_PACKAGES})`);
  try {
    const probe = spawnSync(PYTHON, ['-c', 'import pyhanko, pyhanko_certvalidator; print(pyhanko.__version__)'], {
      env: { ...process.env, PYTHONPATH: trees },
      encoding: 'utf8',
    });
    if (probe.status !== 0) return (reason = `pyHanko does not import from ${PYHANKO_VARIABLE}=${trees}: ${String(probe.stderr).trim().split('\n').at(-1)} (Debian: apt-get install ${DEBIAN_PACKAGES})`);
  } catch (e) {
    return (reason = `pyHanko does not start: ${(e as Error).message}`);
  }
  return (reason = null);
}

/**
 * Why the tests of `scope` cannot run here, or undefined when pyHanko can. A reason is
 * printed as a loud warning, so a skip is never silent. Made for `describe.skipIf` /
 * `it.skipIf`, like `skipWithout` in tools.ts.
 */
export function skipWithoutPyhanko(scope: string): string | undefined {
  const why = unavailable();
  if (why === null) return undefined;
  console.warn(`SKIPPED ${scope}: ${why}`);
  return why;
}

/** Whether pyHanko can run here (no warning; use {@link skipWithoutPyhanko} to skip a test). */
export const hasPyhanko = (): boolean => unavailable() === null;

/** What pyHanko trusts and knows: the root, and the CRLs and OCSP responses it may use (nothing is fetched). */
export interface PyhankoEvidence {
  /** Trust anchors, DER or PEM. */
  readonly roots: readonly (Uint8Array | string)[];
  readonly crls?: readonly Uint8Array[];
  readonly ocsps?: readonly Uint8Array[];
  /** @default 'hard-fail': a certificate without a revocation answer is not trusted. */
  readonly revocationMode?: 'hard-fail' | 'soft-fail';
}

/**
 * Validates every signature and document time-stamp of `pdf` with pyHanko's
 * `validate_pdf_signature` / `validate_pdf_timestamp` (difference analysis included).
 * @returns one entry per signature, in file order.
 */
export async function pyhankoValidate(pdf: Uint8Array, evidence: PyhankoEvidence): Promise<PyhankoSignature[]> {
  const why = unavailable();
  if (why !== null) throw new Error(`pyHanko unavailable: ${why}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-pyhanko-'));
  try {
    const file = (name: string, data: Uint8Array | string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, data);
      return p;
    };
    const args = [SCRIPT, '--pdf', file('doc.pdf', pdf), '--revocation-mode', evidence.revocationMode ?? 'hard-fail'];
    evidence.roots.forEach((r, i) => args.push('--root', file(`root${i}`, r)));
    (evidence.crls ?? []).forEach((c, i) => args.push('--crl', file(`crl${i}.der`, c)));
    (evidence.ocsps ?? []).forEach((o, i) => args.push('--ocsp', file(`ocsp${i}.der`, o)));
    const { stdout } = await run(PYTHON, args, {
      env: { ...process.env, PYTHONPATH: process.env[PYHANKO_VARIABLE] },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    return (JSON.parse(stdout) as { signatures: PyhankoSignature[] }).signatures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-line summary of a judgement, for assertion messages. */
export const describePyhanko = (signatures: readonly PyhankoSignature[]): string =>
  signatures
    .map((s) => `${s.field}: ${s.error ?? `intact=${s.intact} valid=${s.valid} trusted=${s.trusted} level=${s.modificationLevel} docmdp=${s.docmdpOk} coverage=${s.coverage}${s.diff ? ` diff=${s.diff}` : ''}`}`)
    .join('\n') + '\n' + signatures.map((s) => s.details ?? '').join('\n');
