import { InvalidInputError } from '../../common/index.ts';
import { PARTY_CODE_TYPES, type FaceField, type LicenceType } from './licence-type.ts';
import { isValidUscc } from './uscc.ts';

/** A licence type definition is inconsistent; `problems` lists every one, each with a JSON path. */
export class LicenceTypeError extends InvalidInputError {
  override readonly code = 'INVALID_LICENCE_TYPE';
  readonly problems: readonly string[];

  constructor(p: Readonly<{ typeCode: string; problems: readonly string[] }>) {
    super({ field: 'licenceType', message: `licence type ${p.typeCode}: ${p.problems.join('; ')}` });
    this.problems = p.problems;
  }
}

const PAGE_MM: Readonly<Record<string, readonly [number, number]>> = { 'A4-portrait': [210, 297], 'A4-landscape': [297, 210] };

/**
 * Every inconsistency in a licence type (types are data, stored and edited as JSON): a type
 * code that is not a valid 统一社会信用代码 + 3 digits, duplicate or malformed field keys,
 * holder, validity, constraint or layout entries that name a missing field or one of the
 * wrong kind, and boxes off the page. Empty when the type is usable.
 */
export function licenceTypeProblems(type: LicenceType): string[] {
  const problems: string[] = [];
  const fields = new Map<string, FaceField>();
  if (!/^[0-9A-Z]{18}\d{3}$/.test(type.code) || !isValidUscc(type.code.slice(0, 18)))
    problems.push('code: must be a valid 统一社会信用代码 followed by 3 digits (GB/T 36904)');
  if (!type.name?.trim()) problems.push('name: must not be empty');
  type.schema.fields.forEach((f, i) => {
    if (!/^[a-z][A-Za-z0-9]*$/.test(f.key)) problems.push(`schema.fields[${i}].key: '${f.key}' is not a camelCase ASCII key`);
    if (fields.has(f.key)) problems.push(`schema.fields[${i}].key: '${f.key}' is defined twice`);
    if (!f.label?.trim()) problems.push(`schema.fields[${i}].label: must not be empty`);
    if ((f.kind === 'text' || f.kind === 'multiline') && !(f.maxLength > 0)) problems.push(`schema.fields[${i}].maxLength: must be positive`);
    if (f.kind === 'enum' && f.options.length === 0) problems.push(`schema.fields[${i}].options: must not be empty`);
    fields.set(f.key, f);
  });
  for (const f of fields.values()) {
    if (f.kind !== 'partyCode') continue;
    const t = fields.get(f.typeField);
    if (t?.kind !== 'enum' || !t.options.every((o) => o in PARTY_CODE_TYPES))
      problems.push(`schema.fields.${f.key}.typeField: '${f.typeField}' must be an enum field with options from ${Object.keys(PARTY_CODE_TYPES).join(', ')}`);
  }
  const kindOf = (key: string) => fields.get(key)?.kind;
  if (kindOf(type.holder.nameField) !== 'text') problems.push(`holder.nameField: '${type.holder.nameField}' must be a text field`);
  if (!['uscc', 'idNumber', 'partyCode'].includes(kindOf(type.holder.codeField) ?? ''))
    problems.push(`holder.codeField: '${type.holder.codeField}' must be a uscc, idNumber or partyCode field`);
  if (type.renewalDecisionDays !== undefined && !(Number.isInteger(type.renewalDecisionDays) && type.renewalDecisionDays >= 1 && type.renewalDecisionDays <= 365))
    problems.push('renewalDecisionDays: a whole number of days from 1 to 365');
  if (type.validity.kind === 'untilField' && kindOf(type.validity.field) !== 'date') problems.push(`validity.field: '${type.validity.field}' must be a date field`);
  if (type.validity.kind === 'fixedTerm' && !((type.validity.years ?? 0) > 0 || (type.validity.months ?? 0) > 0))
    problems.push('validity: a fixed term needs years or months');
  (type.schema.constraints ?? []).forEach((c, i) => {
    if (kindOf(c.field) !== 'date' || kindOf(c.other) !== 'date') problems.push(`schema.constraints[${i}]: both fields must be date fields`);
  });
  const [w, h] = PAGE_MM[type.layout.page] ?? [0, 0];
  if (w === 0) problems.push(`layout.page: '${type.layout.page}' is not A4-portrait or A4-landscape`);
  const onPage = (path: string, x: number, y: number, width = 0, height = 0) => {
    if (!(x >= 0 && y >= 0 && x + width <= w && y + height <= h)) problems.push(`${path}: lies off the ${w} x ${h} mm page`);
  };
  type.layout.fields.forEach((p, i) => {
    if (!fields.has(p.field)) problems.push(`layout.fields[${i}].field: '${p.field}' is not a schema field`);
    if (!(p.maxLines >= 1) || !(p.size > 0) || !(p.labelWidth < p.width)) problems.push(`layout.fields[${i}]: needs maxLines ≥ 1, size > 0 and labelWidth < width`);
    onPage(`layout.fields[${i}]`, p.x, p.y, p.width);
  });
  const { qr, seal, issuer, issueDate, identifier, title } = type.layout;
  onPage('layout.qr', qr.x, qr.y, qr.size, qr.size);
  onPage('layout.seal', seal.x, seal.y, seal.size, seal.size);
  (type.layout.jointSeals ?? []).forEach((p, i) => onPage(`layout.jointSeals[${i}]`, p.x, p.y, p.size, p.size));
  for (const [name, p] of Object.entries({ title, issuer, issueDate, identifier })) onPage(`layout.${name}`, p.x, p.y);
  return problems;
}

/**
 * Returns `type` if {@link licenceTypeProblems} finds nothing.
 * @throws {@link LicenceTypeError} listing every problem.
 */
export function checkLicenceType(type: LicenceType): LicenceType {
  const problems = licenceTypeProblems(type);
  if (problems.length > 0) throw new LicenceTypeError({ typeCode: type.code, problems });
  return type;
}
