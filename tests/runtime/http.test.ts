import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.ts';

describe('HTTP service', () => {
  const t = useTestApp();

  it('answers /healthz after a database round trip', async () => {
    const res = await fetch(new URL('healthz', t.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown path with 404 and a typed JSON error', async () => {
    const res = await fetch(new URL('no/such/thing', t.url));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('answers a wrong method with 405', async () => {
    const res = await fetch(new URL('healthz', t.url), { method: 'POST' });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
