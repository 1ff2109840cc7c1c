import { InvalidInputError } from '../../common/index.ts';
import { isIsoDate } from './dates.ts';
import { checkFaceData, type FaceData } from './face-data.ts';
import { newIdentifier } from './identifier.ts';
import { PARTY_CODE_TYPES, type HolderCodeType, type LicenceType } from './licence-type.ts';
import { parseUscc } from './uscc.ts';
import { validityPeriod } from './validity.ts';

/**
 * 证照状态 (GB/T 36903). A licence is VALID when issued; the registry moves it on. The PDF
 * carries the status at issue; the live status is behind the QR code.
 */
export type LicenceStatus = 'VALID' | 'REVOKED' | 'SUPERSEDED' | 'EXPIRED';

/** The licence metadata of GB/T 36903-2018 (电子证照 元数据规范), field by field. */
export interface LicenceMetadata {
  /** 证照名称. */
  readonly name: string;
  /** 证照类型代码 (GB/T 36904): defining authority's 统一社会信用代码 + 3 digits. */
  readonly typeCode: string;
  /** 证照标识 (GB/T 36904), with its MOD 37,36 check character. */
  readonly identifier: string;
  /** 证照编号 — the number printed on the licence, assigned by the issuer. */
  readonly number: string;
  /** 持证主体 — the holder's name. */
  readonly holder: string;
  /** 持证主体代码 — the holder's 公民身份号码 or 统一社会信用代码. */
  readonly holderCode: string;
  /** 持证主体代码类型 — '111' 公民身份号码, '001' 统一社会信用代码. */
  readonly holderCodeType: HolderCodeType;
  /** 颁发机构 — the issuing authority's name. */
  readonly issuer: string;
  /** 颁发机构代码 — the issuing authority's 统一社会信用代码. */
  readonly issuerCode: string;
  /** 颁证日期, 'YYYY-MM-DD'. */
  readonly issueDate: string;
  /** 有效期起始日期, 'YYYY-MM-DD'. */
  readonly validFrom: string;
  /** 有效期截止日期, 'YYYY-MM-DD', or `null` for 长期. */
  readonly validUntil: string | null;
  /** 证照状态. */
  readonly status: LicenceStatus;
  /** 照面信息 — the face fields, keyed as in the licence type's schema. */
  readonly face: FaceData;
}

/** What the issuing service supplies; the rest is derived from the type and the face data. */
export interface NewLicenceInput {
  readonly face: Readonly<Record<string, unknown>>;
  /** 颁发机构. */
  readonly issuer: string;
  /** 颁发机构代码 (统一社会信用代码). */
  readonly issuerCode: string;
  /** 颁证日期 'YYYY-MM-DD' (see `isoDateOf` for an instant in China Standard Time). */
  readonly issueDate: string;
  /** 流水号 for the identifier. */
  readonly serial: string;
  /** 版本号, 3 digits; default '001'. */
  readonly version?: string;
  /** 证照编号; default: the identifier's serial. */
  readonly number?: string;
  /** Birth dates after this instant are rejected; default: the end of the issue date. */
  readonly at?: Date;
}

/**
 * Builds a licence's GB/T 36903 metadata: checks the face data against the type's schema,
 * reads the holder from it, computes the validity period, and builds the GB/T 36904
 * identifier.
 *
 * @throws `FaceDataError` with every face problem; `InvalidCodeError` for a bad issuer code
 * or identifier part; `InvalidInputError` for a bad issue date or validity.
 * @example
 * const meta = newLicenceMetadata(businessLicence, { face, issuer: '厦门市市场监督管理局', issuerCode, issueDate: '2024-03-15', serial: '1' });
 */
export function newLicenceMetadata(type: LicenceType, input: NewLicenceInput): LicenceMetadata {
  if (!isIsoDate(input.issueDate)) throw new InvalidInputError({ field: 'issueDate', message: `issueDate: '${input.issueDate}' is not a date YYYY-MM-DD` });
  const issuerCode = parseUscc(input.issuerCode, 'issuerCode');
  const at = input.at ?? new Date(`${input.issueDate}T23:59:59+08:00`);
  const face = checkFaceData(type, input.face, { at });
  const codeField = type.schema.fields.find((f) => f.key === type.holder.codeField);
  const holderCodeType: HolderCodeType | undefined =
    codeField?.kind === 'uscc' ? '001' : codeField?.kind === 'idNumber' ? '111' : codeField?.kind === 'partyCode' ? PARTY_CODE_TYPES[face[codeField.typeField] ?? ''] : undefined;
  const holder = face[type.holder.nameField];
  const holderCode = face[type.holder.codeField];
  if (holder === undefined || holderCode === undefined || holderCodeType === undefined)
    throw new InvalidInputError({ field: type.holder.codeField, message: `licence type ${type.code} does not name its holder through a name and a code field` });
  const identifier = newIdentifier({ typeCode: type.code, issuerCode, serial: input.serial, version: input.version ?? '001' });
  return {
    name: type.name,
    typeCode: type.code,
    identifier: identifier.value,
    number: input.number ?? input.serial,
    holder,
    holderCode,
    holderCodeType,
    issuer: input.issuer,
    issuerCode,
    issueDate: input.issueDate,
    ...validityPeriod(type.validity, input.issueDate, face),
    status: 'VALID',
    face,
  };
}
