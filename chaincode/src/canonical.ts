import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no insignificant whitespace, so that
 * equal content always has equal bytes (the idea of RFC 8785; our values are strings,
 * safe integers, booleans, arrays and objects only, so number formatting never differs).
 * ledger/canonical.ts is the same function outside the chaincode; a test there holds the
 * two to the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
