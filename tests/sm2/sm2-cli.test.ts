import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, SM2_WITH_SM3 } from '../../signer/index.ts';
import { Cert } from '../../verifier/pki/certificate.ts';
import { Crl } from '../../verifier/pki/crl.ts';
import { zhengyin as runCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';
import { useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { opensslVerifiesSm2, signedParts } from './openssl-sm2.ts';

const noOpenssl = skipWithout('tests/sm2/sm2-cli', 'openssl');

describe('zhengyin seal create --algorithm sm2, ca export-root --sm2, ca crl --sm2 (separate processes on one database)', () => {
  const t = useTestDatabase();
  const scratch = useScratchDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-sm2-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const zhengyin = (...args: string[]) => runCli(args, { ...process.env, DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_LOG_FORMAT: 'json' });

  beforeAll(async () => {
    await t.db.prisma.department.create({ data: { id: 'D-SM2', name: '市场监督管理局', uscc: '11100000000013338W' } });
  });

  it('makes an SM2 seal whose certificate chains to the SM2 root, and prints that root and the department SM2 CA’s CRL', async () => {
    const made = await zhengyin('seal', 'create', '--department', 'D-SM2', '--title', 'SM2专用章', '--algorithm', 'sm2');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('(SM2)');
    const root = scratch.file('sm2-root.der');
    expect((await zhengyin('ca', 'export-root', '--sm2', '--der', '--out', root)).code).toBe(0);
    const rootDer = new Uint8Array(fs.readFileSync(root));
    expect(parseCertificate(rootDer).keyAlgorithm).toBe('SM2');
    const caRow = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'sm2-department-ca', departmentId: 'D-SM2' } });
    const sealRow = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'seal', departmentId: 'D-SM2' } });
    const [seal, ca, r] = [sealRow.der, caRow.der, rootDer].map((d) => Cert.fromDer(new Uint8Array(d)));
    expect(seal!.issuedBy(ca!) && ca!.issuedBy(r!)).toBe(true);

    const out = scratch.file('sm2.crl');
    expect((await zhengyin('ca', 'crl', '--ca', 'D-SM2', '--sm2', '--der', '--out', out)).code).toBe(0);
    const crl = new Uint8Array(fs.readFileSync(out));
    expect(Crl.fromDer(crl)!.crl.signatureAlgorithm.algorithmId).toBe(SM2_WITH_SM3);
    expect(Crl.fromDer(crl)!.answer(seal!, ca!, new Date())).toMatchObject({ status: 'GOOD' });
    if (!noOpenssl) expect(opensslVerifiesSm2(signedParts(crl).tbs, signedParts(crl).signature, new Uint8Array(caRow.der))).toBe(true);
  });

  it('refuses an algorithm it does not make, and --algorithm with --certificate', async () => {
    const bad = await zhengyin('seal', 'create', '--department', 'D-SM2', '--algorithm', 'rsa-1024');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--algorithm: one of ec-p256, sm2');
    const both = await zhengyin('seal', 'create', '--department', 'D-SM2', '--algorithm', 'sm2', '--certificate', 'x');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('no --algorithm with it');
  });
});
