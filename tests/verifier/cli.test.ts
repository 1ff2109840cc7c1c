/**
 * `zhengyin verify` (issue #3, Deliver 5): exit 4 unreadable input; else 3 no signature;
 * else 1 any TOTAL_FAILED or disallowed change; else 2 any INDETERMINATE; else 0. Usage
 * errors are 64 (EX_USAGE). It needs no database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhengyin as runCli } from '../support/cli.ts';
import { flipByte, offsetOf } from './support/bytes.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';
import { toPem } from './support/x509.ts';

const pki = testPki();
let dir = '';
const file = (name: string): string => path.join(dir, name);

/** `zhengyin verify …args`, with a database that cannot be reached: verify needs none. */
const zhengyin = (...args: string[]) => runCli(['verify', ...args], { DATABASE_URL: 'postgres://nowhere.invalid/none' });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-cli-'));
  const signed = signDocument(newDocument(), pki.rsaSigner).bytes;
  fs.writeFileSync(file('signed.pdf'), signed);
  fs.writeFileSync(file('tampered.pdf'), flipByte(signed, offsetOf(signed, 'Electronic licence')));
  fs.writeFileSync(file('unsigned.pdf'), newDocument().bytes);
  fs.writeFileSync(file('garbage.pdf'), 'not a pdf at all');
  fs.writeFileSync(file('root.pem'), toPem(pki.root.certificate));
  fs.writeFileSync(file('int.crl'), pki.crls[0]!);
  fs.writeFileSync(file('root.crl'), toPem(pki.crls[1]!, 'X509 CRL'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zhengyin verify', () => {
  const trust = (): string[] => ['--trust', file('root.pem'), '--crl', file('int.crl'), '--crl', file('root.crl'), '--at', T0.toISOString()];

  it.each([
    ['valid → 0', 'signed.pdf', true, 0],
    ['tampered → 1', 'tampered.pdf', true, 1],
    ['untrusted (no --trust) → 2', 'signed.pdf', false, 2],
    ['unsigned → 3', 'unsigned.pdf', true, 3],
    ['not a PDF → 4', 'garbage.pdf', true, 4],
    ['no such file → 4', 'missing.pdf', true, 4],
  ] as const)('%s', async (_name, name, trusted, code) => {
    const r = await zhengyin(file(name), ...(trusted ? trust() : ['--at', T0.toISOString()]));
    expect(r.code).toBe(code);
  });

  it('prints a clerk-readable report: verdict, signer, path, changes', async () => {
    const r = await zhengyin(file('signed.pdf'), ...trust());
    expect(r.stdout).toMatch(/signed\.pdf: VALID/);
    expect(r.stdout).toMatch(/INTACT:TRUSTED,UNTOUCHED/);
    expect(r.stdout).toMatch(/signer +CN=Test Seal RSA \(电子印章\)/);
    expect(r.stdout).toMatch(/Zhengyin Test Root CA \(trust anchor\)/);
  });

  it('--json prints the report as JSON', async () => {
    const r = await zhengyin(file('signed.pdf'), ...trust(), '--json');
    const report = JSON.parse(r.stdout) as { document: { verdict: string }; signatures: { revocation: { source: string }[] }[] };
    expect(report.document.verdict).toBe('VALID');
    expect(report.signatures[0]!.revocation.map((x) => x.source)).toEqual(['OPTIONS', 'OPTIONS']);
  });

  it.each([
    ['no file', [], /expected at least 1 argument/],
    ['a bad --at', [file('signed.pdf'), '--at', 'yesterday'], /--at/],
    ['a --trust file that does not exist', [file('signed.pdf'), '--trust', file('nope.pem')], /--trust/],
    ['a --trust file that is not a certificate', [file('signed.pdf'), '--trust', file('garbage.pdf')], /trust/],
  ] as const)('usage error: %s', async (_name, args, message) => {
    const r = await zhengyin(...args);
    expect([64, 65]).toContain(r.code);
    expect(r.stderr).toMatch(message);
  });
});
