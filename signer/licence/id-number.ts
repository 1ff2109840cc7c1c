import { InvalidCodeError } from '../../common/index.ts';
import { mod11_2 } from './iso7064.ts';

/** GB 11643-1999 — 公民身份号码. */
export const ID_NUMBER_STANDARD = 'GB 11643-1999';

export interface IdNumberOptions {
  /** Named in the error, e.g. `'holderCode'`. */
  readonly field: string;
  /** When given, a birth date after this instant is rejected. A parameter, never the clock. */
  readonly at?: Date;
}

/** Why `value` is not a 公民身份号码, or `undefined` if it is one. */
function idNumberProblem(value: string, at: Date | undefined): string | undefined {
  if (!/^\d{17}[\dX]$/.test(value)) return 'must be 17 digits followed by a digit or X';
  // Positions 7-14 are the birth date YYYYMMDD (GB 11643-1999 §4.3).
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d)
    return `birth date ${value.slice(6, 14)} is not a calendar date`;
  if (at && birth.getTime() > at.getTime()) return `birth date ${value.slice(6, 14)} is in the future`;
  const expected = mod11_2(value.slice(0, 17));
  if (value[17] !== expected) return `check digit is '${value[17]}', expected '${expected}'`;
  return undefined;
}

export const isValidIdNumber = (value: string, at?: Date): boolean => idNumberProblem(value.toUpperCase(), at) === undefined;

/**
 * Returns the 居民身份证号码 in canonical form (a trailing 'x' upper-cased) if it is valid
 * after GB 11643-1999: 18 characters, a real birth date, and the ISO 7064 MOD 11-2 check
 * digit.
 *
 * @throws {@link InvalidCodeError} naming `options.field` and GB 11643-1999.
 * @example
 * parseIdNumber('11010519491231002x', { field: 'idNumber' }); // '11010519491231002X'
 */
export function parseIdNumber(value: string, options: IdNumberOptions): string {
  const canonical = value.toUpperCase();
  const reason = idNumberProblem(canonical, options.at);
  if (reason !== undefined) throw new InvalidCodeError({ field: options.field, value, standard: ID_NUMBER_STANDARD, reason });
  return canonical;
}
