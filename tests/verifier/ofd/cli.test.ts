/**
 * `zhengyin verify` on OFD (issue #13): the format is read from the bytes, a folder mixing
 * PDF and OFD gives one line per file of either format and the worst exit code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhengyin as runCli } from '../../support/cli.ts';
import { newDocument } from '../support/pdf-writer.ts';
import { T0, testPki } from '../support/pki.ts';
import { signDocument } from '../support/sign.ts';
import { toPem } from '../support/x509.ts';
import { applySeal, newOfd, pageContent, zipOfd } from './support/ofd-builder.ts';
import { sm2Pki } from './support/sm2-pki.ts';

const pki = testPki();
const sm2 = sm2Pki();
let dir = '';
const file = (name: string): string => path.join(dir, name);
const zhengyin = (...args: string[]) => runCli(['verify', ...args], { DATABASE_URL: 'postgres://nowhere.invalid/none' });
const trust = (): string[] => [
  '--trust', file('root.pem'), '--crl', file('int.crl'), '--crl', file('root.crl'),
  '--trust', file('sm2-root.pem'), '--crl', file('sm2-root.crl'), '--at', T0.toISOString(),
];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-ofd-cli-'));
  fs.mkdirSync(file('mixed'));
  const sealed = applySeal(newOfd(), { signer: sm2.signer, maker: sm2.maker });
  fs.writeFileSync(file('mixed/a-signed.pdf'), signDocument(newDocument(), pki.rsaSigner).bytes);
  fs.writeFileSync(file('mixed/b-sealed.ofd'), zipOfd(sealed));
  fs.writeFileSync(file('mixed/c-tampered.ofd'), zipOfd(new Map(sealed).set('Doc_0/Pages/Page_0/Content.xml', pageContent('changed'))));
  fs.writeFileSync(file('mixed/notes.txt'), 'not a document');
  // An OFD under a .pdf name is still read as OFD: the bytes decide.
  fs.writeFileSync(file('misnamed.pdf'), zipOfd(sealed));
  fs.writeFileSync(file('root.pem'), toPem(pki.root.certificate));
  fs.writeFileSync(file('int.crl'), pki.crls[0]!);
  fs.writeFileSync(file('root.crl'), pki.crls[1]!);
  fs.writeFileSync(file('sm2-root.pem'), toPem(sm2.root.certificate));
  fs.writeFileSync(file('sm2-root.crl'), sm2.crl);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zhengyin verify with OFD', () => {
  it('one sealed OFD: its report, with the seal, exit 0', async () => {
    const r = await zhengyin(file('mixed/b-sealed.ofd'), ...trust());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/b-sealed\.ofd: VALID/);
    expect(r.stdout).toMatch(/GB\/T 38540 SES_Signature V4/);
    expect(r.stdout).toMatch(/seal maker +CN=测试印章制作单位.*signature verifies/);
  });

  it('a tampered OFD exits 1; an OFD named .pdf is read as OFD', async () => {
    expect((await zhengyin(file('mixed/c-tampered.ofd'), ...trust())).code).toBe(1);
    const misnamed = await zhengyin(file('misnamed.pdf'), ...trust(), '--json');
    expect(misnamed.code).toBe(0);
    expect(JSON.parse(misnamed.stdout).signatures[0].subFilter).toBe('GB/T 38540 SES_Signature V4');
  });

  it('a folder mixing PDF and OFD: one line per document of either format, the worst exit', async () => {
    const r = await zhengyin(file('mixed'), ...trust());
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/a-signed\.pdf: VALID .*INTACT:TRUSTED,UNTOUCHED/);
    expect(lines[1]).toMatch(/b-sealed\.ofd: VALID Doc_0\/Signs\/Sign_0\/Signature\.xml=INTACT:TRUSTED,UNTOUCHED/);
    expect(lines[2]).toMatch(/c-tampered\.ofd: INVALID .*=INVALID/);
    expect(lines[3]).toBe('3 files: 1 INVALID, 2 VALID; exit 1 (INVALID)');
    expect(r.code).toBe(1);
  });
});
