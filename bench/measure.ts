import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  /** Operations per second over the measured window. */
  readonly opsPerSecond: number;
  readonly meanMs: number;
  readonly iterations: number;
}

/**
 * Runs `fn` for at least `minMs` after `warmup` calls and reports its throughput.
 * Compare only measurements from the same run: the machines are shared and noisy.
 */
export async function measure(name: string, fn: () => unknown, p: { minMs?: number; warmup?: number; minIterations?: number } = {}): Promise<Measurement> {
  const { minMs = 1500, warmup = 3, minIterations = 5 } = p;
  for (let i = 0; i < warmup; i++) await fn();
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || iterations < minIterations) {
    await fn();
    iterations++;
    elapsed = performance.now() - start;
  }
  return { name, opsPerSecond: (iterations * 1000) / elapsed, meanMs: elapsed / iterations, iterations };
}

/** Prints measurements as a table with each one's ratio to `baseline`. */
export function printTable(rows: readonly Measurement[], baseline: Measurement): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const ratio = r.opsPerSecond / baseline.opsPerSecond;
    console.log(
      `${r.name.padEnd(width)}  ${r.opsPerSecond.toFixed(1).padStart(10)} ops/s  ${r.meanMs.toFixed(3).padStart(9)} ms/op  ` +
        `${ratio >= 1 ? ratio.toFixed(2) + '×' : '1/' + (1 / ratio).toFixed(2) + '×'} vs ${baseline.name}`,
    );
  }
}
