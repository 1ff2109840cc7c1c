import type { LicenceType } from '../../../signer/index.ts';

/*
 * The catalogue's kinds of item, as the JSON files hold them (catalogue/schema/*.schema.json
 * is the contract; these types mirror it). Every item is versioned by its kind and key.
 */

/** What a catalogue item is; also the `kind` column of catalogue_item. */
export type CatalogueKind = 'authority' | 'licence-type' | 'material' | 'proof' | 'matter' | 'bundle' | 'grant';

/** 证照类型定义机构: an authority whose 统一社会信用代码 starts licence type codes. */
export interface Authority {
  readonly code: string;
  readonly name: string;
  readonly local?: boolean;
  readonly description?: string;
}

/** A licence type as the catalogue holds it: the type plus the departments that issue it. */
export type CatalogueLicenceType = LicenceType & { readonly issuers?: readonly string[] };

/** A kind of material (材料目录); a material given once is reusable by its kind. */
export interface MaterialKind {
  readonly code: string;
  readonly name: string;
  readonly description?: string;
  /** How long a given copy stays reusable, in days; absent: until it changes. */
  readonly reusableForDays?: number;
}

/** An entry of the proof list (证明事项清单). */
export interface Proof {
  readonly code: string;
  readonly name: string;
  /** 设定依据. */
  readonly legalBasis: string;
  /** 索要单位: department ids. */
  readonly requestingDepartments: readonly string[];
  /** 开具单位. */
  readonly issuingUnit: string;
  /** Material kind a given proof is kept as. */
  readonly material?: string;
}

/** 材料形式. */
export type MaterialForm = '电子' | '纸质原件' | '纸质复印件' | '原件核验';
/** 来源渠道. */
export type MaterialSource = '申请人自备' | '政府部门核发' | '证明' | '本事项生成';

/** One line of a matter's material list (申请材料, after the 办事指南 elements). */
export interface MaterialRequirement {
  /** Material kind code; at most once per matter. */
  readonly kind: string;
  /** 材料名称 as the guide prints it; default the kind's name. */
  readonly name?: string;
  /** 必要性. */
  readonly required: boolean;
  readonly form: MaterialForm;
  /** 份数. */
  readonly copies: number;
  readonly source: MaterialSource;
  /** Shared licences of these types, or earlier materials of these kinds (besides its own), stand in for it. */
  readonly satisfiedBy?: { readonly licenceTypes?: readonly string[]; readonly materials?: readonly string[] };
  /** Proof list code when the material is a proof. */
  readonly proof?: string;
  /** 告知承诺 may replace it. */
  readonly commitment?: boolean;
  /** 容缺: may be handed in up to `days` after acceptance. */
  readonly tolerance?: { readonly days: number };
  readonly note?: string;
}

/** 办件类型. */
export type MatterKind = '即办' | '承诺件' | '联办件';

/** 事项: a government service matter. Time limits in working days. */
export interface Matter {
  /** 事项编码. */
  readonly code: string;
  readonly name: string;
  /** 实施主体: department id. */
  readonly department: string;
  /** 联办部门. */
  readonly jointDepartments?: readonly string[];
  readonly kind: MatterKind;
  /** 法定办结时限. */
  readonly legalTimeLimitDays: number;
  /** 承诺办结时限. */
  readonly promisedTimeLimitDays: number;
  /** Licence types a granted application produces. */
  readonly issues?: readonly string[];
  readonly materials: readonly MaterialRequirement[];
}

/** 一件事一次办: matters sharing one application flow, in order. */
export interface Bundle {
  readonly code: string;
  readonly name: string;
  /** 牵头部门. */
  readonly leadDepartment: string;
  readonly promisedTimeLimitDays?: number;
  readonly matters: readonly string[];
  readonly description?: string;
}

/** What one department may receive for one matter. */
export interface GrantEntry {
  readonly department: string;
  readonly matter: string;
  readonly licenceTypes?: readonly string[];
  readonly materials?: readonly string[];
  readonly note?: string;
}

/** The content each kind holds. */
export interface CatalogueContent {
  authority: Authority;
  'licence-type': CatalogueLicenceType;
  material: MaterialKind;
  proof: Proof;
  matter: Matter;
  bundle: Bundle;
  grant: GrantEntry;
}

/** One item of a folder: where it came from (file and JSON pointer) and what it says. */
export interface CatalogueEntry<K extends CatalogueKind = CatalogueKind> {
  readonly kind: K;
  readonly key: string;
  readonly file: string;
  readonly pointer: string;
  readonly content: CatalogueContent[K];
}

/** A parsed, schema-valid folder: every item by kind. */
export type ParsedCatalogue = { readonly [K in CatalogueKind]: readonly CatalogueEntry<K>[] };

/** One stored version of an item. Applications keep the version they were opened under. */
export interface CatalogueVersion<K extends CatalogueKind = CatalogueKind> {
  readonly kind: K;
  readonly key: string;
  readonly version: number;
  /** SHA-256 of the canonical JSON of the content, hex. */
  readonly sha256: string;
  /** This version records the item's withdrawal from the catalogue (content is the last one). */
  readonly withdrawn: boolean;
  readonly loadedAt: Date;
  readonly content: CatalogueContent[K];
}
