/**
 * JSON with object keys sorted at every level and no insignificant whitespace: equal
 * content, equal bytes (the idea of RFC 8785; values here are strings, safe integers,
 * booleans, null, arrays and objects, so number formatting never differs). What block
 * headers and transaction entries are hashed and signed as. The chaincode, which imports
 * nothing from here, has its own copy (chaincode/src/canonical.ts);
 * tests/ledger/canonical.test.ts holds the two to the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
