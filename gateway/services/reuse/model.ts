/*
 * The reuse work's shapes (办件, 材料清单, 授权): what the services return and GraphQL shows.
 */

/** 办件 subject: one matter, or one bundle of matters (一件事一次办). */
export type ApplicationSubjectKind = 'matter' | 'bundle';

/** An applicant as the window records them (一证通办: by ID number or USCC). */
export interface ApplicantRef {
  /** '111' 公民身份号码 | '001' 统一社会信用代码. */
  readonly codeType: '111' | '001';
  readonly code: string;
  readonly name: string;
}

/** What the window recorded about the case that lets the plan look things up instead of asking. */
export interface ApplicationFacts {
  /** 不动产单元号 (GB/T 37346) of the property the case is about. */
  readonly unitNumber?: string;
  /** 项目代码 of the 工程建设项目 the case is about (全国投资项目在线审批监管平台): its step decisions are keyed by it on the ledger. */
  readonly projectCode?: string;
}

/** One matter of an application, pinned to its catalogue version. */
export interface ApplicationMatterView {
  readonly position: number;
  /** 事项编码. */
  readonly matter: string;
  readonly matterVersion: number;
  readonly departmentId: string;
  readonly dueAt: Date;
  readonly finishedAt: Date | null;
  /** Licences this matter issued. */
  readonly issued: readonly string[];
}

/** 办件. */
export interface Application {
  readonly id: string;
  /** The department that opened it. */
  readonly departmentId: string;
  readonly applicant: ApplicantRef;
  readonly subjectKind: ApplicationSubjectKind;
  readonly subjectCode: string;
  /** The catalogue version of the matter or bundle it was opened under. */
  readonly subjectVersion: number;
  readonly facts: ApplicationFacts;
  readonly openedAt: Date;
  /** 承诺办结时限 from openedAt. */
  readonly dueAt: Date;
  readonly finishedAt: Date | null;
  readonly matters: readonly ApplicationMatterView[];
}

/**
 * How one material of one matter is satisfied.
 *
 * - SHARED_LICENCE: a valid licence, its latest version, shared (or the department's own);
 * - REUSED_MATERIAL: a material given earlier (in this application, or verified and unexpired in an earlier one);
 * - LEDGER_EVIDENCE: the evidence ledger confirms it (the property's live registration);
 * - COMMITMENT: the applicant's commitment replaces it (告知承诺);
 * - TOLERATED: may be handed in later, until `toleratedUntil` (容缺);
 * - PENDING_IN_BUNDLE: an earlier matter of this bundle issues it;
 * - PRODUCED: the matter itself produces it (申请表, 完税凭证 of a joint matter);
 * - NOT_REQUIRED: optional, or a proof no longer on the proof list;
 * - UPLOAD: to be uploaded: the only thing a department may ask for.
 */
export type Resolution =
  | 'SHARED_LICENCE'
  | 'REUSED_MATERIAL'
  | 'LEDGER_EVIDENCE'
  | 'COMMITMENT'
  | 'TOLERATED'
  | 'PENDING_IN_BUNDLE'
  | 'PRODUCED'
  | 'NOT_REQUIRED'
  | 'UPLOAD';

/** Resolutions that mean "obtained without the applicant handing it in again". */
export const REUSED: ReadonlySet<Resolution> = new Set(['SHARED_LICENCE', 'REUSED_MATERIAL', 'LEDGER_EVIDENCE', 'PENDING_IN_BUNDLE']);

export interface PlannedLicence {
  readonly identifier: string;
  readonly typeCode: string;
  readonly typeName: string;
  readonly version: number;
  /** The issuing department: who the content comes from. */
  readonly departmentId: string;
  readonly validUntil: string | null;
}

export interface PlannedMaterial {
  readonly id: string;
  readonly kind: string;
  readonly sha256: string;
  readonly givenAt: Date;
  readonly expiresAt: Date | null;
  /** The application it was given in, and the matter it was asked for. */
  readonly applicationId: string;
  readonly matter: string;
  readonly verified: boolean;
}

export interface LedgerConfirmation {
  readonly transactionId: string;
  /** e.g. realestate.transfer. */
  readonly type: string;
  readonly recordedAt: string;
}

/** One line of the material plan: one material of one matter. */
export interface PlanLine {
  readonly matter: string;
  /** Material kind code. */
  readonly kind: string;
  /** 材料名称. */
  readonly name: string;
  readonly required: boolean;
  readonly resolution: Resolution;
  readonly licence?: PlannedLicence;
  readonly material?: PlannedMaterial;
  readonly ledger?: LedgerConfirmation;
  readonly toleratedUntil?: Date;
  /** The bundle matter that produces it (PENDING_IN_BUNDLE). */
  readonly producedBy?: string;
  /** Proof list code when the material is a proof. */
  readonly proof?: string;
  /** A department already asked for it in this application. */
  readonly requested: boolean;
  /** Why, in a sentence. */
  readonly detail: string;
}

/** What the applicant sees before authorising, and what the authorisation then covers. */
export interface AuthorisationScopeLine {
  readonly matter: string;
  readonly matterName: string;
  readonly kind: string;
  readonly name: string;
  /** Who it is fetched from: the issuing department, 'ledger', or 'applicant' (an earlier material). */
  readonly from: string;
  /** Who receives it: the matter's department. */
  readonly to: string;
  readonly resolution: Resolution;
  /** The licence, material id or ledger transaction. */
  readonly source: string | null;
}

export interface Authorisation {
  readonly id: string;
  readonly applicationId: string;
  readonly via: 'token' | 'use-code';
  readonly scope: readonly AuthorisationScopeLine[];
  readonly grantedAt: Date;
  readonly expiresAt: Date;
  readonly withdrawnAt: Date | null;
  /** 'live' | 'withdrawn' | 'expired'. */
  readonly state: 'live' | 'withdrawn' | 'expired';
}
