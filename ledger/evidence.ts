/**
 * Evidence records: what goes on the chain. Only hashes and non-personal metadata;
 * personal identifiers (ID numbers, fund account numbers) only as salted hashes
 * (see {@link saltedHash}). The chaincode validates every field again and refuses any
 * field its type does not list.
 */

/** Whose writers may record it: each domain has its own writers on the chain. */
export type EvidenceDomain = 'realestate' | 'fund' | 'licence' | 'accesslog' | 'project';

export const evidenceDomains: readonly EvidenceDomain[] = ['realestate', 'fund', 'licence', 'accesslog', 'project'];
export const isEvidenceDomain = (d: unknown): d is EvidenceDomain => evidenceDomains.includes(d as EvidenceDomain);

/** Every evidence type, its domain and the register term it records. Also the outbox `kind`. */
export const evidenceTypes = {
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
} as const satisfies Record<string, { domain: EvidenceDomain; term: string }>;

export type EvidenceType = keyof typeof evidenceTypes;

export const isEvidenceType = (t: unknown): t is EvidenceType => typeof t === 'string' && Object.hasOwn(evidenceTypes, t);

export const domainOf = (type: EvidenceType): EvidenceDomain => evidenceTypes[type].domain;

interface Common {
  /** Idempotency key on the ledger: 1-128 of `A-Z a-z 0-9 . _ : @ -`. */
  readonly evidenceId: string;
  /** When the business event happened: ISO 8601 with an offset. */
  readonly at: string;
}

/**
 * A licence event, keyed by its identifier. It is exactly the licence service's outbox
 * payload `{ identifier, documentSha256, typeCode, issuerCode, holderHash, version, at }`
 * plus the outbox row's evidence id and kind. A change (变更) is recorded under the new
 * version's identifier; the versions of one licence share its serial.
 */
export interface LicenceEvidence extends Common {
  readonly type: 'licence.issued' | 'licence.changed' | 'licence.revoked' | 'licence.renewed' | 'licence.suspended' | 'licence.resumed';
  /** 证照标识 (GB/T 36904); must agree with typeCode, issuerCode and version. */
  readonly identifier: string;
  /** SHA-256 of the signed PDF, hex. Required for issued and changed. */
  readonly documentSha256?: string;
  /** 证照类型代码 (GB/T 36904). */
  readonly typeCode: string;
  /** 颁发机构代码: the issuer's 统一社会信用代码 (GB 32100-2015). */
  readonly issuerCode: string;
  /** Salted hash of the holder's code type and code. Required for issued and changed. */
  readonly holderHash?: string;
  /** 版本号, 1-999. */
  readonly version: number;
  /** Why it was revoked, suspended or resumed, as a lower-case code (no free text: it could carry personal data). */
  readonly reasonCode?: string;
  /** 延续 (renewed only): the new 有效期截止, 'YYYY-MM-DD'. */
  readonly validUntil?: string;
  /** 延续 (renewed only): 'granted' by the issuer, or 'deemed' (视为准予延续) when the issuer did not decide in time. */
  readonly decision?: 'granted' | 'deemed';
}

/** A 不动产登记 event, keyed by the 不动产单元号. */
export interface RealEstateEvidence extends Common {
  readonly type: 'realestate.first-registration' | 'realestate.transfer' | 'realestate.change' | 'realestate.mortgage' | 'realestate.cancellation';
  /** 不动产单元代码 (GB/T 37346-2019), 28 characters. */
  readonly unitNumber: string;
  /** 不动产权证书号 or 不动产登记证明号, e.g. 京(2026)东城区不动产权第0000001号. */
  readonly certificateNumber: string;
  /** SHA-256 of the registration's document (登记簿页 / 证书), hex. */
  readonly documentSha256: string;
  /** Salted hash of the right holder (权利人). */
  readonly holderHash?: string;
  /** 登记机构's 统一社会信用代码. */
  readonly authorityCode?: string;
}

/** A 住房公积金 event, keyed by the salted hash of the personal account. */
export interface FundEvidence extends Common {
  readonly type: 'fund.account-opened' | 'fund.deposit' | 'fund.withdrawal' | 'fund.loan-disbursed' | 'fund.loan-settled' | 'fund.deposit-certificate';
  /** Salted hash of the personal account number (个人账号). */
  readonly accountHash: string;
  /** SHA-256 of the business document; required for a 缴存证明. */
  readonly documentSha256?: string;
  readonly holderHash?: string;
  /** 公积金中心's 统一社会信用代码. */
  readonly centreCode?: string;
  /**
   * The property a loan is for (loan events only). A 贷款发放 that names one needs a live
   * 不动产 registration of that unit on the chain.
   */
  readonly unitNumber?: string;
}

/** The head of the hash-chained access log, anchored periodically. */
export interface AccessLogHeadEvidence extends Common {
  readonly type: 'accesslog.head';
  /** Which log, a lower-case code such as `access-log`. */
  readonly logId: string;
  /** SHA-256 of the log's head entry, hex. */
  readonly headHash: string;
  /** Number of the head entry. */
  readonly sequence: number;
}

/**
 * A step decision of a 工程建设项目 joint approval, keyed by the 项目代码. The type names the
 * step; the contract takes them in order (立项用地 → 工程规划 → 施工许可 → 联合验收): a step
 * needs the one before approved for the same project, and an approved step is final
 * (`STEP_OUT_OF_ORDER`).
 */
export interface ProjectEvidence extends Common {
  readonly type: 'project.landuse.decided' | 'project.planning.decided' | 'project.construction.decided' | 'project.acceptance.decided';
  /** 项目代码 of the 全国投资项目在线审批监管平台, e.g. 2026-350203-48-01-000123. */
  readonly projectCode: string;
  readonly decision: 'approved' | 'refused';
  /** The deciding department's id (as the writer policy's `zhengyin.department` attribute names it). */
  readonly department: string;
  /** SHA-256 of the decision document (许可证, 验收意见 or 不予许可决定书), hex. */
  readonly documentSha256: string;
  /** The deciding department's 统一社会信用代码. */
  readonly departmentCode?: string;
  /** The permit's number, e.g. 建字第350203202600012号. */
  readonly certificateNumber?: string;
  /** Why it was refused, as a lower-case code. */
  readonly reasonCode?: string;
  /** Salted hash of the 建设单位's code. */
  readonly holderHash?: string;
}

export type EvidenceRecord = LicenceEvidence | RealEstateEvidence | FundEvidence | AccessLogHeadEvidence | ProjectEvidence;

/** A record as the chain holds it. */
export type StoredEvidence = EvidenceRecord & {
  readonly domain: EvidenceDomain;
  /** The subject: licence identifier, 不动产单元号, account hash, log id or 项目代码. */
  readonly key: string;
  /** SHA-256 of the canonical JSON of the submitted record; idempotency compares it. */
  readonly contentHash: string;
  /** The transaction that recorded it. */
  readonly txId: string;
  /** The transaction's timestamp, ISO 8601. */
  readonly recordedAt: string;
  readonly writerMspId: string;
};

/** Names one subject's story on the chain. */
export interface SubjectKey {
  readonly domain: EvidenceDomain;
  readonly key: string;
}

/** The subject an evidence record is about. */
export function subjectOf(record: EvidenceRecord): SubjectKey {
  switch (record.type) {
    case 'licence.issued':
    case 'licence.changed':
    case 'licence.revoked':
    case 'licence.renewed':
    case 'licence.suspended':
    case 'licence.resumed':
      return { domain: 'licence', key: record.identifier };
    case 'accesslog.head':
      return { domain: 'accesslog', key: record.logId };
    case 'project.landuse.decided':
    case 'project.planning.decided':
    case 'project.construction.decided':
    case 'project.acceptance.decided':
      return { domain: 'project', key: record.projectCode };
    case 'fund.account-opened':
    case 'fund.deposit':
    case 'fund.withdrawal':
    case 'fund.loan-disbursed':
    case 'fund.loan-settled':
    case 'fund.deposit-certificate':
      return { domain: 'fund', key: record.accountHash };
    default:
      return { domain: 'realestate', key: record.unitNumber };
  }
}
