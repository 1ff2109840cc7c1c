import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { evidenceDomains } from '../../ledger/index.ts';
import { isIsoDate, isValidIdentifier, isValidUscc, mod37_36, usccCheckCharacter } from '../../signer/index.ts';

// The chaincode imports nothing from the rest, so it keeps its own copies of what ledger/
// and signer/ also define; these tests hold each pair to the same answers (the evidence
// types in evidence-config.test.ts, canonicalJson in canonical.test.ts).
const require = createRequire(import.meta.url);
const records = require('../../chaincode/dist/records.js') as { DOMAINS: unknown };
const chaincode = require('../../chaincode/dist/codes.js') as {
  mod3736(payload: string): string | undefined;
  isUscc(code: string): boolean;
  parseLicenceIdentifier(identifier: string): object | string;
  isIsoDate(value: string): boolean;
};

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A fixed pseudo-random sequence (a 32-bit LCG), so that a failure names the same input every run. */
function* payloads(count: number): Generator<string> {
  let seed = 8;
  const next = (n: number) => ((seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) % n);
  for (let i = 0; i < count; i++) yield Array.from({ length: 1 + next(60) }, () => ALPHANUMERIC[next(36)]).join('');
}

const chaincodeAccepts = (identifier: string): boolean => typeof chaincode.parseLicenceIdentifier(identifier) !== 'string';

// The GB/T 36904 public test vector's codes (both pass their GB 32100-2015 check).
const TYPE_CODE = '11100000000013338W032';
const ISSUER_CODE = '11220000013544541J';
const identifier = (serial: string, version: string, check = mod37_36(TYPE_CODE + ISSUER_CODE + serial + version)!) =>
  `1.2.156.3005.2.${TYPE_CODE}.${ISSUER_CODE}.${serial}.${version}.${check}`;

describe('the evidence domains', () => {
  it('are the contract’s own, in its order', () => {
    expect(evidenceDomains).toEqual(records.DOMAINS);
  });
});

// GB/T 36904 identifiers and GB 32100-2015 codes: a licence the signer issues must not be
// refused by the chain (chaincode/src/codes.ts against signer/licence/).
describe('the chaincode’s code checks and signer/licence/', () => {
  it('compute the same ISO 7064 MOD 37,36 check character', () => {
    for (const payload of payloads(2000)) expect(chaincode.mod3736(payload), payload).toBe(mod37_36(payload));
    for (const payload of ['', 'a', 'ABC-1', '中文']) expect(chaincode.mod3736(payload), payload).toBe(mod37_36(payload));
  });

  it.each([
    ['the test vector type authority', TYPE_CODE.slice(0, 18)],
    ['the test vector issuer', ISSUER_CODE],
    ['a company', '91350100M000100Y43'],
    ['a wrong check character', '91350100M000100Y44'],
    ['a letter outside the alphabet (I)', '91350100M000100I43'],
    ['lower case', '91350100m000100y43'],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
  ])('agree on a 统一社会信用代码: %s', (_name, code) => {
    expect(chaincode.isUscc(code)).toBe(isValidUscc(code));
  });

  it.each([
    ['the GB/T 36904 public test vector', '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F'],
    ['a wrong check character', identifier('2430599', '001', 'G')],
    ['a 20-digit serial', identifier('1'.repeat(20), '001')],
    ['a 21-digit serial', identifier('1'.repeat(21), '001')],
    ['version 002', identifier('7', '002')],
    ['a two-digit version', identifier('7', '01')],
    ['a missing root arc', identifier('7', '001').replace('1.2.156.3005.2.', '1.2.156.3005.')],
    ['a wrong issuer check character', identifier('7', '001').replace(ISSUER_CODE, ISSUER_CODE.slice(0, 17) + 'K')],
  ])('agree on a licence identifier: %s', (_name, value) => {
    expect(chaincodeAccepts(value)).toBe(isValidIdentifier(value));
  });

  // Once disagreements: the chain now follows the signer, which follows the standards.
  it('agree on a serial of letters and digits (GB/T 36904 allows 0-9 and A-Z; both accept it)', () => {
    expect(isValidIdentifier(identifier('A7', '001'))).toBe(true);
    expect(chaincodeAccepts(identifier('A7', '001'))).toBe(true);
  });
  it('agree on version 000 (versions start at 001; neither accepts it)', () => {
    expect(isValidIdentifier(identifier('7', '000'))).toBe(false);
    expect(chaincodeAccepts(identifier('7', '000'))).toBe(false);
  });
  it('agree on a 统一社会信用代码 with letters in the division-code positions 3-8 (neither accepts it)', () => {
    const code = `91A50100M000100Y4${usccCheckCharacter('91A50100M000100Y4')}`;
    expect(isValidUscc(code)).toBe(false);
    expect(chaincode.isUscc(code)).toBe(false);
  });
});

// A renewal's new end of validity (licence.renewed validUntil) is a date the signer made.
describe('the chaincode’s date check and signer/licence/dates.ts', () => {
  it.each(['2027-03-31', '2028-02-29', '2027-02-29', '2027-02-30', '2027-13-01', '2027-00-10', '0099-01-01', '27-03-31', '2027-3-31', '2027-03-31T00:00:00Z', '长期', ''])(
    'agree on %j',
    (value) => {
      expect(chaincode.isIsoDate(value)).toBe(isIsoDate(value));
    },
  );
});
