/**
 * `zhengyin issue --format pdf|ofd|both` (issue 13, item 3) from the CLI's own process: what
 * is written where, the files' hashes as the registry holds them, and refusals that write
 * nothing. Handed to a running service: tests/e2e/cli-handoff.test.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_LICENCE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { zhengyin } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const faceOf = (code: string) => SEED_EXAMPLES.find((e) => e.typeCode === code)!.face;

describe('zhengyin issue --format, in the CLI\'s own process', { timeout: 300_000 }, () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-ofd-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data'), ZHENGYIN_LOG_FORMAT: 'json' });
  const file = (name: string) => path.join(dir, name);
  const business = file('business.json');
  const estate = file('estate.json');
  fs.writeFileSync(business, JSON.stringify(faceOf(BUSINESS_LICENCE.code)));
  fs.writeFileSync(estate, JSON.stringify(faceOf(REAL_ESTATE_CERTIFICATE.code)));

  beforeAll(async () => {
    // The demo seed: departments, their seals, and the SM2 seals of scjg and xzsp.
    const seeded = await zhengyin(['issue', '--demo', '--out', file('seed.pdf')], env());
    expect(seeded.code, seeded.stderr).toBe(0);
  });

  it('--format both writes the PDF to --out and the OFD beside it, says so, and both are the registry\'s', async () => {
    const issued = await zhengyin(['issue', '--type', BUSINESS_LICENCE.code, '--department', 'scjg', '--data', business, '--format', 'both', '--out', file('both.pdf')], env());

    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain(`written to  ${file('both.pdf')} (PDF, `);
    expect(issued.stdout).toContain(`written to  ${file('both.ofd')} (OFD, `);
    const identifier = /identifier {2}(\S+)/.exec(issued.stdout)![1]!;
    const row = await t.db.prisma.licenceDocument.findFirstOrThrow({ where: { licence: { identifier } }, select: { sha256: true, ofdSha256: true } });
    expect(row).toEqual({ sha256: sha256(file('both.pdf')), ofdSha256: sha256(file('both.ofd')) });
    expect(issued.stdout).toContain(`sha-256     ${row.ofdSha256} (OFD)`);

    const again = await zhengyin(['licence', 'ofd', identifier, '--out', file('again.ofd')], env());
    expect(again.code, again.stderr).toBe(0);
    expect(sha256(file('again.ofd'))).toBe(row.ofdSha256);

    const verified = await zhengyin(['verify', file('both.ofd'), '--json'], env());
    expect(JSON.parse(verified.stdout).signatures.map((s: { seal: { name: string } | null }) => s.seal?.name)).toHaveLength(1);
  });

  it('--format ofd writes only the OFD, to --out', async () => {
    const issued = await zhengyin(['issue', '--type', BUSINESS_LICENCE.code, '--department', 'scjg', '--data', business, '--format', 'ofd', '--out', file('only.ofd')], env());

    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain(`written to  ${file('only.ofd')} (OFD, `);
    expect(issued.stdout).not.toContain('(PDF, ');
    expect(fs.readFileSync(file('only.ofd')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('only'))).toEqual(['only.ofd']);
  });

  it('refuses OFD from a department without an SM2 seal, and an unknown format, writing nothing', async () => {
    const before = [await t.db.prisma.licence.count(), JSON.stringify(await t.db.prisma.licenceSerial.findMany({ orderBy: { typeCode: 'asc' } })), await t.db.prisma.licenceSerialVoid.count()];

    const noSeal = await zhengyin(['issue', '--type', REAL_ESTATE_CERTIFICATE.code, '--department', 'bdcdj', '--data', estate, '--format', 'ofd', '--out', file('no.ofd')], env());
    const badFormat = await zhengyin(['issue', '--type', REAL_ESTATE_CERTIFICATE.code, '--department', 'bdcdj', '--data', estate, '--format', 'docx', '--out', file('no.docx')], env());

    expect(noSeal.code).not.toBe(0);
    expect(noSeal.stderr).toMatch(/^error \[NO_SM2_SEAL\]: .*zhengyin seal create --department bdcdj --algorithm sm2/);
    expect(badFormat.code).toBe(64);
    expect(badFormat.stderr).toContain('--format: one of pdf, ofd, both');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('no.'))).toEqual([]);
    expect([await t.db.prisma.licence.count(), JSON.stringify(await t.db.prisma.licenceSerial.findMany({ orderBy: { typeCode: 'asc' } })), await t.db.prisma.licenceSerialVoid.count()]).toEqual(before);
  });
});
