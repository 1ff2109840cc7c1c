import { describe, expect, it } from 'vitest';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { TokenService } from '../../gateway/services/tokens/index.ts';
import { useTestApp } from '../support/app.ts';
import { zhengyin } from '../support/cli.ts';
import { firstCode, gql } from './support.ts';

const WHO = `{ licences(first: 1) { edges { node { identifier } } } }`;

describe('department API tokens', () => {
  const t = useTestApp();
  const cli = (...args: string[]) => zhengyin(args, { DATABASE_URL: t.config.databaseUrl, ZHENGYIN_DATA_DIR: t.config.dataDir, ZHENGYIN_DEMO: '0' });

  it('are minted, listed and revoked by the CLI; a revoked token is refused with TOKEN_REVOKED', async () => {
    await t.app.services.departments.ensure(OPERATOR, { id: 'scjgj', name: '市场监督管理局', uscc: '11100000000013338W' });
    const minted = await cli('dept', 'token', '--department', 'scjgj', '--role', 'handler', '--expires', '30d');
    expect(minted.code).toBe(0);
    const token = minted.stdout.split('\n')[0]!;
    const [, id, secret] = /^zy_([a-z2-7]{13})_(\S{43})$/.exec(token)!;
    expect(minted.stderr).toContain(id);
    expect(minted.stderr).not.toContain(secret);

    expect((await gql(t.url, WHO, { token })).body.errors).toBeUndefined();
    // Only the hash is stored: neither the token nor its secret is in the row.
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: id! } });
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await cli('dept', 'tokens', '--department', 'scjgj');
    expect(listed.stdout).toMatch(new RegExp(`^${id}  scjgj  handler  active `, 'm'));
    expect(listed.stdout).not.toContain(secret);

    expect((await cli('dept', 'revoke', id!)).stdout).toMatch(/revoked/);
    const refused = await gql(t.url, WHO, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'TOKEN_REVOKED', tokenId: id });
    expect(refused.body.data ?? null).toBeNull();
  });

  it('refuses expired, forged, malformed and non-bearer credentials with their codes, then serves the next request', async () => {
    const { token, info } = await t.app.tokens.mint(OPERATOR, { departmentId: 'scjgj', role: 'issuer', expiresAt: new Date(Date.now() + 60_000) });
    await t.db.prisma.apiToken.update({ where: { id: info.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const valid = (await t.app.tokens.mint(OPERATOR, { departmentId: 'scjgj', role: 'issuer' })).token;
    const forged = valid.slice(0, -4) + (valid.endsWith('AAAA') ? 'BBBB' : 'AAAA');

    const cases: [string, { token?: string; authorization?: string }, string][] = [
      ['expired', { token }, 'TOKEN_EXPIRED'],
      ['forged secret', { token: forged }, 'TOKEN_INVALID'],
      ['malformed', { token: 'zy_nope' }, 'TOKEN_INVALID'],
      ['not a bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'TOKEN_INVALID'],
    ];
    for (const [name, credentials, code] of cases) {
      const res = await gql(t.url, WHO, credentials);
      expect([name, res.status, firstCode(res)]).toEqual([name, 401, code]);
      expect(JSON.stringify(res.body)).not.toContain(valid.split('_')[2]!);
    }
    expect((await gql(t.url, WHO, { token: valid })).body.errors).toBeUndefined();
  });

  it('logs each use by token id, never by value', async () => {
    const lines: string[] = [];
    const tokens = new TokenService({ prisma: t.db.prisma, log: createLogger({ json: true, write: (l) => lines.push(l) }) });
    const { token, info } = await tokens.mint(OPERATOR, { departmentId: 'scjgj', role: 'admin' });
    await tokens.authenticate(token);
    await expect(tokens.authenticate(token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x'))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });

    expect(lines.some((l) => JSON.parse(l).message === 'API token used' && JSON.parse(l).tokenId === info.id)).toBe(true);
    for (const line of lines) expect(line).not.toContain(token.split('_')[2]!.slice(0, 16));
  });

  it('refuses a handler issuing, an expiry in the past and an unknown role', async () => {
    await expect(t.app.tokens.mint(OPERATOR, { departmentId: 'scjgj', role: 'issuer', expiresAt: new Date(Date.now() - 1) })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'expiresAt' });
    await expect(t.app.tokens.mint(OPERATOR, { departmentId: 'scjgj', role: 'boss' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'role' });
    expect((await cli('dept', 'token', '--department', 'scjgj', '--role', 'issuer', '--expires', 'soon')).code).toBe(65);
  });
});
