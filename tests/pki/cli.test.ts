import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKek } from '../../gateway/runtime/kek.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { silentLogger } from '../../gateway/runtime/logger.ts';
import { PkiService } from '../../gateway/services/pki/index.ts';
import { parseCertificate, toPem } from '../../signer/index.ts';
import { zhengyin as runCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';
import { openssl, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { makeP12 } from './p12-files.ts';

const noOpenssl = skipWithout('tests/pki/cli', 'openssl');

describe.skipIf(noOpenssl)('zhengyin ca … (the CLI, as a separate process on the same database)', () => {
  const t = useTestDatabase();
  const scratch = useScratchDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({ ...process.env, DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: dataDir, ZHENGYIN_LOG_FORMAT: 'json', P12_PASSWORD: 'cli-secret' });

  const zhengyin = (...args: string[]) => runCli(args, env());

  beforeAll(async () => {
    await t.db.prisma.department.create({ data: { id: 'D-ESTATE', name: '不动产登记中心', uscc: '11220000013544541J' } });
  });

  it('exports the root as PEM on stdout, and as DER with --der --out', async () => {
    const pemRun = await zhengyin('ca', 'export-root');
    expect(pemRun.code).toBe(0);
    const root = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'root' } });
    expect(pemRun.stdout).toBe(toPem(root.der, 'CERTIFICATE'));
    const out = scratch.file('root.der');
    expect((await zhengyin('ca', 'export-root', '--der', '--out', out)).code).toBe(0);
    expect(fs.readFileSync(out)).toEqual(Buffer.from(root.der));
  });

  it("prints the root's CRL, and a department CA's by department id; an unknown one fails with a clear error", async () => {
    const rootFile = scratch.file('root.pem', (await zhengyin('ca', 'export-root')).stdout);
    const rootCrl = await zhengyin('ca', 'crl');
    expect(rootCrl.code).toBe(0);
    expect(openssl(['crl', '-noout', '-verify', '-CAfile', rootFile], Buffer.from(rootCrl.stdout)).stderr).toContain('verify OK');

    const missing = await zhengyin('ca', 'crl', '--ca', 'D-ESTATE');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error [NOT_FOUND]');

    // The department's CA, made in this process with the KEK file the CLI created.
    const pki = await PkiService.open({ db: t.db, kek: loadKek(readConfig({ ZHENGYIN_DATA_DIR: dataDir }), silentLogger), publicUrl: new URL('http://127.0.0.1:8080/'), log: silentLogger });
    const caId = await pki.ensureDepartmentCa('D-ESTATE');
    const out = scratch.file('estate.crl');
    expect((await zhengyin('ca', 'crl', '--ca', 'D-ESTATE', '--der', '--out', out)).code).toBe(0);
    const caFile = scratch.file('ca.pem', toPem(await pki.caCertificate(caId), 'CERTIFICATE'));
    expect(openssl(['crl', '-inform', 'DER', '-in', out, '-noout', '-verify', '-CAfile', caFile]).stderr).toContain('verify OK');
  });

  it('imports a PKCS#12 file with the password from an environment variable', async () => {
    const file = makeP12((n) => scratch.file(n), 'cli', { key: 'ec', encryption: 'legacy', password: 'cli-secret' });
    const p12 = scratch.file('department.p12', file.p12);
    const imported = await zhengyin('ca', 'import-p12', '--department', 'D-ESTATE', '--file', p12, '--password-env', 'P12_PASSWORD');
    expect(imported.code).toBe(0);
    const id = /imported certificate (\S+)/.exec(imported.stdout)![1]!;
    const row = await t.db.prisma.certificate.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ role: 'imported', departmentId: 'D-ESTATE', subject: parseCertificate(file.leaf).subject });
    expect(imported.stdout + imported.stderr).not.toContain('cli-secret');
  });

  it.each([
    ['a wrong password', ['--password-file'], 65, 'INVALID_PKCS12_PASSWORD'],
    ['a missing file', ['--password-env', 'P12_PASSWORD', '--file', '/no/such/file.p12'], 65, 'INVALID_INPUT'],
    ['no password option', [], 64, 'give exactly one of --password-env VAR or --password-file FILE'],
  ])('refuses %s with a clear message and a non-zero exit', async (_case, extra, code, message) => {
    const p12 = scratch.file('bad.p12', makeP12((n) => scratch.file(n), 'bad', { key: 'rsa', encryption: 'default', password: 'right' }).p12);
    const args = extra[0] === '--password-file' ? ['--password-file', scratch.file('wrong.txt', 'wrong\n')] : extra;
    const result = await zhengyin('ca', 'import-p12', '--department', 'D-ESTATE', ...(args.includes('--file') ? [] : ['--file', p12]), ...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
