import { createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../common/index.ts';
import { silentLogger } from '../../gateway/runtime/logger.ts';
import { asDepartment, OPERATOR, PUBLIC } from '../../gateway/services/actor.ts';
import { PkiService } from '../../gateway/services/pki/index.ts';
import {
  CertificateExpiredError,
  CertificateNotYetValidError,
  CertificateRevokedError,
  generateKeyPair,
  issueCertificate,
  KeyEncryptionKey,
  NodeSigningKey,
  parseCertificate,
  PkiInputError,
  toPem,
} from '../../signer/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { openssl, opensslSerial, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';
import { makeP12, packP12 } from './p12-files.ts';

const noOpenssl = skipWithout('tests/pki/pki-service', 'openssl');

const DAY = 86_400_000;
const departments = [
  { id: 'D-MARKET', name: '市场监督管理局', uscc: '11100000000013338W' },
  { id: 'D-ESTATE', name: '不动产登记中心', uscc: '11220000013544541J' },
  { id: 'D-FUND', name: '住房公积金管理中心', uscc: '91350100M000100Y43' },
  { id: 'D-CLOSED', name: '已撤销部门', uscc: '91110108MA01R8QG9A' },
];

describe('PkiService over PostgreSQL', () => {
  const t = useTestDatabase();
  const scratch = useScratchDir();
  const kekBytes = randomBytes(32);
  const publicUrl = new URL('http://zhengyin.example/base/');
  let pki: PkiService;
  const pem = (name: string, der: Uint8Array) => scratch.file(name, toPem(der, 'CERTIFICATE'));

  beforeAll(async () => {
    await t.db.prisma.department.createMany({ data: departments });
    pki = await PkiService.open({ db: t.db, kek: KeyEncryptionKey.fromBytes(kekBytes), publicUrl, log: silentLogger });
  });
  afterAll(() => pki?.close());

  it('creates one department CA even when asked concurrently, with its OCSP responder', async () => {
    const ids = await Promise.all([pki.ensureDepartmentCa('D-MARKET'), pki.ensureDepartmentCa('D-MARKET'), pki.ensureDepartmentCa('D-MARKET')]);
    expect(new Set(ids).size).toBe(1);
    expect(await t.db.prisma.certificate.count({ where: { role: 'department-ca', departmentId: 'D-MARKET' } })).toBe(1);
    expect(await t.db.prisma.certificate.count({ where: { role: 'ocsp', issuerId: ids[0] } })).toBe(1);
    await expect(pki.ensureDepartmentCa('D-NOWHERE')).rejects.toMatchObject({ name: NotFoundError.name, entity: 'department' });
  });

  it.skipIf(noOpenssl)('issues a seal certificate naming the department and its USCC, chained to the root, with URLs under the public URL', async () => {
    const id = await pki.issueSealCertificate('D-MARKET', { algorithm: 'EC-P384' });
    const record = await pki.getCertificate(id);
    expect(record).toMatchObject({ role: 'seal', departmentId: 'D-MARKET', subject: 'CN=市场监督管理局电子印章,organizationIdentifier=NTRCN-11100000000013338W,O=市场监督管理局,C=CN' });
    const caId = (await pki.findDepartmentCa('D-MARKET'))!;
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], record.der).stdout;
    expect(text).toContain(`URI:http://zhengyin.example/base/pki/crl/${caId}.crl`);
    expect(text).toContain('OCSP - URI:http://zhengyin.example/base/pki/ocsp');
    expect(text).toContain(`CA Issuers - URI:http://zhengyin.example/base/pki/ca/${caId}.crt`);
    const identity = await pki.signingIdentity(id);
    expect(identity.chain.map((c) => parseCertificate(c).sha256)).toEqual([parseCertificate(await pki.caCertificate(caId)).sha256, parseCertificate(await pki.rootCertificate()).sha256]);
    expect(openssl(['verify', '-CAfile', pem('root.pem', identity.chain[1]!), '-untrusted', pem('ca.pem', identity.chain[0]!), pem('seal.pem', identity.certificate)]).status).toBe(0);
  });

  it('gives a signing identity whose key signs for its certificate and exposes no key material', async () => {
    const id = await pki.issueSealCertificate('D-MARKET', { algorithm: 'RSA-2048', commonName: '市场监督管理局合同专用章' });
    const identity = await pki.signingIdentity(id);
    expect(Object.keys(identity.key).sort()).toEqual(['algorithm', 'sign']);
    const data = new TextEncoder().encode('营业执照');
    const signature = await identity.key.sign(data, 'SHA-256');
    expect(verify('sha256', data, createPublicKey({ key: Buffer.from(parseCertificate(identity.certificate).publicKey), format: 'der', type: 'spki' }), signature)).toBe(true);
  });

  it('refuses to sign once the certificate is revoked, also through an identity obtained before, and lists it on a new CRL', async () => {
    const id = await pki.issueSealCertificate('D-MARKET');
    const caId = (await pki.findDepartmentCa('D-MARKET'))!;
    const before = await pki.currentCrl(caId);
    const identity = await pki.signingIdentity(id);
    await identity.key.sign(new Uint8Array([1]), 'SHA-256');

    await pki.revoke(id, 'keyCompromise');

    await expect(identity.key.sign(new Uint8Array([1]), 'SHA-256')).rejects.toMatchObject({
      name: CertificateRevokedError.name,
      code: 'CERTIFICATE_REVOKED',
      reason: 'keyCompromise',
      certificate: { certificateId: id },
    });
    await expect(pki.signingIdentity(id)).rejects.toMatchObject({ name: CertificateRevokedError.name });
    const after = await pki.currentCrl(caId);
    expect(after.number).toBeGreaterThan(before.number);
    const serial = (await pki.getCertificate(id)).serial;
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], after.der).stdout).toContain(`Serial Number: ${opensslSerial(serial)}`);
    // Revoking again keeps the first date and reason.
    const first = (await pki.getCertificate(id)).revokedAt;
    await pki.revoke(id, 'superseded');
    expect(await pki.getCertificate(id)).toMatchObject({ revokedAt: first, revocationReason: 'keyCompromise' });
  });

  it('hears a revocation made by another process on the database (NOTIFY), and asks the database while its listener is down', async () => {
    const other = await PkiService.open({ db: t.db, kek: KeyEncryptionKey.fromBytes(kekBytes), publicUrl, log: silentLogger });
    try {
      const first = await pki.signingIdentity(await pki.issueSealCertificate('D-ESTATE'));
      await other.revoke((await pki.getCertificate(await other.issueSealCertificate('D-ESTATE'))).id); // unrelated: the identity still signs
      await first.key.sign(new Uint8Array([1]), 'SHA-256');
      await other.revoke((await t.db.prisma.certificate.findFirstOrThrow({ where: { der: { equals: Buffer.from(first.certificate) } } })).id, 'affiliationChanged');
      await expect.poll(() => first.key.sign(new Uint8Array([1]), 'SHA-256').then(() => 'signed', (e: Error) => e.name), { timeout: 5000 }).toBe(CertificateRevokedError.name);

      // Cut every LISTEN connection: the watch is blind, so each signature asks the database.
      const second = await pki.signingIdentity(await pki.issueSealCertificate('D-ESTATE'));
      await t.db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`);
      await expect.poll(() => t.db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`).then((r) => r.rowCount)).toBe(0);
      const secondId = (await t.db.prisma.certificate.findFirstOrThrow({ where: { der: { equals: Buffer.from(second.certificate) } } })).id;
      await t.db.prisma.certificate.update({ where: { id: secondId }, data: { revokedAt: new Date(), revocationReason: 1 } }); // no NOTIFY at all
      await expect(second.key.sign(new Uint8Array([1]), 'SHA-256')).rejects.toMatchObject({ name: CertificateRevokedError.name, reason: 'keyCompromise' });
    } finally {
      await other.close();
    }
  });

  it('refuses to sign under a revoked department CA, and makes a new CA for the department afterwards', async () => {
    const id = await pki.issueSealCertificate('D-CLOSED');
    const caId = (await pki.findDepartmentCa('D-CLOSED'))!;
    await pki.revoke(caId, 'cessationOfOperation');
    await expect(pki.signingIdentity(id)).rejects.toMatchObject({ name: CertificateRevokedError.name, certificate: { certificateId: caId } });
    const rootCrl = await pki.currentCrl(pki.rootCertificateId);
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], rootCrl.der).stdout).toContain(`Serial Number: ${opensslSerial((await pki.getCertificate(caId)).serial)}`);
    expect(await pki.ensureDepartmentCa('D-CLOSED')).not.toBe(caId);
  });

  it.each([
    ['expired', -10 * DAY, -DAY, CertificateExpiredError, 'CERTIFICATE_EXPIRED'],
    ['not yet valid', DAY, 10 * DAY, CertificateNotYetValidError, 'CERTIFICATE_NOT_YET_VALID'],
  ])('refuses an %s certificate', async (_case, from, to, error, code) => {
    const id = await pki.issueSealCertificate('D-ESTATE', { notBefore: new Date(Date.now() + from), notAfter: new Date(Date.now() + to) });
    await expect(pki.signingIdentity(id)).rejects.toMatchObject({ name: error.name, code });
  });

  it('hands out no signing identity for CA, TSA or responder certificates, and never revokes the root', async () => {
    const caId = await pki.ensureDepartmentCa('D-ESTATE');
    const tsa = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'tsa' } });
    const responder = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'ocsp' } });
    for (const id of [caId, pki.rootCertificateId, tsa.id, responder.id]) {
      await expect(pki.signingIdentity(id)).rejects.toMatchObject({ name: PkiInputError.name, field: 'certificateId' });
    }
    await expect(pki.revoke(pki.rootCertificateId)).rejects.toMatchObject({ name: PkiInputError.name });
    await expect(pki.revoke(caId, 'noSuchReason' as 'unspecified')).rejects.toMatchObject({ field: 'reason' });
    await expect(pki.signingIdentity('no-such-id')).rejects.toMatchObject({ name: NotFoundError.name });
  });

  it('keeps a fresh CRL (same number, same bytes) and stores each one it issues', async () => {
    const caId = await pki.ensureDepartmentCa('D-ESTATE');
    const a = await pki.currentCrl(caId);
    const b = await pki.currentCrl(caId);
    expect(b.number).toBe(a.number);
    expect(Buffer.from(b.der)).toEqual(Buffer.from(a.der));
    const stored = await t.db.prisma.crl.findUniqueOrThrow({ where: { issuerId_number: { issuerId: caId, number: a.number } } });
    expect(Buffer.from(stored.der)).toEqual(Buffer.from(a.der));
    await expect(pki.currentCrl('no-such-ca')).rejects.toMatchObject({ name: NotFoundError.name });
  });

  it.skipIf(noOpenssl)('collects CRLs and OCSP responses for a seal chain (B-LT material) that openssl verifies', async () => {
    const id = await pki.issueSealCertificate('D-FUND');
    const identity = await pki.signingIdentity(id);
    const material = await pki.revocationSource().collect([identity.certificate]);
    const rootFile = pem('root-lt.pem', await pki.rootCertificate());
    expect(material.crls).toHaveLength(2); // the department CA's and the root's
    expect(material.ocspResponses).toHaveLength(2); // for the seal and for the department CA
    const subjects = material.certificates.map((c) => parseCertificate(c).subject);
    expect(subjects).toEqual(expect.arrayContaining([parseCertificate(identity.certificate).subject, ...identity.chain.map((c) => parseCertificate(c).subject)]));
    expect(subjects.filter((s) => s.startsWith('CN=OCSP '))).toHaveLength(2);
    for (const [i, crl] of material.crls.entries()) {
      const issuers = scratch.file(`issuers-${i}.pem`, identity.chain.map((c) => toPem(c, 'CERTIFICATE')).join(''));
      expect(openssl(['crl', '-inform', 'DER', '-noout', '-verify', '-CAfile', issuers], crl).stderr).toContain('verify OK');
    }
    for (const [i, response] of material.ocspResponses.entries()) {
      const r = openssl(['ocsp', '-respin', scratch.file(`lt-${i}.der`, response), '-CAfile', rootFile, '-resp_text']);
      expect(r.stderr).toContain('Response verify OK');
      expect(r.stdout).toContain('Cert Status: good');
    }
  });

  it.skipIf(noOpenssl)('time-stamps through the built-in TSA; openssl ts -verify accepts the token', async () => {
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('licence')));
    const token = await pki.timestampAuthority().timestamp(digest, 'SHA-256');
    const r = openssl(['ts', '-verify', '-digest', digest.toString('hex'), '-token_in', '-in', scratch.file('token.der', token), '-CAfile', pem('root-ts.pem', await pki.rootCertificate())]);
    expect(r.stdout).toContain('Verification: OK');
  });

  it.skipIf(noOpenssl)('replaces a revoked TSA certificate: later tokens come from a new one', async () => {
    const tsa = async () => {
      const token = await pki.timestampAuthority().timestamp(new Uint8Array(32), 'SHA-256');
      const certs = openssl(['pkcs7', '-inform', 'DER', '-print_certs'], token).stdout;
      return /subject=.*\n/.exec(certs)![0] + openssl(['x509', '-noout', '-serial'], Buffer.from(certs)).stdout;
    };
    const before = await tsa();
    const old = await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'tsa', revokedAt: null } });
    await pki.revoke(old.id, 'superseded');
    const after = await tsa();
    expect(after).not.toBe(before);
    expect(await t.db.prisma.certificate.count({ where: { role: 'tsa', revokedAt: null } })).toBe(1);
  });

  describe.skipIf(noOpenssl)('PKCS#12 import', () => {
    const dir = (name: string) => scratch.file(name);

    it.each([['rsa'], ['ec']] as const)('imports a %s key and certificate with its chain; the identity signs', async (key) => {
      const file = makeP12(dir, `svc-${key}`, { key, encryption: 'default', password: 'pw' });
      const id = await pki.importPkcs12(OPERATOR, 'D-FUND', file.p12, 'pw');
      const record = await pki.getCertificate(id);
      expect(record).toMatchObject({ role: 'imported', departmentId: 'D-FUND' });
      const identity = await pki.signingIdentity(id);
      expect(identity.chain.map((c) => Buffer.from(c))).toEqual([file.ca]);
      const data = new Uint8Array([1, 2, 3]);
      expect(verify('sha256', data, createPublicKey({ key: Buffer.from(parseCertificate(identity.certificate).publicKey), format: 'der', type: 'spki' }), await identity.key.sign(data, 'SHA-256'))).toBe(true);
      // The same file again: the same certificate, no second key.
      const keys = await t.db.prisma.keyRecord.count();
      expect(await pki.importPkcs12(OPERATOR, 'D-FUND', file.p12, 'pw')).toBe(id);
      expect(await t.db.prisma.keyRecord.count()).toBe(keys);
      await expect(pki.importPkcs12(OPERATOR, 'D-ESTATE', file.p12, 'pw')).rejects.toMatchObject({ name: PkiInputError.name });
    });

    it('imports only for the operator or the department itself, storing nothing otherwise', async () => {
      const file = makeP12(dir, 'svc-actor', { key: 'ec', encryption: 'default', password: 'pw' });
      const keys = await t.db.prisma.keyRecord.count();
      await expect(pki.importPkcs12(asDepartment('D-ESTATE'), 'D-FUND', file.p12, 'pw')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(pki.importPkcs12(PUBLIC, 'D-FUND', file.p12, 'pw')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await t.db.prisma.keyRecord.count()).toBe(keys);
      const id = await pki.importPkcs12(asDepartment('D-FUND'), 'D-FUND', file.p12, 'pw');
      expect((await pki.getCertificate(id)).departmentId).toBe('D-FUND');
    });

    it('refuses a CA certificate, an expired certificate and a wrong password, storing no key', async () => {
      const keys = await t.db.prisma.keyRecord.count();
      const ca = makeP12(dir, 'svc-ca', { key: 'ec', encryption: 'default', password: 'pw', ca: true });
      await expect(pki.importPkcs12(OPERATOR, 'D-FUND', ca.p12, 'pw')).rejects.toMatchObject({ name: PkiInputError.name, field: 'file' });
      await expect(pki.importPkcs12(OPERATOR, 'D-FUND', ca.p12, 'nope')).rejects.toMatchObject({ code: 'INVALID_PKCS12_PASSWORD' });
      const pair = await generateKeyPair('EC-P256');
      const key = new NodeSigningKey(pair.privateKey);
      const expiredCa = await issueCertificate({ profile: 'root-ca', subject: { commonName: 'expired CA' }, publicKey: pair.publicKey, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY), issuer: { key } });
      const leafPair = await generateKeyPair('EC-P256');
      const leaf = await issueCertificate({
        profile: 'seal',
        subject: { commonName: 'expired seal' },
        publicKey: leafPair.publicKey,
        notBefore: new Date(Date.now() - 10 * DAY),
        notAfter: new Date(Date.now() - DAY),
        issuer: { certificate: expiredCa, key },
        urls: { crl: 'http://x/c.crl', ocsp: 'http://x/o', caIssuers: 'http://x/c.crt' },
      });
      const p12 = packP12(dir, 'svc-expired', leafPair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, toPem(leaf, 'CERTIFICATE'), 'pw');
      await expect(pki.importPkcs12(OPERATOR, 'D-FUND', p12, 'pw')).rejects.toMatchObject({ name: CertificateExpiredError.name });
      await expect(pki.importPkcs12(OPERATOR, 'D-NOWHERE', p12, 'pw')).rejects.toMatchObject({ name: NotFoundError.name });
      expect(await t.db.prisma.keyRecord.count()).toBe(keys);
    });
  });

  it('holds no plaintext private key in any column of any table', async () => {
    const kek = KeyEncryptionKey.fromBytes(kekBytes);
    const records = await t.db.prisma.keyRecord.findMany();
    expect(records.length).toBeGreaterThanOrEqual(10);
    const needles: Buffer[] = [];
    for (const record of records) {
      const pkcs8 = kek.open(record.sealed, record.publicKey);
      const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      const jwk = key.export({ format: 'jwk' });
      const scalar = Buffer.from(jwk.d!, 'base64url');
      const pemBody = (key.export({ type: 'pkcs8', format: 'pem' }) as string).split('\n')[1]!;
      needles.push(pkcs8, Buffer.from(pkcs8.toString('base64')), Buffer.from(pkcs8.toString('hex')), scalar, Buffer.from(scalar.toString('hex')), Buffer.from(jwk.d!), Buffer.from(pemBody));
    }
    const columns = await t.db.pool.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('bytea', 'text', 'jsonb', 'json', 'character varying')`,
    );
    let scanned = 0;
    let publicKeysSeen = 0;
    for (const { table_name, column_name, data_type } of columns.rows) {
      const rows = await t.db.pool.query(`SELECT "${column_name}"${data_type === 'bytea' ? '' : '::text'} AS v FROM "${table_name}" WHERE "${column_name}" IS NOT NULL`);
      for (const { v } of rows.rows) {
        const haystack = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
        scanned++;
        for (const needle of needles) expect(haystack.includes(needle), `${table_name}.${column_name}`).toBe(false);
        expect(haystack.includes('PRIVATE KEY'), `${table_name}.${column_name}`).toBe(false);
        if (records.some((r) => haystack.includes(Buffer.from(r.publicKey)))) publicKeysSeen++;
      }
    }
    // The scan reads what is there: it finds the public keys, just not the private ones.
    expect(scanned).toBeGreaterThan(50);
    expect(publicKeysSeen).toBeGreaterThanOrEqual(records.length);
  });
});
