import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../ledger/canonical.ts';

// The chaincode imports nothing from the rest, so it keeps its own canonicalJson; the two
// must agree byte for byte, or a block hashed here and a record hashed on the chain would
// disagree about equal content.
const chaincode = createRequire(import.meta.url)('../../chaincode/dist/canonical.js') as { canonicalJson: (value: unknown) => string };

/** Whatever one of them does with `value`: its text, or the error it throws. */
function outcome(canonical: (value: unknown) => string, value: unknown): { text: string | undefined } | { threw: string } {
  try {
    return { text: canonical(value) };
  } catch (e) {
    return { threw: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('canonicalJson in ledger/ and in the chaincode', () => {
  it.each([
    ['empty object', {}],
    ['empty array', []],
    ['empty string', ''],
    ['null', null],
    ['booleans', [true, false]],
    ['keys out of order', { b: 1, a: 2, c: { z: 0, y: [3, 2, 1] } }],
    ['integer-like keys (sorted as text, not as JavaScript orders them)', { 10: 'a', 2: 'b', '-1': 'c', '01': 'd' }],
    ['nested objects and arrays', { a: [{ d: 1, c: [] }, [[{}]]], b: { b: { b: { a: null } } } }],
    ['numbers', [0, -0, 1, -1, 42, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1.5, 1e21, 1e-7, 0.1 + 0.2]],
    ['Chinese text and keys', { 证照名称: '营业执照', 颁发机构: '北京市市场监督管理局', holder: '张三' }],
    ['astral characters (surrogate pairs) in keys and values', { '𠮷': '𠮷野家', '😀': ['🀄', '𝄞'], a: '\u{10FFFF}' }],
    ['keys across the UTF-16 order (astral sorts before U+E000-U+FFFF)', { 'ｚ': 1, '𠮷': 2, '中': 3, 'z': 4, 'é': 5, '': 6 }],
    ['escapes', { 'quote"': 'back\\slash', 'line\nbreak': 'tab\t\r\b\f', ctl: '\u0000\u001f\u007f', sep: '\u2028\u2029', slash: '/' }],
    ['lone surrogates', ['\ud800', '\udfff', 'a\ud83d']],
    ['a __proto__ key read from JSON', JSON.parse('{"__proto__":{"x":1},"a":0}')],
    ['a block header', { version: 1, number: '7', previousHash: '0'.repeat(64), dataHash: 'ab'.repeat(32), transactionCount: 3, time: '2026-01-01T00:00:00.000Z', signerKeyId: 'cd'.repeat(32) }],
  ])('agree byte for byte: %s', (_name, value) => {
    const ours = canonicalJson(value);
    expect(Buffer.from(ours, 'utf8')).toEqual(Buffer.from(chaincode.canonicalJson(value), 'utf8'));
    expect(JSON.parse(ours)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('sort keys by UTF-16 code units, as RFC 8785 does, with no whitespace', () => {
    expect(canonicalJson({ 'ｚ': 1, '𠮷': 2, '中': 3, z: 4, é: 5, 10: 6, 2: 7 })).toBe('{"10":6,"2":7,"z":4,"é":5,"中":3,"𠮷":2,"ｚ":1}');
  });

  // Outside the documented domain (strings, safe integers, booleans, null, arrays,
  // objects) neither refuses; what matters is that both do the same thing.
  it.each([
    ['NaN', NaN],
    ['Infinity', [Infinity, -Infinity]],
    ['undefined alone', undefined],
    ['undefined as a field (dropped)', { a: undefined, b: 1 }],
    ['undefined in an array', [undefined, 1]],
    ['a function', { f: () => 1 }],
    ['a symbol', [Symbol('s')]],
    ['a BigInt (throws)', { n: 1n }],
    ['a Date (an object with no own fields)', { at: new Date(0) }],
    ['a Map', new Map([['a', 1]])],
    ['a typed array', new Uint8Array([1, 2])],
  ])('do the same outside the documented domain: %s', (_name, value) => {
    expect(outcome(canonicalJson, value)).toEqual(outcome(chaincode.canonicalJson, value));
  });

  it('both write NaN and infinities as null, drop undefined fields, and throw on a BigInt', () => {
    for (const canonical of [canonicalJson, chaincode.canonicalJson]) {
      expect(canonical([NaN, Infinity, -Infinity])).toBe('[null,null,null]');
      expect(canonical({ a: undefined, b: 1 })).toBe('{"b":1}');
      expect(() => canonical({ n: 1n })).toThrow(TypeError);
    }
  });
});
