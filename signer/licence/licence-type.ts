/**
 * Licence types as data. A type is plain JSON (the lead stores schema, layout and validity
 * in Json columns of the licence_type table); nothing here holds a function or a class.
 */

/** 持证主体代码类型 (GB/T 36903): '111' 公民身份号码, '001' 统一社会信用代码. */
export type HolderCodeType = '111' | '001';

export const HOLDER_CODE_TYPE_NAMES: Readonly<Record<HolderCodeType, string>> = { '111': '公民身份号码', '001': '统一社会信用代码' };

/** Values of the enum field a `partyCode` field follows, and the code type each means. */
export const PARTY_CODE_TYPES: Readonly<Record<string, HolderCodeType>> = { 居民身份证: '111', 统一社会信用代码: '001' };

/** Whether the holder is a natural person, an organisation, or either (decided per licence). */
export type HolderKind = 'PERSON' | 'ORGANISATION' | 'EITHER';

interface FieldBase {
  /** Key in the face data, camelCase ASCII. */
  readonly key: string;
  /** Label printed on the face, Chinese (e.g. '名称'). */
  readonly label: string;
  readonly required: boolean;
}

/** One line of text; no line breaks. Length counts Unicode code points. */
export interface TextField extends FieldBase { readonly kind: 'text'; readonly maxLength: number }
/** Text that may hold line breaks and wraps on the face. */
export interface MultilineField extends FieldBase { readonly kind: 'multiline'; readonly maxLength: number }
/** A calendar date 'YYYY-MM-DD'; with `allowLongTerm`, also '长期'. */
export interface DateField extends FieldBase { readonly kind: 'date'; readonly allowLongTerm?: boolean }
/** An amount of money in yuan or 10,000 yuan: a decimal string with at most 2 decimals. */
export interface MoneyField extends FieldBase {
  readonly kind: 'money';
  readonly unit: '元' | '万元';
  readonly min?: number;
  readonly max?: number;
}
/** A decimal quantity with at most `scale` decimals, e.g. an area in m². */
export interface NumberField extends FieldBase {
  readonly kind: 'number';
  readonly unit?: string;
  readonly scale: number;
  readonly min?: number;
  readonly max?: number;
}
/** One of a fixed list of values. */
export interface EnumField extends FieldBase { readonly kind: 'enum'; readonly options: readonly string[] }
/** A 统一社会信用代码 (GB 32100-2015). */
export interface UsccField extends FieldBase { readonly kind: 'uscc' }
/** A 居民身份证号码 (GB 11643-1999). */
export interface IdNumberField extends FieldBase { readonly kind: 'idNumber' }
/**
 * A person's ID number or an organisation's 统一社会信用代码, as the enum field
 * `typeField` says (its options are keys of {@link PARTY_CODE_TYPES}).
 */
export interface PartyCodeField extends FieldBase { readonly kind: 'partyCode'; readonly typeField: string }

export type FaceField =
  | TextField
  | MultilineField
  | DateField
  | MoneyField
  | NumberField
  | EnumField
  | UsccField
  | IdNumberField
  | PartyCodeField;

export type FaceFieldKind = FaceField['kind'];

/** A rule between two date fields: `field` must not be earlier than `other` (when both are dates). */
export interface NotBeforeConstraint { readonly kind: 'notBefore'; readonly field: string; readonly other: string }

export type FaceConstraint = NotBeforeConstraint;

/** 照面信息 schema: the face fields of one licence type, in printing order. */
export interface FaceSchema {
  readonly fields: readonly FaceField[];
  readonly constraints?: readonly FaceConstraint[];
}

/**
 * How long a licence is valid (有效期).
 * - `fixedTerm`: from the issue date for `years` and `months`, ending on the corresponding
 *   day (民法典 §201-202: the month's last day when it has none).
 * - `untilField`: until the date in a face field; '长期' there means long-term.
 * - `longTerm`: 长期, no end date.
 */
export type ValidityRule =
  | { readonly kind: 'fixedTerm'; readonly years?: number; readonly months?: number }
  | { readonly kind: 'untilField'; readonly field: string }
  | { readonly kind: 'longTerm' };

/** Which face fields name the holder (持证主体) and carry the holder's code. */
export interface HolderMapping {
  readonly kind: HolderKind;
  /** Field with the holder's name (持证主体). */
  readonly nameField: string;
  /** Field with the holder's code: a `uscc`, `idNumber` or `partyCode` field. */
  readonly codeField: string;
}

/** An RGB colour, each channel 0..1. */
export type Rgb = readonly [number, number, number];

/**
 * Where one face field goes. All lengths are millimetres from the page's top-left corner;
 * `y` is the top of the first line. The label takes `labelWidth`; the value wraps in the rest
 * of `width`, shrinking down to `minSize` to fit in `maxLines`.
 */
export interface FieldPlacement {
  readonly field: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly labelWidth: number;
  /** Font size in points. */
  readonly size: number;
  readonly minSize?: number;
  readonly maxLines: number;
  /** Line height as a multiple of the font size; default 1.5. */
  readonly lineHeight?: number;
}

/** A single line of text at a position (mm, top-left origin; size in points). */
export interface TextPlacement {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** 'center' centres the text on `x`. Default 'left'. */
  readonly align?: 'left' | 'center' | 'right';
  /** Printed before the value, e.g. '证照标识：'. */
  readonly prefix?: string;
}

/** A square box (mm, top-left origin). */
export interface BoxPlacement {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** The page design of a licence type; every length in millimetres from the top-left corner. */
export interface LicenceLayout {
  readonly page: 'A4-portrait' | 'A4-landscape';
  /** Licence name as the title; `text` overrides the type's name. `letterSpacing` in points. */
  readonly title: TextPlacement & { readonly text?: string; readonly letterSpacing?: number };
  /** A frame around the face: `inset` from the page edge, `width` in points. */
  readonly border?: { readonly inset: number; readonly width: number; readonly color: Rgb; readonly double?: boolean };
  readonly fields: readonly FieldPlacement[];
  /** 颁发机构 (the issuing authority's name). */
  readonly issuer: TextPlacement;
  /** 颁证日期, printed as 'YYYY年MM月DD日'. */
  readonly issueDate: TextPlacement;
  /** 证照编号. */
  readonly number?: TextPlacement;
  /** 证照标识 (GB/T 36904). */
  readonly identifier: TextPlacement;
  /** QR code of the public status URL; `caption` printed under it. */
  readonly qr: BoxPlacement & { readonly caption?: string };
  /** Space kept free for the seal; the signer draws the seal widget exactly here. */
  readonly seal: BoxPlacement;
  /**
   * Places of joint seals (联办件), in the order the seals sign. A licence with more joint
   * seals than places puts the rest in a row to the left of the last place.
   */
  readonly jointSeals?: readonly BoxPlacement[];
}

/** A licence type: what the issuing department fills in, how it looks, how long it lasts. */
export interface LicenceType {
  /** 证照类型代码 — the defining authority's 统一社会信用代码 + 3 digits (GB/T 36904). */
  readonly code: string;
  /** 证照名称, e.g. '营业执照'. */
  readonly name: string;
  readonly holder: HolderMapping;
  readonly schema: FaceSchema;
  readonly layout: LicenceLayout;
  readonly validity: ValidityRule;
  /**
   * 延续: the days, counted as calendar days, the issuer has to decide an application to
   * renew before it counts as granted (视为准予延续; 行政许可法 §50 lets the issuer decide
   * "before the licence expires", local rules set e.g. 20 working days). Absent: 20.
   */
  readonly renewalDecisionDays?: number;
  /** Free text for operators: where the code comes from, what the type is for. */
  readonly description?: string;
}
