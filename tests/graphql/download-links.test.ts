import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DownloadLinks } from '../../gateway/auth/download-links.ts';

const IDENTIFIER = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
const T0 = new Date('2026-12-06T08:00:00Z');

describe('signed download links', () => {
  const key = randomBytes(32);
  const at = (t: Date) => new DownloadLinks({ key, publicUrl: new URL('https://zy.example/'), ttlSeconds: 300, now: () => t });
  const params = (url: string) => new URL(url).searchParams;

  it('hold for their resource until they expire, then say expired', () => {
    const { url, expiresAt } = at(T0).licencePdf(IDENTIFIER);
    const p = params(url);
    expect(expiresAt.toISOString()).toBe('2026-12-06T08:05:00.000Z');
    expect(at(new Date(T0.getTime() + 299_000)).check('licence-pdf', IDENTIFIER, p.get('expires'), p.get('signature'))).toBe('ok');
    expect(at(new Date(T0.getTime() + 300_000)).check('licence-pdf', IDENTIFIER, p.get('expires'), p.get('signature'))).toBe('expired');
  });

  it('are invalid for another licence, another key, or a changed expiry', () => {
    const p = params(at(T0).licencePdf(IDENTIFIER).url);
    const other = IDENTIFIER.replace('.001.F', '.002.D');
    expect(at(T0).check('licence-pdf', other, p.get('expires'), p.get('signature'))).toBe('invalid');
    expect(new DownloadLinks({ key: randomBytes(32), publicUrl: new URL('https://zy.example/'), now: () => T0 }).check('licence-pdf', IDENTIFIER, p.get('expires'), p.get('signature'))).toBe('invalid');
    expect(at(T0).check('licence-pdf', IDENTIFIER, String(Number(p.get('expires')) + 1), p.get('signature'))).toBe('invalid');
    expect(at(T0).check('licence-pdf', IDENTIFIER, p.get('expires'), null)).toBe('invalid');
  });
});
