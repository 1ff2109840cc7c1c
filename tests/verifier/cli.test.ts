/**
 * `zhengyin verify` (issue #3, Deliver 5): exit 4 unreadable input; else 3 no signature;
 * else 1 any TOTAL_FAILED or disallowed change; else 2 any INDETERMINATE; else 0. Usage
 * errors are 64 (EX_USAGE). It needs no database. Several files or a folder (issue #10,
 * Deliver 7): one line per file, a summary line, and the worst exit code in that order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhengyin as runCli } from '../support/cli.ts';
import { corpusPath, loadCorpus, type CorpusVerdict } from './support/corpus.ts';
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

describe('zhengyin verify with several files (issue #10)', () => {
  const trust = (): string[] => ['--trust', file('root.pem'), '--crl', file('int.crl'), '--crl', file('root.crl'), '--at', T0.toISOString()];
  const lines = (stdout: string): string[] => stdout.trimEnd().split('\n');

  beforeAll(() => {
    fs.mkdirSync(file('batch/sub'), { recursive: true });
    fs.copyFileSync(file('signed.pdf'), file('batch/a-signed.pdf'));
    fs.copyFileSync(file('unsigned.pdf'), file('batch/b-unsigned.PDF'));
    fs.writeFileSync(file('batch/notes.txt'), 'not a PDF, and not named like one');
    fs.copyFileSync(file('tampered.pdf'), file('batch/sub/c-tampered.pdf'));
  });

  it('good and missing files: one line each in order, a summary, exit 4 (unreadable is the worst)', async () => {
    const r = await zhengyin(file('signed.pdf'), file('missing.pdf'), file('signed.pdf'), ...trust());
    expect(r.code).toBe(4);
    const out = lines(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toBe(`${file('signed.pdf')}: VALID Sig1=INTACT:TRUSTED,UNTOUCHED`);
    expect(out[1]!.startsWith(`${file('missing.pdf')}: UNREADABLE (`)).toBe(true);
    expect(out[1]).toMatch(/ENOENT/);
    expect(out[2]).toBe(out[0]);
    expect(out[3]).toBe('3 files: 1 UNREADABLE, 2 VALID; exit 4 (UNREADABLE)');
  });

  it.each([
    ['valid and tampered → 1', ['signed.pdf', 'tampered.pdf'], 1],
    ['valid and unsigned → 3', ['signed.pdf', 'unsigned.pdf'], 3],
    ['tampered and unsigned → 3', ['tampered.pdf', 'unsigned.pdf'], 3],
    ['all valid → 0', ['signed.pdf', 'signed.pdf'], 0],
  ] as const)('the worst verdict decides: %s', async (_name, names, code) => {
    const r = await zhengyin(...names.map(file), ...trust());
    expect(r.code).toBe(code);
    expect(lines(r.stdout)).toHaveLength(names.length + 1);
  });

  it('a folder: its *.pdf files (any case) in name order, not its subfolders; --recursive adds them', async () => {
    const flat = await zhengyin(file('batch'), ...trust());
    expect(lines(flat.stdout).map((l) => l.split(': ')[0])).toEqual([file('batch/a-signed.pdf'), file('batch/b-unsigned.PDF'), '2 files']);
    expect(flat.code).toBe(3);
    const deep = await zhengyin(file('batch'), '-r', ...trust());
    expect(lines(deep.stdout)[2]).toBe(`${file('batch/sub/c-tampered.pdf')}: INVALID Sig1=INVALID`);
    expect(deep.code).toBe(3);
  });

  it('a folder without PDFs: says so, exit 4', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const none = await zhengyin(empty);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/no PDF or OFD files in .*--recursive/);
    expect(none.stdout).toBe('');
  });

  it('--json: one JSON object per line, each with its file, verdict, exit and report, then the summary', async () => {
    const r = await zhengyin(file('signed.pdf'), file('missing.pdf'), file('tampered.pdf'), ...trust(), '--json');
    const records = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((x) => [x.file, x.verdict, x.exit])).toEqual([
      [file('signed.pdf'), 'VALID', 0],
      [file('missing.pdf'), 'UNREADABLE', 4],
      [file('tampered.pdf'), 'INVALID', 1],
      [undefined, undefined, undefined],
    ]);
    expect((records[0]!.report as { document: { verdict: string } }).document.verdict).toBe('VALID');
    expect(records[1]!.error).toMatch(/ENOENT/);
    expect(records[3]).toEqual({ summary: { files: 3, verdicts: { UNREADABLE: 1, INVALID: 1, VALID: 1 }, worst: 'UNREADABLE', exit: 4 } });
    expect(r.code).toBe(4);
  });

  it('no progress line when stderr is not a terminal', async () => {
    const r = await zhengyin(...Array.from({ length: 6 }, () => file('signed.pdf')), ...trust());
    expect(r.stderr).toBe('');
  });
});

const corpus = loadCorpus();

describe.skipIf(!corpus)('zhengyin verify on the corpus folder (issue #10)', () => {
  /** The exit code each manifest verdict gives for one file (see corpus.test.ts). */
  const EXIT: Record<CorpusVerdict, readonly number[]> = {
    valid: [0], 'invalid-integrity': [1], 'invalid-coverage': [1], untrusted: [2], expired: [2], revoked: [1, 2], 'modified-after-signing': [1], unsigned: [3],
  };

  it('one line per file, each with its expected verdict, and the worst exit code', async () => {
    const c = corpus!;
    const r = await runCli([
      'verify', c.dir, '--json',
      '--trust', corpusPath(c, c.trust.root), '--cert', corpusPath(c, c.trust.intermediate),
      ...c.trust.crls.flatMap((crl) => ['--crl', corpusPath(c, crl)]),
    ]);
    const records = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file?: string; exit?: number; summary?: { files: number; exit: number } });
    const pdfs = fs.readdirSync(c.dir).filter((f) => f.endsWith('.pdf')).sort();
    expect(records.slice(0, -1).map((x) => path.basename(x.file!))).toEqual(pdfs);
    for (const x of records.slice(0, -1)) {
      const entry = c.files.find((f) => corpusPath(c, f.file) === x.file);
      expect(entry, x.file).toBeDefined();
      expect(EXIT[entry!.expected], entry!.file).toContain(x.exit);
    }
    const codes = records.slice(0, -1).map((x) => x.exit!);
    const worst = [4, 3, 1, 2, 0].find((code) => codes.includes(code));
    expect(records.at(-1)!.summary).toMatchObject({ files: pdfs.length, exit: worst });
    expect(r.code).toBe(worst);
  });
});
