import type { CommandContext } from '../command.ts';

/** JSON for `--json` output: bigints as decimal strings, dates as ISO 8601. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}

/** `label  value` lines, labels padded to one column. */
export function printFields(ctx: CommandContext, fields: readonly (readonly [string, unknown])[]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) if (v !== undefined) ctx.stdout.write(`  ${k.padEnd(width)}  ${String(v)}\n`);
}

export function formatAge(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
