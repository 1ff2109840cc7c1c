/**
 * Check characters and formats of the codes an evidence record carries. The chaincode
 * imports nothing from the rest of zhengyin, so these few functions live here.
 */

const ISO7064_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * ISO 7064 MOD 37,36 (hybrid system, M = 36) check character over `payload`, the
 * algorithm GB/T 36904 uses for the licence identifier's last segment.
 * Returns undefined when `payload` holds a character outside 0-9A-Z.
 */
export function mod3736(payload: string): string | undefined {
  let p = 36;
  for (const c of payload) {
    const v = ISO7064_ALPHABET.indexOf(c);
    if (v < 0) return undefined;
    let s = (p + v) % 36;
    if (s === 0) s = 36;
    p = (s * 2) % 37;
  }
  return ISO7064_ALPHABET[(37 - p) % 36];
}

// GB 32100-2015 §4.2: 31 characters, without I, O, S, V, Z.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 统一社会信用代码: 18 characters, digits in positions 3-8, the last the GB 32100-2015 check character. */
export function isUscc(code: string): boolean {
  // Positions 3-8 are the 登记管理机关行政区划码, a GB/T 2260 division code: digits.
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(code[i]!) * USCC_WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return code[17] === USCC_ALPHABET[c === 31 ? 0 : c];
}

/** 证照类型代码 (GB/T 36904): the defining authority's 统一社会信用代码 and three digits. */
export function isLicenceTypeCode(code: string): boolean {
  return /^.{18}\d{3}$/.test(code) && isUscc(code.slice(0, 18));
}

export interface LicenceIdentifierParts {
  readonly typeCode: string;
  readonly issuerCode: string;
  readonly serial: string;
  readonly version: number;
}

/**
 * Parses a GB/T 36904 licence identifier
 * `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version, 3 digits>.<check>`,
 * or returns a reason why it is not one.
 */
export function parseLicenceIdentifier(identifier: string): LicenceIdentifierParts | string {
  const m = /^1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.([0-9A-Z]{1,20})\.(?!000)(\d{3})\.([0-9A-Z])$/.exec(identifier);
  if (!m) return 'not of the form 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>';
  const [, typeCode, issuerCode, serial, version, check] = m as unknown as [string, string, string, string, string, string];
  if (!isLicenceTypeCode(typeCode)) return 'type code is not a 统一社会信用代码 followed by three digits';
  if (!isUscc(issuerCode)) return 'issuer code is not a valid 统一社会信用代码';
  if (mod3736(typeCode + issuerCode + serial + version) !== check) return 'check character does not match (ISO 7064 MOD 37,36)';
  return { typeCode, issuerCode, serial, version: Number(version) };
}

/**
 * 不动产单元代码 after GB/T 37346-2019: 6-digit county division, 3-digit 地籍区,
 * 3-digit 地籍子区, 2-letter 宗地特征码 (G/J/Z + type), 5-digit 宗地顺序号, 1-letter
 * 定着物特征码 (F house, L forest, Q other, W none), 8-digit 定着物单元编号: 28 characters.
 */
export function isRealEstateUnitNumber(code: string): boolean {
  return /^\d{12}[GJZ][A-Z]\d{5}[FLQW]\d{8}$/.test(code);
}

/** Lower-case hex SHA-256 (also the form of salted hashes of personal identifiers). */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/** ISO 8601 date-time with an explicit offset, e.g. 2026-01-01T08:00:00+08:00. */
/** A calendar date 'YYYY-MM-DD' that exists (2026-02-30 does not); the same answers as signer/licence/dates.ts. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function isIsoDateTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * 项目代码 of the 全国投资项目在线审批监管平台: year, 6-digit 行政区划代码, 2-digit 行业代码,
 * 2-digit 项目类型, 6-digit 流水号, joined by hyphens, e.g. 2026-350203-48-01-000123.
 */
export function isProjectCode(value: string): boolean {
  return /^(19|20)\d{2}-\d{6}-\d{2}-\d{2}-\d{6}$/.test(value);
}
