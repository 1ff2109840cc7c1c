import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../gateway/app.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { silentLogger } from '../../gateway/runtime/logger.ts';
import { KekMismatchError } from '../../signer/index.ts';
import { useTestDatabase } from '../support/database.ts';

describe('PKI bootstrap at app start', () => {
  const t = useTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-boot-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = (env: NodeJS.ProcessEnv = {}) => readConfig({ ZHENGYIN_DATA_DIR: dataDir, DATABASE_URL: t.url, ...env });
  const counts = async () =>
    Object.fromEntries(
      (await t.db.prisma.certificate.groupBy({ by: ['role'], _count: { _all: true } })).map((g) => [g.role, g._count._all]),
    );

  it('creates the root CA, its OCSP responder and the TSA once; two createApp() on one database (even at once) share them', async () => {
    const [a, b] = await Promise.all([createApp({ config: config(), db: t.db, log: silentLogger }), createApp({ config: config(), db: t.db, log: silentLogger })]);
    const c = await createApp({ config: config({ ZHENGYIN_PORT: '9999' }), db: t.db, log: silentLogger });
    expect(a.services.pki.rootCertificateId).toBe(b.services.pki.rootCertificateId);
    expect(c.services.pki.rootCertificateId).toBe(a.services.pki.rootCertificateId);
    expect(Buffer.from(await c.services.pki.rootCertificate())).toEqual(Buffer.from(await a.services.pki.rootCertificate()));
    expect(await counts()).toEqual({ root: 1, ocsp: 1, tsa: 1 });
    expect(await t.db.prisma.keyRecord.count()).toBe(3);
    expect(fs.statSync(path.join(dataDir, 'kek.key')).mode & 0o777).toBe(0o600);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('refuses to start with another key-encryption key: KekMismatchError, nothing created', async () => {
    const other = randomBytes(32).toString('base64');
    await expect(createApp({ config: config({ ZHENGYIN_KEK: other }), db: t.db, log: silentLogger })).rejects.toMatchObject({
      name: KekMismatchError.name,
      code: 'KEK_MISMATCH',
    });
    expect(await counts()).toEqual({ root: 1, ocsp: 1, tsa: 1 });
  });
});
