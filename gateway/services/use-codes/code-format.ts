import { randomInt } from 'node:crypto';
import { InvalidCodeError } from '../../../common/index.ts';

/**
 * 用证码 as people type them: 12 characters of Crockford's Base32 (no I, L, O, U), the
 * last a check character, shown in three groups of four (`7K3M-9Q2X-W4HD`). Eleven random
 * characters carry 55 bits: a guess succeeds once in 3.6 × 10^16, and presentations are
 * rate-limited per address and expire within days.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const USE_CODE_STANDARD = 'Crockford Base32 with an ISO/IEC 7064 hybrid MOD 33,32 check character';
const DATA_LENGTH = 11;

/**
 * The check character under the ISO/IEC 7064 hybrid system with M = 32 (as MOD 37,36 is
 * with M = 36): every step is a bijection of the running state, so any single wrong
 * character is caught, and so are most swaps of two neighbours.
 */
export function checkCharacter(data: string): string {
  const m = CROCKFORD.length;
  let p = m;
  for (const ch of data) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) throw new RangeError(`not a Crockford Base32 character: ${ch}`);
    const s = (p + v) % m || m;
    p = (s * 2) % (m + 1);
  }
  return CROCKFORD[(m + 1 - p) % m]!;
}

/** A new code, normalised (12 characters, no separators). */
export function newUseCode(): string {
  let data = '';
  for (let i = 0; i < DATA_LENGTH; i++) data += CROCKFORD[randomInt(CROCKFORD.length)];
  return data + checkCharacter(data);
}

/** `7K3M9Q2XW4HD` → `7K3M-9Q2X-W4HD`. */
export const displayUseCode = (code: string): string => code.match(/.{1,4}/g)!.join('-');

/**
 * A code as typed, normalised as Crockford decodes: case folded, hyphens and spaces
 * dropped, I and L read as 1, O as 0.
 * @throws `InvalidCodeError` (field `code`) for a wrong length, a character outside the
 *   alphabet, or a check character that does not match: a typo, caught before any lookup.
 */
export function parseUseCode(typed: string, field = 'code'): string {
  const code = String(typed ?? '')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  const refuse = (reason: string) => new InvalidCodeError({ field, value: code, standard: USE_CODE_STANDARD, reason });
  if (code.length !== DATA_LENGTH + 1) throw refuse(`a use code has ${DATA_LENGTH + 1} characters, not ${code.length}`);
  if (![...code].every((c) => CROCKFORD.includes(c))) throw refuse('a use code holds only 0-9 and A-Z without I, L, O, U');
  if (checkCharacter(code.slice(0, DATA_LENGTH)) !== code[DATA_LENGTH]) throw refuse('the check character does not match; check the code for a typo');
  return code;
}
