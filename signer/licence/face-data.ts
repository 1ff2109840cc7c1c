import { InvalidCodeError, type InvalidInputError } from '../../common/index.ts';
import { isIsoDate, LONG_TERM } from './dates.ts';
import { FaceDataError, FaceFieldError, type FaceFieldProblem } from './errors.ts';
import { parseIdNumber } from './id-number.ts';
import { PARTY_CODE_TYPES, type FaceField, type LicenceType } from './licence-type.ts';
import { parseUscc } from './uscc.ts';

/** 照面信息: face field key → value, every value a string (dates 'YYYY-MM-DD', money '500.00'). */
export type FaceData = Readonly<Record<string, string>>;

export interface FaceValidationOptions {
  /** Birth dates in ID numbers after this instant are rejected. A parameter, never the clock. */
  readonly at?: Date;
}

const codePoints = (s: string): number => [...s].length;
const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d+)?$/;

function decimalProblem(value: string, scale: number, min?: number, max?: number): [FaceFieldProblem, string] | undefined {
  const m = DECIMAL.exec(value);
  if (!m || (m[2] !== undefined && m[2].length - 1 > scale))
    return ['NOT_A_NUMBER', `'${value}' is not a decimal number with at most ${scale} decimals`];
  const n = Number(value);
  if ((min !== undefined && n < min) || (max !== undefined && n > max))
    return ['OUT_OF_RANGE', `${value} is outside ${min ?? '-∞'}..${max ?? '∞'}`];
  return undefined;
}

/** The problem with one present, string value, or undefined. Codes throw InvalidCodeError. */
function fieldProblem(field: FaceField, value: string, data: Record<string, unknown>, options: FaceValidationOptions): [FaceFieldProblem, string] | undefined {
  switch (field.kind) {
    case 'text':
      if (/[\r\n]/.test(value)) return ['LINE_BREAK', 'must be one line'];
      if (codePoints(value) > field.maxLength) return ['TOO_LONG', `${codePoints(value)} characters, at most ${field.maxLength}`];
      return undefined;
    case 'multiline':
      if (codePoints(value) > field.maxLength) return ['TOO_LONG', `${codePoints(value)} characters, at most ${field.maxLength}`];
      return undefined;
    case 'date':
      if (field.allowLongTerm && value === LONG_TERM) return undefined;
      if (!isIsoDate(value)) return ['NOT_A_DATE', `'${value}' is not a date YYYY-MM-DD${field.allowLongTerm ? ` or ${LONG_TERM}` : ''}`];
      return undefined;
    case 'money':
      return decimalProblem(value, 2, field.min ?? 0, field.max);
    case 'number':
      return decimalProblem(value, field.scale, field.min, field.max);
    case 'enum':
      if (!field.options.includes(value)) return ['NOT_AN_OPTION', `'${value}' is not one of ${field.options.join(', ')}`];
      return undefined;
    case 'uscc':
      parseUscc(value, field.key);
      return undefined;
    case 'idNumber':
      parseIdNumber(value, { field: field.key, at: options.at });
      return undefined;
    case 'partyCode': {
      const codeType = PARTY_CODE_TYPES[String(data[field.typeField])];
      // An invalid type field is reported on that field; the code cannot be judged without it.
      if (codeType === '001') parseUscc(value, field.key);
      else if (codeType === '111') parseIdNumber(value, { field: field.key, at: options.at });
      return undefined;
    }
  }
}

/**
 * Checks face data against a licence type's schema and returns every problem, one typed
 * error per failing field, in schema order (unknown keys last): {@link FaceFieldError} for
 * shape problems, `InvalidCodeError` for codes whose check character fails. An empty array
 * means the data is valid.
 *
 * Blank strings count as absent. Values are not trimmed: ' 厦门' is not '厦门'.
 */
export function validateFaceData(type: LicenceType, data: Readonly<Record<string, unknown>>, options: FaceValidationOptions = {}): InvalidInputError[] {
  const problems: InvalidInputError[] = [];
  const add = (field: string, problem: FaceFieldProblem, message: string) => problems.push(new FaceFieldError({ field, problem, message }));
  const known = new Set(type.schema.fields.map((f) => f.key));
  for (const field of type.schema.fields) {
    const value = data[field.key];
    if (value === undefined || value === null || value === '') {
      if (field.required) add(field.key, 'REQUIRED', `${field.label} is required`);
      continue;
    }
    if (typeof value !== 'string') {
      add(field.key, 'NOT_A_STRING', `${field.label} must be a string, got ${typeof value}`);
      continue;
    }
    try {
      const problem = fieldProblem(field, value, data as Record<string, unknown>, options);
      if (problem) add(field.key, problem[0], `${field.label}: ${problem[1]}`);
    } catch (e) {
      if (e instanceof InvalidCodeError) problems.push(e);
      else throw e;
    }
  }
  for (const c of type.schema.constraints ?? []) {
    const a = data[c.field];
    const b = data[c.other];
    if (typeof a === 'string' && typeof b === 'string' && isIsoDate(a) && isIsoDate(b) && a < b)
      add(c.field, 'ORDER', `${a} is before ${c.other} ${b}`);
  }
  for (const key of Object.keys(data)) if (!known.has(key)) add(key, 'UNKNOWN_FIELD', `not a field of ${type.name}`);
  return problems;
}

/**
 * Returns the face data in canonical form if it is valid: only schema fields, blank optional
 * fields dropped, ID numbers with an upper-case X.
 *
 * @throws {@link FaceDataError} listing every problem that {@link validateFaceData} finds.
 */
export function checkFaceData(type: LicenceType, data: Readonly<Record<string, unknown>>, options: FaceValidationOptions = {}): FaceData {
  const problems = validateFaceData(type, data, options);
  if (problems.length > 0) throw new FaceDataError({ licenceType: type.code, problems });
  const out: Record<string, string> = {};
  for (const field of type.schema.fields) {
    const value = data[field.key];
    if (typeof value !== 'string' || value === '') continue;
    out[field.key] = field.kind === 'idNumber' || field.kind === 'partyCode' ? value.toUpperCase() : value;
  }
  return out;
}
