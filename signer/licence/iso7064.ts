/**
 * ISO/IEC 7064 check-character systems used by the Chinese code standards.
 *
 * - MOD 11-2 (pure system): 居民身份证号码, GB 11643-1999.
 * - MOD 37,36 (hybrid system): 电子证照标识, GB/T 36904-2018.
 */

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Check character of `data` under ISO/IEC 7064 MOD 37,36 (hybrid, M = 36).
 * `data` holds only 0-9 and A-Z; the result is one character of the same alphabet.
 * Returns `undefined` when `data` holds any other character.
 */
export function mod37_36(data: string): string | undefined {
  const m = 36;
  let p = m;
  for (const ch of data) {
    const v = ALPHANUMERIC.indexOf(ch);
    if (v < 0) return undefined;
    let s = (p + v) % m;
    if (s === 0) s = m;
    p = (s * 2) % (m + 1);
  }
  // The check character a makes (p + a) mod M = 1 (ISO/IEC 7064 §7, hybrid systems).
  return ALPHANUMERIC[(m + 1 - p) % m];
}

/**
 * Check character of 17 decimal digits under ISO/IEC 7064 MOD 11-2: '0'-'9' or 'X'.
 * Weights are 2^(n-1) mod 11 counted from the check position (GB 11643-1999 §5.2).
 * Returns `undefined` unless `digits` is exactly 17 decimal digits.
 */
export function mod11_2(digits: string): string | undefined {
  if (!/^\d{17}$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(digits[i]) * (2 ** (17 - i) % 11);
  const a = (12 - (sum % 11)) % 11;
  return a === 10 ? 'X' : String(a);
}
