import { describe, expect, it } from 'vitest';
import { pause } from '../../ledger/pause.ts';

describe('pause', () => {
  it('ends at once when woken, long before its time', async () => {
    const p = pause(60_000);
    const started = performance.now();
    setTimeout(p.wake, 10);
    await p.done;
    expect(performance.now() - started).toBeLessThan(5_000);
    p.wake();
  });

  it('ends by itself after its time', async () => {
    const started = performance.now();
    await pause(30).done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
