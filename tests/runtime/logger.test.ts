import { describe, expect, it } from 'vitest';
import { requestListener, listen } from '../../gateway/http/server.ts';
import { Router } from '../../gateway/http/router.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';

const TOKEN = `zy_abcdefghijklm_${'A'.repeat(43)}`;
const ID_NUMBER = '11010519491231002X';

describe('the logger (pino)', () => {
  it.each([['text', false], ['json', true]] as const)('%s: keeps tokens, passwords and ID numbers out of each line, by field name and in text', (_name, json) => {
    const lines: string[] = [];
    const log = createLogger({ json, write: (l) => lines.push(l) });
    log.warn(`login by ${ID_NUMBER} failed`, {
      authorization: `Bearer ${TOKEN}`,
      token: 'opaque-token-value',
      headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=cookie-value' },
      password: 'hunter2',
      idNumber: ID_NUMBER,
      error: `refused Bearer eyJhbGciOiJFUzI1NiJ9.payload.sig for ${TOKEN}`,
      tokenId: 'abcdefghijklm',
    });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const secret of [TOKEN, 'A'.repeat(43), 'opaque-token-value', 'dXNlcjpwYXNz', 'cookie-value', 'hunter2', ID_NUMBER, 'eyJhbGciOiJFUzI1NiJ9']) expect(line).not.toContain(secret);
    expect(line).toContain('abcdefghijklm'); // the token id stays: that is how a use is traced
    if (json) expect(JSON.parse(line)).toMatchObject({ level: 'warn', message: 'login by [redacted] failed', password: '[redacted]', time: expect.any(String) });
    else expect(line).toMatch(/^WARN: login by \[redacted\] failed /);
  });

  it('levels: below the threshold nothing is written; silent writes nothing', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    log.info('quiet');
    log.error('loud', { n: 1 });
    createLogger({ level: 'silent', write: (l) => lines.push(l) }).error('never');
    expect(lines).toEqual(['ERROR: loud n=1']);
  });

  it('an internal error whose message carries a bearer token is logged without it', async () => {
    const lines: string[] = [];
    const router = new Router().get('/boom', () => {
      throw new Error(`upstream refused Authorization: Bearer ${TOKEN}`);
    });
    const server = await listen(requestListener(router, createLogger({ json: true, write: (l) => lines.push(l) })), '127.0.0.1', 0);
    try {
      expect((await fetch(new URL('boom', server.url))).status).toBe(500);
    } finally {
      await server.close();
    }
    expect(lines.join('\n')).toContain('upstream refused');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
