import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Tool } from './tools.ts';

// poppler's pdfsig, an independent judge of PDF signatures, trusting roots through an NSS
// database made with certutil.

const run = promisify(execFile);

/** What a pdfsig judgement needs: `skipWithout(scope, ...PDFSIG)`, `hasTools(...PDFSIG)`. */
export const PDFSIG: readonly Tool[] = ['pdfsig', 'certutil'];

/** One signature as pdfsig reports it. */
export interface PdfsigSignature {
  readonly index: number;
  readonly block: string;
  readonly signatureValid: boolean;
  readonly certificateTrusted: boolean;
  readonly totalDocument: boolean;
  readonly subFilter: string | undefined;
}

/** An NSS database trusting `rootPem` as a CA, made with certutil. */
export function nssDatabase(rootPem: string): { dir: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-nss-'));
  fs.writeFileSync(path.join(dir, 'root.pem'), rootPem);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-n', 'root', '-t', 'CT,C,C', '-i', path.join(dir, 'root.pem'), '-d', `sql:${dir}`]);
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `pdfsig -nssdir sql:DIR` on `pdf` and parses its report. */
export async function pdfsig(pdf: Uint8Array, nssDir: string): Promise<{ output: string; signatures: PdfsigSignature[] }> {
  const file = path.join(nssDir, `doc-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  let output: string;
  try {
    const r = await run('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
    output = r.stdout + r.stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    output = (err.stdout ?? '') + (err.stderr ?? '');
  } finally {
    fs.rmSync(file, { force: true });
  }
  const blocks = output.split(/^Signature #/m).slice(1);
  const signatures = blocks.map((b, i) => ({
    index: i + 1,
    block: b,
    signatureValid: /Signature Validation: Signature is Valid\./.test(b),
    certificateTrusted: /Certificate Validation: Certificate is Trusted\./.test(b),
    totalDocument: /The signature form field is signed by the total document|Total document signed/.test(b),
    subFilter: /Signature Type: (\S+)/.exec(b)?.[1],
  }));
  return { output, signatures };
}
