import { describe, expect, it } from 'vitest';
import {
  BUSINESS_LICENCE,
  checkFaceData,
  checkLicenceType,
  licenceTypeProblems,
  FaceDataError,
  newLicenceMetadata,
  PROVIDENT_FUND_CERTIFICATE,
  REAL_ESTATE_CERTIFICATE,
  SEED_EXAMPLES,
  SEED_LICENCE_TYPES,
  validateFaceData,
  validityPeriod,
  isValidIdentifier,
  isValidUscc,
  type LicenceType,
} from '../../signer/index.ts';

const exampleOf = (type: LicenceType) => SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
const summary = (errors: ReturnType<typeof validateFaceData>) => errors.map((e) => ({ field: e.field, name: e.name, problem: (e as { problem?: string }).problem }));

describe('seeded licence types', () => {
  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s has a local type code: a valid USCC + 9xx', (_name, type) => {
    expect(type.code).toMatch(/^11350200999999998J9\d\d$/);
    expect(isValidUscc(type.code.slice(0, 18))).toBe(true);
  });

  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s survives a JSON round trip unchanged (stored in Json columns)', (_name, type) => {
    expect(JSON.parse(JSON.stringify(type))).toEqual(type);
  });

  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s: its example face data is valid', (_name, type) => {
    expect(validateFaceData(type, exampleOf(type).face)).toEqual([]);
  });

  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s: every layout placement names a schema field, each at most once', (_name, type) => {
    const keys = type.schema.fields.map((f) => f.key);
    const placed = type.layout.fields.map((p) => p.field);
    expect(placed.every((k) => keys.includes(k))).toBe(true);
    expect(new Set(placed).size).toBe(placed.length);
    expect([...keys].sort()).toEqual([...placed].sort());
  });
});

describe('validateFaceData', () => {
  it('returns every problem of 营业执照 face data, each naming its field', () => {
    const face = {
      ...exampleOf(BUSINESS_LICENCE).face,
      uscc: '91350100M000100Y44', // check character
      name: '', // required
      entityType: '有限公司', // not an option
      legalRepresentative: '陈'.repeat(31), // too long
      registeredCapital: '500.001', // three decimals
      establishedOn: '2015-02-30', // not a date
      businessTermEnd: '2010-01-01', // before establishedOn? establishedOn is invalid, so no order check
      address: '厦门\n思明', // line break in a one-line field
      nickname: '鹭岛', // unknown
    };
    expect(summary(validateFaceData(BUSINESS_LICENCE, face))).toEqual([
      { field: 'uscc', name: 'InvalidCodeError', problem: undefined },
      { field: 'name', name: 'FaceFieldError', problem: 'REQUIRED' },
      { field: 'entityType', name: 'FaceFieldError', problem: 'NOT_AN_OPTION' },
      { field: 'legalRepresentative', name: 'FaceFieldError', problem: 'TOO_LONG' },
      { field: 'registeredCapital', name: 'FaceFieldError', problem: 'NOT_A_NUMBER' },
      { field: 'establishedOn', name: 'FaceFieldError', problem: 'NOT_A_DATE' },
      { field: 'address', name: 'FaceFieldError', problem: 'LINE_BREAK' },
      { field: 'nickname', name: 'FaceFieldError', problem: 'UNKNOWN_FIELD' },
    ]);
  });

  it('checks the date order constraint and long-term dates', () => {
    const face = { ...exampleOf(BUSINESS_LICENCE).face, businessTermEnd: '2015-03-11' };
    expect(summary(validateFaceData(BUSINESS_LICENCE, face))).toEqual([{ field: 'businessTermEnd', name: 'FaceFieldError', problem: 'ORDER' }]);
    expect(validateFaceData(BUSINESS_LICENCE, { ...face, businessTermEnd: '长期' })).toEqual([]);
    expect(summary(validateFaceData(BUSINESS_LICENCE, { ...face, establishedOn: '长期' }))).toEqual([
      { field: 'establishedOn', name: 'FaceFieldError', problem: 'NOT_A_DATE' },
    ]);
  });

  it('checks numbers: non-strings, ranges and scales', () => {
    const face = { ...exampleOf(PROVIDENT_FUND_CERTIFICATE).face, depositBase: 12000, depositRatio: '13', monthlyDeposit: '-1.00', balance: '01.00' };
    expect(summary(validateFaceData(PROVIDENT_FUND_CERTIFICATE, face))).toEqual([
      { field: 'depositBase', name: 'FaceFieldError', problem: 'NOT_A_STRING' },
      { field: 'depositRatio', name: 'FaceFieldError', problem: 'OUT_OF_RANGE' },
      { field: 'monthlyDeposit', name: 'FaceFieldError', problem: 'NOT_A_NUMBER' },
      { field: 'balance', name: 'FaceFieldError', problem: 'NOT_A_NUMBER' },
    ]);
  });

  it('validates a party code by the type its enum field gives', () => {
    const base = exampleOf(REAL_ESTATE_CERTIFICATE).face;
    expect(validateFaceData(REAL_ESTATE_CERTIFICATE, { ...base, holderIdType: '统一社会信用代码', holderIdNumber: '91350100M000100Y43' })).toEqual([]);
    // An ID number where the type says USCC fails as a USCC.
    expect(validateFaceData(REAL_ESTATE_CERTIFICATE, { ...base, holderIdType: '统一社会信用代码' })).toEqual([
      expect.objectContaining({ name: 'InvalidCodeError', field: 'holderIdNumber', standard: 'GB 32100-2015' }),
    ]);
    expect(validateFaceData(REAL_ESTATE_CERTIFICATE, { ...base, holderIdNumber: '350203198507151236' })).toEqual([
      expect.objectContaining({ name: 'InvalidCodeError', field: 'holderIdNumber', standard: 'GB 11643-1999' }),
    ]);
  });

  it('checkFaceData throws one FaceDataError carrying all problems, and canonicalises valid data', () => {
    const bad = { ...exampleOf(PROVIDENT_FUND_CERTIFICATE).face, name: '', idNumber: '350206199001010026' };
    let caught: unknown;
    try {
      checkFaceData(PROVIDENT_FUND_CERTIFICATE, bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FaceDataError);
    expect((caught as FaceDataError).code).toBe('INVALID_FACE_DATA');
    expect((caught as FaceDataError).problems.map((p) => p.field)).toEqual(['name', 'idNumber']);

    const lower = { ...exampleOf(REAL_ESTATE_CERTIFICATE).face, holderIdNumber: '11010519491231002x', otherStatus: '' };
    const checked = checkFaceData(REAL_ESTATE_CERTIFICATE, lower);
    expect(checked.holderIdNumber).toBe('11010519491231002X');
    expect('otherStatus' in checked).toBe(false);
  });
});

describe('validityPeriod', () => {
  it.each([
    ['three months', { kind: 'fixedTerm', months: 3 } as const, '2024-03-15', {}, { validFrom: '2024-03-15', validUntil: '2024-06-15' }],
    ['one month from the 31st', { kind: 'fixedTerm', months: 1 } as const, '2024-01-31', {}, { validFrom: '2024-01-31', validUntil: '2024-02-29' }],
    ['five years from a leap day', { kind: 'fixedTerm', years: 5 } as const, '2024-02-29', {}, { validFrom: '2024-02-29', validUntil: '2029-02-28' }],
    ['until a face date', { kind: 'untilField', field: 'end' } as const, '2024-03-15', { end: '2034-03-14' }, { validFrom: '2024-03-15', validUntil: '2034-03-14' }],
    ['until 长期', { kind: 'untilField', field: 'end' } as const, '2024-03-15', { end: '长期' }, { validFrom: '2024-03-15', validUntil: null }],
    ['long-term', { kind: 'longTerm' } as const, '2024-03-15', {}, { validFrom: '2024-03-15', validUntil: null }],
  ])('%s', (_name, rule, issueDate, face, expected) => {
    expect(validityPeriod(rule, issueDate, face)).toEqual(expected);
  });

  it('refuses a face end date before the issue date, naming the field', () => {
    expect(() => validityPeriod({ kind: 'untilField', field: 'end' }, '2024-03-15', { end: '2024-03-14' })).toThrow(expect.objectContaining({ field: 'end' }));
    expect(() => validityPeriod({ kind: 'longTerm' }, '2024-3-15', {})).toThrow(expect.objectContaining({ field: 'issueDate' }));
  });
});

describe('newLicenceMetadata (GB/T 36903)', () => {
  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s: derives holder, validity and a valid identifier', (_name, type) => {
    const ex = exampleOf(type);
    const meta = newLicenceMetadata(type, { face: ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '2430599', number: ex.number });
    expect(isValidIdentifier(meta.identifier)).toBe(true);
    expect(meta.identifier).toBe(`1.2.156.3005.2.${type.code}.${ex.issuerCode}.2430599.001.${meta.identifier.slice(-1)}`);
    expect(meta.holder).toBe(ex.face[type.holder.nameField]);
    expect(meta.holderCode).toBe(ex.face[type.holder.codeField]);
    expect(meta).toMatchObject({ name: type.name, typeCode: type.code, number: ex.number, issuer: ex.issuer, issuerCode: ex.issuerCode, status: 'VALID', validFrom: '2024-03-15' });
  });

  it('reads the holder code type from the face: person 111, organisation 001', () => {
    const ex = exampleOf(REAL_ESTATE_CERTIFICATE);
    const input = { issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '1' };
    expect(newLicenceMetadata(REAL_ESTATE_CERTIFICATE, { ...input, face: ex.face }).holderCodeType).toBe('111');
    const company = { ...ex.face, holder: '厦门鹭岛数字科技有限公司', holderIdType: '统一社会信用代码', holderIdNumber: '91350100M000100Y43' };
    expect(newLicenceMetadata(REAL_ESTATE_CERTIFICATE, { ...input, face: company }).holderCodeType).toBe('001');
    expect(newLicenceMetadata(BUSINESS_LICENCE, { ...input, face: exampleOf(BUSINESS_LICENCE).face }).holderCodeType).toBe('001');
  });

  it('rejects a bad issuer code before anything else is built', () => {
    const ex = exampleOf(BUSINESS_LICENCE);
    expect(() => newLicenceMetadata(BUSINESS_LICENCE, { face: ex.face, issuer: ex.issuer, issuerCode: '11350200MB00000192', issueDate: '2024-03-15', serial: '1' })).toThrow(
      expect.objectContaining({ name: 'InvalidCodeError', field: 'issuerCode' }),
    );
  });

  it('rejects a holder born after the issue date', () => {
    const ex = exampleOf(PROVIDENT_FUND_CERTIFICATE);
    expect(() =>
      newLicenceMetadata(PROVIDENT_FUND_CERTIFICATE, { face: ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '1989-12-31', serial: '1' }),
    ).toThrow(FaceDataError);
  });
});

describe('licenceTypeProblems (types are data)', () => {
  it.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('%s is consistent', (_name, type) => {
    expect(licenceTypeProblems(type)).toEqual([]);
    expect(checkLicenceType(type)).toBe(type);
  });

  it('lists every inconsistency of a broken type, each with its path', () => {
    const broken = JSON.parse(JSON.stringify(BUSINESS_LICENCE)) as { -readonly [K in keyof LicenceType]: any };
    broken.code = '11350200999999998K901';
    broken.schema.fields.push({ key: 'name', label: '名称', kind: 'text', maxLength: 10, required: false });
    broken.holder.codeField = 'name';
    broken.validity = { kind: 'untilField', field: 'address' };
    broken.layout.fields.push({ field: 'nickname', x: 10, y: 10, width: 50, labelWidth: 20, size: 10, maxLines: 1 });
    broken.layout.seal = { x: 280, y: 150, size: 42 };
    expect(licenceTypeProblems(broken)).toEqual([
      'code: must be a valid 统一社会信用代码 followed by 3 digits (GB/T 36904)',
      "schema.fields[9].key: 'name' is defined twice",
      "holder.codeField: 'name' must be a uscc, idNumber or partyCode field",
      "validity.field: 'address' must be a date field",
      "layout.fields[9].field: 'nickname' is not a schema field",
      'layout.seal: lies off the 297 x 210 mm page',
    ]);
    expect(() => checkLicenceType(broken)).toThrow(expect.objectContaining({ code: 'INVALID_LICENCE_TYPE', field: 'licenceType' }));
  });
});
