import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_OIDC_AUDIENCE, DemoOidcIssuer } from '../../gateway/auth/demo-oidc.ts';
import { KeyEncryptionKey } from '../../signer/index.ts';
import { readConfig } from '../../gateway/runtime/config.ts';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { useTestApp } from '../support/app.ts';
import { gql } from './support.ts';

describe('the demo sign-in', () => {
  it('is on in the embedded default only: never with DATABASE_URL or in production', () => {
    expect(readConfig({}).oidc.demo).toBe(true);
    expect(readConfig({ DATABASE_URL: 'postgres://db/x' }).oidc.demo).toBe(false);
    expect(readConfig({ NODE_ENV: 'production' }).oidc.demo).toBe(false);
    expect(readConfig({ ZHENGYIN_OIDC_DEMO: 'off' }).oidc.demo).toBe(false);
    expect(() => readConfig({ ZHENGYIN_OIDC_ISSUER: 'https://idp.example' })).toThrow(/ZHENGYIN_OIDC_AUDIENCE/);
  });

  it('keeps its signing key sealed under the KEK: the same key at the next start, no plaintext on disk', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-demo-oidc-'));
    try {
      const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
      const publicUrl = new URL('http://127.0.0.1:1/');
      const first = await DemoOidcIssuer.open({ dataDir, kek, publicUrl });
      const token = await first.mint({ claim: 'id_number', code: DEMO_APPLICANTS[0].code, name: 'x' });
      const again = await DemoOidcIssuer.open({ dataDir, kek, publicUrl });
      await expect(jwtVerify(token, again.trusted().jwks as never, { issuer: again.issuer, audience: DEMO_OIDC_AUDIENCE })).resolves.toBeTruthy();
      const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      expect(files).toHaveLength(1);
      expect(fs.readFileSync(path.join(files[0]!.parentPath, files[0]!.name)).toString('latin1')).not.toMatch(/PRIVATE KEY/);
      await expect(DemoOidcIssuer.open({ dataDir, kek: KeyEncryptionKey.fromBytes(randomBytes(32)), publicUrl })).rejects.toThrow();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // The embedded default's configuration (no DATABASE_URL), on the test's own database.
  const t = useTestApp({ DATABASE_URL: '' });

  it('seeds applicants holding licences and mints tokens for a department and an applicant that work', async () => {
    await t.app.seedDemo();
    const tokens = await t.app.demoTokens();
    expect(tokens).toBeDefined();
    const { department, applicant } = tokens!;
    expect(department).toMatch(/^zy_/);

    // The issuer publishes its keys like any OpenID Connect provider.
    const discovery = (await (await fetch(new URL('demo/oidc/.well-known/openid-configuration', t.url))).json()) as { issuer: string; jwks_uri: string };
    const { payload } = await jwtVerify(applicant, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience: DEMO_OIDC_AUDIENCE });
    expect(payload.id_number).toBe(DEMO_APPLICANTS[0].code);

    const mine = await gql(t.url, `{ myLicences { edges { node { holderCode typeName } } } }`, { token: applicant });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.myLicences.edges.map((e: any) => e.node.holderCode)).toEqual([DEMO_APPLICANTS[0].code]);
    const listed = await gql(t.url, `{ licences { edges { node { departmentId } } } }`, { token: department });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data!.licences.edges.length).toBeGreaterThan(0);

    // Every seeded applicant holds a licence.
    for (const a of DEMO_APPLICANTS) expect(await t.db.prisma.licence.count({ where: { holderCodeType: a.holderCodeType, holderCode: a.code } })).toBeGreaterThan(0);
  }, 120_000);
});
