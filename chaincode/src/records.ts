import { canonicalJson, sha256Hex } from './canonical';
import { isIsoDate, isIsoDateTime, isLicenceTypeCode, isProjectCode, isRealEstateUnitNumber, isSha256Hex, isUscc, parseLicenceIdentifier } from './codes';
import { Refusal } from './errors';

/** Who may write a record is decided per domain (see policy.ts). */
export type Domain = 'realestate' | 'fund' | 'licence' | 'accesslog' | 'project';
export const DOMAINS: readonly Domain[] = ['realestate', 'fund', 'licence', 'accesslog', 'project'];

/**
 * Every evidence type the contract accepts, its domain and the term of the register it
 * records. The type string is also the outbox `kind` that carries it.
 */
export const EVIDENCE_TYPES = {
  'realestate.first-registration': { domain: 'realestate', term: '首次登记' },
  'realestate.transfer': { domain: 'realestate', term: '转移登记' },
  'realestate.change': { domain: 'realestate', term: '变更登记' },
  'realestate.mortgage': { domain: 'realestate', term: '抵押登记' },
  'realestate.cancellation': { domain: 'realestate', term: '注销登记' },
  'fund.account-opened': { domain: 'fund', term: '开户' },
  'fund.deposit': { domain: 'fund', term: '缴存' },
  'fund.withdrawal': { domain: 'fund', term: '提取' },
  'fund.loan-disbursed': { domain: 'fund', term: '贷款发放' },
  'fund.loan-settled': { domain: 'fund', term: '贷款结清' },
  'fund.deposit-certificate': { domain: 'fund', term: '缴存证明出具' },
  'licence.issued': { domain: 'licence', term: '证照签发' },
  'licence.changed': { domain: 'licence', term: '证照变更' },
  'licence.revoked': { domain: 'licence', term: '证照注销/吊销' },
  'licence.renewed': { domain: 'licence', term: '证照延续' },
  'licence.suspended': { domain: 'licence', term: '证照暂扣' },
  'licence.resumed': { domain: 'licence', term: '证照恢复' },
  'accesslog.head': { domain: 'accesslog', term: '访问日志链头' },
  'project.landuse.decided': { domain: 'project', term: '立项用地规划许可' },
  'project.planning.decided': { domain: 'project', term: '工程建设许可' },
  'project.construction.decided': { domain: 'project', term: '施工许可' },
  'project.acceptance.decided': { domain: 'project', term: '竣工联合验收' },
} as const satisfies Record<string, { domain: Domain; term: string }>;

export type EvidenceType = keyof typeof EVIDENCE_TYPES;

export const isEvidenceType = (t: unknown): t is EvidenceType => typeof t === 'string' && Object.hasOwn(EVIDENCE_TYPES, t);

/** A record as a client submits it: only hashes and non-personal metadata. */
export interface EvidenceRecord {
  readonly evidenceId: string;
  readonly type: EvidenceType;
  /** When the business event happened, ISO 8601 with offset. */
  readonly at: string;
  readonly [field: string]: string | number | undefined;
}

/** A record as the ledger holds it: the submitted fields plus what the chain knows. */
export interface StoredEvidence extends EvidenceRecord {
  readonly domain: Domain;
  /** The subject key: licence identifier, 不动产单元号, account hash, log id or 项目代码. */
  readonly key: string;
  /** SHA-256 of the canonical JSON of the submitted record: what idempotency compares. */
  readonly contentHash: string;
  readonly txId: string;
  /** The transaction's timestamp (client proposal time), ISO 8601. */
  readonly recordedAt: string;
  readonly writerMspId: string;
}

type FieldKind = 'sha256' | 'unitNumber' | 'licenceId' | 'typeCode' | 'uscc' | 'text' | 'code' | 'version' | 'count' | 'date' | 'projectCode' | 'decision';

interface TypeSpec {
  /** The field that names the subject. */
  readonly key: string;
  readonly required: Readonly<Record<string, FieldKind>>;
  readonly optional: Readonly<Record<string, FieldKind>>;
}

const licenceFields = { identifier: 'licenceId', typeCode: 'typeCode', issuerCode: 'uscc', version: 'version' } as const;
const realEstate: TypeSpec = {
  key: 'unitNumber',
  required: { unitNumber: 'unitNumber', certificateNumber: 'text', documentSha256: 'sha256' },
  optional: { holderHash: 'sha256', authorityCode: 'uscc' },
};
const fund = (extra: Readonly<Record<string, FieldKind>> = {}, required: Readonly<Record<string, FieldKind>> = {}): TypeSpec => ({
  key: 'accountHash',
  required: { accountHash: 'sha256', ...required },
  optional: { documentSha256: 'sha256', holderHash: 'sha256', centreCode: 'uscc', ...extra },
});
/** One step decision of a 工程建设项目 joint approval; the step is the type (project-steps.ts orders them). */
const projectStep: TypeSpec = {
  key: 'projectCode',
  required: { projectCode: 'projectCode', decision: 'decision', department: 'code', documentSha256: 'sha256' },
  optional: { departmentCode: 'uscc', certificateNumber: 'text', reasonCode: 'code', holderHash: 'sha256' },
};

const SPECS: Readonly<Record<EvidenceType, TypeSpec>> = {
  'realestate.first-registration': realEstate,
  'realestate.transfer': realEstate,
  'realestate.change': realEstate,
  'realestate.mortgage': realEstate,
  'realestate.cancellation': realEstate,
  'fund.account-opened': fund(),
  'fund.deposit': fund(),
  'fund.withdrawal': fund(),
  'fund.loan-disbursed': fund({ unitNumber: 'unitNumber' }),
  'fund.loan-settled': fund({ unitNumber: 'unitNumber' }),
  'fund.deposit-certificate': fund({}, { documentSha256: 'sha256' }),
  // ofdSha256: the same version issued as OFD as well (GB/T 33190), anchored with the PDF.
  'licence.issued': { key: 'identifier', required: { ...licenceFields, documentSha256: 'sha256', holderHash: 'sha256' }, optional: { ofdSha256: 'sha256' } },
  'licence.changed': { key: 'identifier', required: { ...licenceFields, documentSha256: 'sha256', holderHash: 'sha256' }, optional: { ofdSha256: 'sha256' } },
  'licence.revoked': {
    key: 'identifier',
    required: licenceFields,
    optional: { documentSha256: 'sha256', holderHash: 'sha256', reasonCode: 'code' },
  },
  // 延续: the new 有效期截止; decision 'granted' by the issuer or 'deemed' (视为准予延续).
  'licence.renewed': { key: 'identifier', required: { ...licenceFields, validUntil: 'date', decision: 'code' }, optional: { holderHash: 'sha256' } },
  'licence.suspended': { key: 'identifier', required: licenceFields, optional: { holderHash: 'sha256', reasonCode: 'code' } },
  'licence.resumed': { key: 'identifier', required: licenceFields, optional: { holderHash: 'sha256', reasonCode: 'code' } },
  'accesslog.head': { key: 'logId', required: { logId: 'code', headHash: 'sha256', sequence: 'count' }, optional: {} },
  'project.landuse.decided': projectStep,
  'project.planning.decided': projectStep,
  'project.construction.decided': projectStep,
  'project.acceptance.decided': projectStep,
};

const KIND_RULES: Readonly<Record<FieldKind, { test: (v: unknown) => boolean; expected: string }>> = {
  sha256: { test: (v) => typeof v === 'string' && isSha256Hex(v), expected: 'a lower-case hex SHA-256 (64 characters)' },
  unitNumber: {
    test: (v) => typeof v === 'string' && isRealEstateUnitNumber(v),
    expected: 'a 28-character 不动产单元代码 (GB/T 37346-2019)',
  },
  licenceId: { test: (v) => typeof v === 'string', expected: 'a GB/T 36904 licence identifier' },
  typeCode: {
    test: (v) => typeof v === 'string' && isLicenceTypeCode(v),
    expected: 'a 证照类型代码: 统一社会信用代码 + 3 digits (GB/T 36904)',
  },
  uscc: { test: (v) => typeof v === 'string' && isUscc(v), expected: 'a 统一社会信用代码 (GB 32100-2015)' },
  // Certificate numbers such as 京(2024)东城区不动产权第0000001号: printable, short, no control characters.
  text: { test: (v) => typeof v === 'string' && v.length >= 1 && v.length <= 64 && !/[\u0000-\u001f\u007f]/.test(v), expected: '1 to 64 printable characters' },
  code: { test: (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(v), expected: 'a lower-case code of at most 64 characters' },
  version: { test: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 999, expected: 'an integer from 1 to 999' },
  count: { test: (v) => Number.isSafeInteger(v) && (v as number) >= 0, expected: 'a non-negative integer' },
  date: { test: (v) => typeof v === 'string' && isIsoDate(v), expected: 'a calendar date YYYY-MM-DD' },
  projectCode: { test: (v) => typeof v === 'string' && isProjectCode(v), expected: 'a 项目代码 such as 2026-350203-48-01-000123 (全国投资项目在线审批监管平台)' },
  decision: { test: (v) => v === 'approved' || v === 'refused', expected: 'approved or refused' },
};

const EVIDENCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export interface ValidRecord {
  readonly record: EvidenceRecord;
  readonly domain: Domain;
  readonly key: string;
  readonly contentHash: string;
  /** Document hashes the record contains (for "which records contain this hash"). */
  readonly documentHashes: readonly string[];
}

/**
 * Checks a submitted record against its type: known type, required fields present and
 * well formed, no field the type does not list (so no personal data can ride along),
 * licence identifier consistent with its type code, issuer code and version.
 *
 * @throws {@link Refusal} `INVALID_EVIDENCE`, naming the field.
 */
export function validateRecord(input: unknown): ValidRecord {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Refusal('INVALID_EVIDENCE', 'a record must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  if (typeof raw.evidenceId !== 'string' || !EVIDENCE_ID.test(raw.evidenceId)) {
    throw new Refusal('INVALID_EVIDENCE', 'must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -, starting with a letter or digit', 'evidenceId');
  }
  if (!isEvidenceType(raw.type)) {
    throw new Refusal('INVALID_EVIDENCE', `unknown evidence type ${JSON.stringify(raw.type)}`, 'type');
  }
  if (typeof raw.at !== 'string' || !isIsoDateTime(raw.at)) {
    throw new Refusal('INVALID_EVIDENCE', 'must be an ISO 8601 date-time with an offset', 'at');
  }
  const spec = SPECS[raw.type];
  const record: Record<string, string | number> = { evidenceId: raw.evidenceId, type: raw.type, at: raw.at };
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'evidenceId' || field === 'type' || field === 'at' || value === undefined) continue;
    const kind = spec.required[field] ?? spec.optional[field];
    if (!kind) throw new Refusal('INVALID_EVIDENCE', `not a field of ${raw.type}`, field);
    const rule = KIND_RULES[kind];
    if (!rule.test(value)) throw new Refusal('INVALID_EVIDENCE', `must be ${rule.expected}`, field);
    record[field] = value as string | number;
  }
  for (const field of Object.keys(spec.required)) {
    if (record[field] === undefined) throw new Refusal('INVALID_EVIDENCE', `is required for ${raw.type}`, field);
  }
  if (spec.key === 'identifier') checkLicenceIdentifier(record);

  const documentHashes = [record.documentSha256, record.ofdSha256, record.headHash].filter((h): h is string => typeof h === 'string');
  return {
    record: record as EvidenceRecord,
    domain: EVIDENCE_TYPES[raw.type].domain,
    key: String(record[spec.key]),
    contentHash: sha256Hex(canonicalJson(record)),
    documentHashes,
  };
}

function checkLicenceIdentifier(record: Record<string, string | number>): void {
  const parts = parseLicenceIdentifier(String(record.identifier));
  if (typeof parts === 'string') throw new Refusal('INVALID_EVIDENCE', `${parts} (GB/T 36904)`, 'identifier');
  if (parts.typeCode !== record.typeCode) throw new Refusal('INVALID_EVIDENCE', 'differs from the type code inside the identifier', 'typeCode');
  if (parts.issuerCode !== record.issuerCode) throw new Refusal('INVALID_EVIDENCE', 'differs from the issuer code inside the identifier', 'issuerCode');
  if (parts.version !== record.version) throw new Refusal('INVALID_EVIDENCE', 'differs from the version inside the identifier', 'version');
}

/** The 不动产 types after which a unit no longer has a live registration. */
export const ENDS_REGISTRATION: ReadonlySet<EvidenceType> = new Set(['realestate.cancellation']);
