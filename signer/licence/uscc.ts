import { InvalidCodeError } from '../../common/index.ts';

/** GB 32100-2015 — 法人和其他组织统一社会信用代码编码规则. */
export const USCC_STANDARD = 'GB 32100-2015';

/** The 31 characters of GB 32100-2015 Table 1, in value order: 0-9 and A-Z without I, O, S, V, Z. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// W_i = 3^(i-1) mod 31 for positions 1..17 (GB 32100-2015 §4.2 / Annex A).
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/**
 * Check character (position 18) of the first 17 characters of a 统一社会信用代码.
 * Returns `undefined` if `first17` is not 17 characters of the GB 32100 alphabet.
 */
export function usccCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why `value` is not a 统一社会信用代码, or `undefined` if it is one. */
function usccProblem(value: string): string | undefined {
  if (value.length !== 18) return `must be 18 characters, got ${value.length}`;
  const bad = [...value].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return `character '${bad}' is not in the code alphabet (0-9, A-Z without I, O, S, V, Z)`;
  // Positions 3-8 are the 登记管理机关行政区划码, a GB/T 2260 division code.
  if (!/^\d{6}$/.test(value.slice(2, 8))) return 'positions 3-8 (administrative division code) must be digits';
  const expected = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return `check character is '${value[17]}', expected '${expected}'`;
  return undefined;
}

export const isValidUscc = (value: string): boolean => usccProblem(value) === undefined;

/**
 * Returns `value` if it is a valid 统一社会信用代码 (GB 32100-2015): 18 characters of the
 * 31-character alphabet, digits in the division-code positions, and the right check
 * character.
 *
 * @param field - Named in the error, e.g. `'holderCode'`.
 * @throws {@link InvalidCodeError} naming `field` and GB 32100-2015.
 * @example
 * parseUscc('91350100M000100Y43', 'holderCode'); // '91350100M000100Y43'
 */
export function parseUscc(value: string, field: string): string {
  const reason = usccProblem(value);
  if (reason !== undefined) throw new InvalidCodeError({ field, value, standard: USCC_STANDARD, reason });
  return value;
}
