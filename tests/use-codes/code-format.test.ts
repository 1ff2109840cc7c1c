import { describe, expect, it } from 'vitest';
import { checkCharacter, CROCKFORD, displayUseCode, newUseCode, parseUseCode } from '../../gateway/services/use-codes/code-format.ts';

describe('use code format (Crockford Base32 + ISO/IEC 7064 hybrid MOD 33,32)', () => {
  it('mints 12 characters of the alphabet, the last one checking the rest, shown in groups of four', () => {
    const codes = Array.from({ length: 500 }, newUseCode);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(parseUseCode(displayUseCode(code))).toBe(code);
    }
    expect(new Set(codes).size).toBe(500);
    expect(displayUseCode('7K3M9Q2XW4HD')).toBe('7K3M-9Q2X-W4HD');
  });

  it('reads a code as people type it: lower case, spaces, hyphens, I/L for 1 and O for 0', () => {
    const data = '0111ABCDEFG';
    const code = data + checkCharacter(data);
    expect(parseUseCode(` oIl1-abcd efg${code.at(-1)!.toLowerCase()} `)).toBe(code);
  });

  it('catches every single wrong character', () => {
    const code = newUseCode();
    for (let i = 0; i < code.length; i++) {
      for (const c of CROCKFORD) {
        if (c === code[i]) continue;
        const typo = code.slice(0, i) + c + code.slice(i + 1);
        expect(() => parseUseCode(typo), typo).toThrow(expect.objectContaining({ code: 'INVALID_CODE', field: 'code' }));
      }
    }
  });

  it('catches most swaps of two neighbours', () => {
    let swaps = 0;
    let caught = 0;
    for (let n = 0; n < 200; n++) {
      const code = newUseCode();
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        swaps++;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        try {
          parseUseCode(swapped);
        } catch {
          caught++;
        }
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.9);
  });

  it.each([
    ['too short', '7K3M-9Q2X-W4H'],
    ['a U, outside the alphabet', '7K3M-9Q2X-W4HU'],
    ['empty', ''],
  ])('refuses a code %s', (_name, typed) => {
    expect(() => parseUseCode(typed)).toThrow(expect.objectContaining({ code: 'INVALID_CODE' }));
  });
});
