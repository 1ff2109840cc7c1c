import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { verifyOfd } from '../../verifier/index.ts';
import { pki } from '../ofd/support.ts';
import { bcPassed, judgeOfdBytesWithBouncyCastle, skipWithoutBouncyCastle } from '../support/bouncycastle.ts';
import { zhengyin } from '../support/cli.ts';
import { useTestApp } from '../support/app.ts';
import { applySeal, newOfd, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { issueSm2Crl } from '../verifier/ofd/support/sm2-pki.ts';

const noBouncyCastle = skipWithoutBouncyCastle('tests/seal/seal-apply-ofd (BouncyCastle as OFD judge)');

describe('zhengyin seal apply on an OFD another seal system sealed', () => {
  const t = useTestApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-ofdseal-'));
  const file = (name: string) => path.join(dir, name);
  // The CLI as its own process, on the test app's database and data folder (its KEK); the app serves CRLs and OCSP.
  const env = () => ({ DATABASE_URL: t.config.databaseUrl!, ZHENGYIN_DATA_DIR: t.config.dataDir, ZHENGYIN_LOG_FORMAT: 'json', ZHENGYIN_DEV: '1' });
  const foreign = zipOfd(applySeal(newOfd(), { signer: pki.signer, maker: pki.maker }));
  let sm2Seal: string;
  let ecSeal: string;
  let trust: Uint8Array[];
  let departmentCa: Uint8Array;
  let ourCrls: Uint8Array[];
  /** Both hierarchies trusted, with current CRLs: the other vendor's made here, ours as our PKI publishes them. */
  const judging = () => ({ trust, certificates: [departmentCa], crls: [issueSm2Crl(pki.root, new Date(Date.now() - 3600_000), new Date(Date.now() + 30 * 86400_000)), ...ourCrls] });

  beforeAll(async () => {
    await t.app.seedDemo();
    sm2Seal = (await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: 'OFD专用章', algorithm: 'SM2' })).id;
    ecSeal = (await t.app.services.seals.activeSealOf('gjj'))!.id;
    trust = [pki.root.certificate, await t.app.services.pki.sm2RootCertificate()];
    const caId = (await t.app.services.pki.findDepartmentCa('gjj', 'SM2'))!;
    departmentCa = await t.app.services.pki.caCertificate(caId);
    ourCrls = [(await t.app.services.pki.currentCrl(caId)).der, (await t.app.services.pki.currentCrl(await t.app.services.pki.sm2RootCertificateId())).der];
    fs.writeFileSync(file('received.ofd'), foreign);
  });

  const audited = (outcome: string) => t.db.prisma.auditEntry.count({ where: { action: 'seal.apply', outcome } });

  it('adds our SM2 seal at the lower right of the last page; the other vendor\'s V4 seal and ours both pass, by our verifier and BouncyCastle', async () => {
    // The name says PDF; the bytes say OFD.
    fs.copyFileSync(file('received.ofd'), file('received-named.pdf'));
    const r = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('received-named.pdf'), '--out', file('sealed.ofd')], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('OFD');
    const sealed = new Uint8Array(fs.readFileSync(file('sealed.ofd')));

    const before = unzipSync(foreign);
    const after = unzipSync(sealed);
    for (const [name, data] of Object.entries(before)) {
      if (name.endsWith('Signatures.xml')) continue;
      expect(Buffer.from(after[name]!).equals(Buffer.from(data)), name).toBe(true);
    }
    const ours = Object.keys(after).find((n) => n.endsWith('Sign_1/Signature.xml'))!;
    // A4, 20 mm in from the right and bottom edges.
    const [x, y, w, h] = /Boundary="([^"]+)"/.exec(Buffer.from(after[ours]!).toString())![1]!.split(' ').map(Number);
    expect(x! + w!).toBeCloseTo(190, 3);
    expect(y! + h!).toBeCloseTo(277, 3);

    const report = await verifyOfd(sealed, judging());
    expect(report.signatures.map((s) => [s.indication, s.changes])).toEqual([['TOTAL_PASSED', []], ['TOTAL_PASSED', []]]);
    expect(report.document.verdict).toBe('VALID');
    expect(await audited('ok')).toBe(1);
    if (!noBouncyCastle) {
      const judged = await judgeOfdBytesWithBouncyCastle(sealed);
      expect(judged.map(bcPassed), JSON.stringify(judged)).toEqual([true, true]);
    }
  });

  it('places a seal where asked, in millimetres from the top-left of a page, and sidesteps a stamp in the default corner', async () => {
    const r = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('sealed.ofd'), '--out', file('third.ofd'), '--page', '1', '--x', '20', '--y', '30', '--width', '30'], env());
    expect(r.code, r.stderr).toBe(0);
    const third = unzipSync(new Uint8Array(fs.readFileSync(file('third.ofd'))));
    const xml = Buffer.from(third[Object.keys(third).find((n) => n.endsWith('Sign_2/Signature.xml'))!]!).toString();
    expect(xml).toMatch(/PageRef="10" Boundary="20 30 30 30"/);
    // A fourth, by default, must not cover the second (in the corner).
    const d = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('third.ofd'), '--out', file('fourth.ofd')], env());
    expect(d.code, d.stderr).toBe(0);
    const fourth = unzipSync(new Uint8Array(fs.readFileSync(file('fourth.ofd'))));
    const box = /Boundary="([^"]+)"/.exec(Buffer.from(fourth[Object.keys(fourth).find((n) => n.endsWith('Sign_3/Signature.xml'))!]!).toString())![1]!.split(' ').map(Number);
    expect(box[0]! + box[2]!).toBeLessThanOrEqual(190 - box[2]!);
    const report = await verifyOfd(new Uint8Array(fs.readFileSync(file('fourth.ofd'))), judging());
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  it('refuses an ECDSA seal on an OFD and an SM2 seal on a PDF, saying what to use; a damaged OFD; a missing page; writing nothing', async () => {
    const { issueDemoLicence } = await import('../../gateway/services/demo-data.ts');
    fs.writeFileSync(file('licence.pdf'), (await issueDemoLicence(t.app.services)).pdf);
    fs.writeFileSync(file('damaged.ofd'), foreign.subarray(0, foreign.length - 200));
    const failedBefore = await t.db.prisma.auditEntry.count({ where: { action: 'seal.apply', NOT: { outcome: 'ok' } } });

    const ecOnOfd = await zhengyin(['seal', 'apply', '--seal', ecSeal, '--in', file('received.ofd'), '--out', file('x1.ofd')], env());
    const sm2OnPdf = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('licence.pdf'), '--out', file('x2.pdf')], env());
    const damaged = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('damaged.ofd'), '--out', file('x3.ofd')], env());
    const noPage = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('received.ofd'), '--out', file('x4.ofd'), '--page', '7'], env());
    const field = await zhengyin(['seal', 'apply', '--seal', sm2Seal, '--in', file('received.ofd'), '--out', file('x5.ofd'), '--field', 'Seal2'], env());

    expect([ecOnOfd.code, sm2OnPdf.code, damaged.code, noPage.code, field.code]).toEqual([65, 65, 65, 65, 64]);
    expect(ecOnOfd.stderr).toContain('INVALID_SEAL_FOR_FORMAT');
    expect(ecOnOfd.stderr).toContain('--algorithm sm2');
    expect(sm2OnPdf.stderr).toContain('INVALID_SEAL_FOR_FORMAT');
    expect(sm2OnPdf.stderr).toMatch(/ECDSA or RSA seal/);
    expect(damaged.stderr).toContain('OFD_READ');
    expect(noPage.stderr).toContain('OFD_SEAL');
    for (const f of ['x1.ofd', 'x2.pdf', 'x3.ofd', 'x4.ofd', 'x5.ofd']) expect(fs.existsSync(file(f)), f).toBe(false);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'seal.apply', NOT: { outcome: 'ok' } } })).toBe(failedBefore + 4);
  });

  it('refuses a revoked SM2 seal, writing nothing', async () => {
    const doomed = (await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '注销测试章', algorithm: 'SM2' })).id;
    await t.app.services.seals.revoke(OPERATOR, doomed, '遗失');
    const r = await zhengyin(['seal', 'apply', '--seal', doomed, '--in', file('received.ofd'), '--out', file('revoked.ofd')], env());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SEAL_REVOKED');
    expect(fs.existsSync(file('revoked.ofd'))).toBe(false);
  });
});
