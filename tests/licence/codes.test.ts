import { describe, expect, it } from 'vitest';
import { InvalidCodeError } from '../../common/index.ts';
import {
  IDENTIFIER_ROOT,
  LOCAL_DEFINING_AUTHORITY,
  isValidIdNumber,
  isValidUscc,
  mod37_36,
  newIdentifier,
  parseIdNumber,
  parseIdentifier,
  parseUscc,
  SEED_EXAMPLES,
} from '../../signer/index.ts';

const PUBLIC_VECTOR = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';

// An independent reading of GB 32100-2015 Annex A: the character values and weights written
// out as tables, not computed.
const GB32100_VALUES = Object.fromEntries([...'0123456789ABCDEFGHJKLMNPQRTUWXY'].map((c, i) => [c, i]));
const GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function gb32100Check(code: string): string {
  const sum = GB32100_WEIGHTS.reduce((acc, w, i) => acc + w * GB32100_VALUES[code[i]!]!, 0);
  const c = 31 - (sum % 31);
  return c === 31 ? '0' : Object.keys(GB32100_VALUES)[c]!;
}
// GB 11714-1997 organisation code check digit: positions 9-17 of a USCC are an organisation code.
function gb11714Check(code8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * parseInt(code8[i]!, 36), 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

describe('统一社会信用代码 (GB 32100-2015)', () => {
  const good = ['91350100M000100Y43', '11100000000013338W', '11220000013544541J', LOCAL_DEFINING_AUTHORITY, ...SEED_EXAMPLES.map((e) => e.issuerCode)];

  it.each(good)('accepts %s, whose check character an independent table computation agrees with', (code) => {
    expect(parseUscc(code, 'holderCode')).toBe(code);
    expect(isValidUscc(code)).toBe(true);
    expect(code[17]).toBe(gb32100Check(code));
  });

  it.each(['91350100M000100Y43', '11100000000013338W', '11220000013544541J', LOCAL_DEFINING_AUTHORITY])(
    '%s also carries a valid GB 11714 organisation code in positions 9-17',
    (code) => {
      expect(code[16]).toBe(gb11714Check(code.slice(8, 16)));
    },
  );

  it.each([
    ['wrong check character', '91350100M000100Y44', /check character is '4', expected '3'/],
    ['17 characters', '91350100M000100Y4', /must be 18 characters/],
    ['19 characters', '91350100M000100Y431', /must be 18 characters/],
    ['letter I', '91350100M000100I43', /'I' is not in the code alphabet/],
    ['letter O', '91350100M000100O43', /'O' is not in the code alphabet/],
    ['letter S', '91350100M000100S43', /'S' is not in the code alphabet/],
    ['letter V', '91350100M000100V43', /'V' is not in the code alphabet/],
    ['letter Z', '91350100M000100Z43', /'Z' is not in the code alphabet/],
    ['lower case', '91350100m000100y43', /not in the code alphabet/],
    ['letter in the division code', '9135A100M000100Y43', /positions 3-8/],
  ])('rejects %s', (_name, code, reason) => {
    expect(() => parseUscc(code, 'holderCode')).toThrow(reason);
    expect(isValidUscc(code)).toBe(false);
  });

  it('names the field and the standard in its typed error', () => {
    let caught: unknown;
    try {
      parseUscc('91350100M000100Y44', 'issuerCode');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidCodeError);
    expect(caught).toMatchObject({ name: 'InvalidCodeError', code: 'INVALID_CODE', field: 'issuerCode', standard: 'GB 32100-2015', value: '91350100M000100Y44' });
  });

  it('detects every single-character substitution of a valid code', () => {
    const code = '91350100M000100Y43';
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 0; i < 18; i++)
      for (const c of alphabet) {
        if (c === code[i]) continue;
        const changed = code.slice(0, i) + c + code.slice(i + 1);
        if (i >= 2 && i < 8 && !/\d/.test(c)) continue; // rejected for format, not the check
        expect(isValidUscc(changed), changed).toBe(false);
      }
  });
});

describe('居民身份证号码 (GB 11643-1999)', () => {
  it.each(['11010519491231002X', '350203198507151235', '350206199001010025'])('accepts %s', (id) => {
    expect(parseIdNumber(id, { field: 'idNumber' })).toBe(id);
  });

  it('accepts a lower-case x and returns the canonical upper-case X', () => {
    expect(parseIdNumber('11010519491231002x', { field: 'idNumber' })).toBe('11010519491231002X');
  });

  it.each([
    ['wrong check digit', '110105194912310021', /check digit is '1', expected 'X'/],
    ['30 February', '110105194902300021', /not a calendar date/],
    ['month 13', '110105194913010021', /not a calendar date/],
    ['17 characters', '11010519491231002', /17 digits followed by a digit or X/],
    ['X inside', '1101051949123100X2', /17 digits followed by a digit or X/],
  ])('rejects %s', (_name, id, reason) => {
    expect(() => parseIdNumber(id, { field: 'idNumber' })).toThrow(reason);
    expect(isValidIdNumber(id)).toBe(false);
  });

  it('rejects a birth date after the validation time, and only then', () => {
    const id = '350206199001010025';
    expect(() => parseIdNumber(id, { field: 'holderCode', at: new Date('1989-12-31T00:00:00Z') })).toThrow(/in the future/);
    expect(parseIdNumber(id, { field: 'holderCode', at: new Date('2026-01-01T00:00:00Z') })).toBe(id);
  });

  it('throws InvalidCodeError naming the field and GB 11643-1999', () => {
    expect(() => parseIdNumber('110105194912310021', { field: 'holderCode' })).toThrow(
      expect.objectContaining({ name: 'InvalidCodeError', field: 'holderCode', standard: 'GB 11643-1999' }),
    );
  });
});

describe('电子证照标识 (GB/T 36904)', () => {
  it('validates the public test vector and splits it into its parts', () => {
    expect(parseIdentifier(PUBLIC_VECTOR)).toEqual({
      typeCode: '11100000000013338W032',
      issuerCode: '11220000013544541J',
      serial: '2430599',
      version: '001',
      check: 'F',
      value: PUBLIC_VECTOR,
    });
  });

  it('builds the public test vector from its parts', () => {
    const built = newIdentifier({ typeCode: '11100000000013338W032', issuerCode: '11220000013544541J', serial: '2430599', version: '001' });
    expect(built.value).toBe(PUBLIC_VECTOR);
    expect(built.check).toBe('F');
  });

  it('computes a MOD 37,36 check that satisfies the ISO 7064 hybrid verification for many inputs', () => {
    // ISO 7064 §7: running the hybrid recursion over data + check leaves S = 1 before the last doubling.
    const verify = (s: string) => {
      let p = 36;
      let last = 0;
      for (const ch of s) {
        last = (p + parseInt(ch, 36)) % 36 || 36;
        p = (last * 2) % 37;
      }
      return last === 1;
    };
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      let data = '';
      for (let i = 0; i < 1 + (n % 40); i++) data += alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % 36];
      expect(verify(data + mod37_36(data)), data).toBe(true);
    }
  });

  it.each([
    ['changed check character', PUBLIC_VECTOR.replace(/F$/, 'G'), /check character is 'G', expected 'F'/],
    ['changed serial', PUBLIC_VECTOR.replace('2430599', '2430598'), /check character/],
    ['changed version', PUBLIC_VECTOR.replace('.001.', '.002.'), /check character/],
    ['version 000', PUBLIC_VECTOR.replace('.001.', '.000.'), /version must be 3 digits from 001/],
    ['two-digit version', PUBLIC_VECTOR.replace('.001.', '.01.'), /version/],
    ['wrong root', PUBLIC_VECTOR.replace('3005.2', '3005.3'), new RegExp(`must start with ${IDENTIFIER_ROOT.replace(/\./g, '\\.')}`)],
    ['missing part', PUBLIC_VECTOR.replace('.2430599', ''), /five parts/],
    ['type code USCC with a wrong check character', PUBLIC_VECTOR.replace('13338W032', '13338X032'), /licence type code/],
    ['issuer code with a wrong check character', PUBLIC_VECTOR.replace('44541J', '44541K'), /issuer code/],
    ['lower-case check', PUBLIC_VECTOR.replace(/F$/, 'f'), /check character/],
  ])('rejects %s', (_name, id, reason) => {
    expect(() => parseIdentifier(id, 'identifier')).toThrow(reason);
  });

  it('names the malformed part when building', () => {
    expect(() => newIdentifier({ typeCode: '11100000000013338W032', issuerCode: '11220000013544541K', serial: '1', version: '001' })).toThrow(
      expect.objectContaining({ name: 'InvalidCodeError', field: 'issuerCode', standard: 'GB/T 36904-2018' }),
    );
    expect(() => newIdentifier({ typeCode: '11100000000013338W032', issuerCode: '11220000013544541J', serial: '24-3', version: '001' })).toThrow(
      expect.objectContaining({ field: 'serial' }),
    );
  });
});
