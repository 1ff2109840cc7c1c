import { InvalidCodeError } from '../../common/index.ts';
import { mod37_36 } from './iso7064.ts';
import { isValidUscc } from './uscc.ts';

/** GB/T 36904-2018 — 电子证照标识符编码规范. */
export const IDENTIFIER_STANDARD = 'GB/T 36904-2018';

/** The fixed root of every 电子证照标识: the OID arc assigned to 电子证照 (GB/T 36904-2018 §5). */
export const IDENTIFIER_ROOT = '1.2.156.3005.2';

/** The parts of a 电子证照标识 (GB/T 36904-2018 §5), check character excluded. */
export interface LicenceIdentifierParts {
  /**
   * 证照类型代码 — the defining authority's 18-character 统一社会信用代码 followed by a
   * 3-digit number it assigns to the licence type (21 characters).
   */
  readonly typeCode: string;
  /** 颁发机构代码 — the issuing authority's 统一社会信用代码. */
  readonly issuerCode: string;
  /** 流水号 — serial number the issuer assigns: 1-20 characters of 0-9 and A-Z (zhengyin issues digits). */
  readonly serial: string;
  /** 版本号 — 3 digits, '001' for the first version; a change or renewal increments it. */
  readonly version: string;
}

export interface LicenceIdentifier extends LicenceIdentifierParts {
  /** 校验位 — ISO 7064 MOD 37,36 over typeCode + issuerCode + serial + version. */
  readonly check: string;
  /** The whole identifier, dotted, with the root. */
  readonly value: string;
}

const MAX_SERIAL_LENGTH = 20;

/** Why one part is malformed: [field, reason], or undefined. */
function partsProblem(p: LicenceIdentifierParts): [string, string] | undefined {
  if (!/^[0-9A-Z]{18}\d{3}$/.test(p.typeCode) || !isValidUscc(p.typeCode.slice(0, 18)))
    return ['typeCode', 'licence type code must be a valid 统一社会信用代码 followed by 3 digits'];
  if (!isValidUscc(p.issuerCode)) return ['issuerCode', 'issuer code must be a valid 统一社会信用代码'];
  if (!new RegExp(`^[0-9A-Z]{1,${MAX_SERIAL_LENGTH}}$`).test(p.serial)) return ['serial', `serial must be 1-${MAX_SERIAL_LENGTH} characters of 0-9 and A-Z`];
  if (!/^\d{3}$/.test(p.version) || p.version === '000') return ['version', 'version must be 3 digits from 001'];
  return undefined;
}

/** ISO 7064 MOD 37,36 check character of the identifier's parts, no dots, no root. */
export function identifierCheckCharacter(p: LicenceIdentifierParts): string {
  return mod37_36(p.typeCode + p.issuerCode + p.serial + p.version)!;
}

/**
 * Builds a 电子证照标识 from its parts and appends the check character.
 *
 * @throws {@link InvalidCodeError} naming the malformed part (`typeCode`, `issuerCode`,
 * `serial` or `version`) and GB/T 36904-2018.
 * @example
 * newIdentifier({ typeCode: '11100000000013338W032', issuerCode: '11220000013544541J', serial: '2430599', version: '001' }).value
 * // '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F'
 */
export function newIdentifier(parts: LicenceIdentifierParts): LicenceIdentifier {
  const problem = partsProblem(parts);
  if (problem) {
    const [field, reason] = problem;
    throw new InvalidCodeError({ field, value: String(parts[field as keyof LicenceIdentifierParts]), standard: IDENTIFIER_STANDARD, reason });
  }
  const { typeCode, issuerCode, serial, version } = parts;
  const check = identifierCheckCharacter(parts);
  return { typeCode, issuerCode, serial, version, check, value: [IDENTIFIER_ROOT, typeCode, issuerCode, serial, version, check].join('.') };
}

/**
 * Parses and validates a dotted 电子证照标识: the root, the five parts, the two embedded
 * 统一社会信用代码 check characters, and the MOD 37,36 check character.
 *
 * @param field - Named in the error; defaults to `'identifier'`.
 * @throws {@link InvalidCodeError} naming `field` and GB/T 36904-2018 (or GB 32100-2015 in
 * the reason when an embedded code is wrong).
 */
export function parseIdentifier(value: string, field = 'identifier'): LicenceIdentifier {
  const fail = (reason: string): never => {
    throw new InvalidCodeError({ field, value, standard: IDENTIFIER_STANDARD, reason });
  };
  if (!value.startsWith(IDENTIFIER_ROOT + '.')) fail(`must start with ${IDENTIFIER_ROOT}.`);
  const rest = value.slice(IDENTIFIER_ROOT.length + 1).split('.');
  if (rest.length !== 5) fail('must have five parts after the root: type code, issuer code, serial, version, check');
  const [typeCode, issuerCode, serial, version, check] = rest as [string, string, string, string, string];
  const parts = { typeCode, issuerCode, serial, version };
  const problem = partsProblem(parts);
  if (problem) fail(problem[1]);
  const expected = identifierCheckCharacter(parts);
  if (check !== expected) fail(`check character is '${check}', expected '${expected}'`);
  return { ...parts, check, value };
}

export function isValidIdentifier(value: string): boolean {
  try {
    parseIdentifier(value);
    return true;
  } catch {
    return false;
  }
}
