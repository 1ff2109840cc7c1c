import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';
import { CertDigestObj, type CertDigestObjJson } from './cert-digest-obj.ts';

/** 签章者证书信息类型 (GB/T 38540-2020 §7.1.2): 1 certificates, 2 certificate digests. */
export const CERT_LIST_TYPE = { CERTS: 1, CERT_DIGESTS: 2 } as const;
export type CertListType = (typeof CERT_LIST_TYPE)[keyof typeof CERT_LIST_TYPE];

/** 印章类型: 1 单位印章 (organisation seal), 2 个人印章 (personal seal). */
export const SEAL_TYPE = { ORGANISATION: 1, PERSONAL: 2 } as const;

export interface ISESESPropertyInfo {
  /** 印章类型. */
  type: number;
  /** 印章名称. */
  name: string;
  /** 签章者证书信息类型: which arm of SES_CertList `certList` is. */
  certListType: CertListType;
  /** 签章者证书列表 — bound signer certificates, DER (certListType 1). */
  certs: Uint8Array[];
  /** 签章者证书杂凑值列表 (certListType 2). */
  certDigestList: CertDigestObj[];
  /** 印章制作日期. */
  createDate: Date;
  /** 印章有效起始日期. */
  validStart: Date;
  /** 印章有效终止日期. */
  validEnd: Date;
}

export interface SESESPropertyInfoJson {
  type: number;
  name: string;
  certListType: CertListType;
  /** Base64 DER, when certListType is 1. */
  certs?: string[];
  certDigestList?: CertDigestObjJson[];
  createDate: string;
  validStart: string;
  validEnd: string;
}
export type SESESPropertyInfoParameters = PkiObjectParameters & Partial<ISESESPropertyInfo>;
export type SESESPropertyInfoSchema = SchemaParameters<{
  type?: string;
  name?: string;
  certListType?: string;
  certList?: string;
  createDate?: string;
  validStart?: string;
  validEnd?: string;
}>;

/** DER GeneralizedTime has no fractional seconds here (X.690 §11.7 allows them; readers differ). */
const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * The seal's properties, GB/T 38540-2020 §7.1.2 (layout as in ofdrw
 * `org.ofdrw.gm.ses.v4.SES_ESPropertyInfo` and the GB/T 38540 verifier of
 * Chingliu/gm_0031_38540_verifier).
 *
 * @asn
 * ```asn
 * SES_ESPropertyInfo ::= SEQUENCE {
 *   type          INTEGER,          -- 印章类型
 *   name          UTF8String,       -- 印章名称
 *   certListType  INTEGER,          -- 1 证书, 2 证书杂凑值
 *   certList      SES_CertList,     -- 签章者证书信息列表
 *   createDate    GeneralizedTime,  -- 印章制作日期
 *   validStart    GeneralizedTime,  -- 印章有效起始日期
 *   validEnd      GeneralizedTime } -- 印章有效终止日期
 *
 * SES_CertList ::= CHOICE {
 *   certs           CertInfoList,    -- certListType 1
 *   certDigestList  CertDigestList } -- certListType 2
 * CertInfoList ::= SEQUENCE OF OCTET STRING   -- DER certificates
 * CertDigestList ::= SEQUENCE OF CertDigestObj
 * ```
 */
export class SESESPropertyInfo extends PkiObject implements ISESESPropertyInfo {
  static override CLASS_NAME = 'SESESPropertyInfo';
  type: number;
  name: string;
  certListType: CertListType;
  certs: Uint8Array[];
  certDigestList: CertDigestObj[];
  createDate: Date;
  validStart: Date;
  validEnd: Date;

  constructor(parameters: SESESPropertyInfoParameters = {}) {
    super();
    this.type = parameters.type ?? SEAL_TYPE.ORGANISATION;
    this.name = parameters.name ?? '';
    this.certListType = parameters.certListType ?? CERT_LIST_TYPE.CERTS;
    this.certs = parameters.certs ?? [];
    this.certDigestList = parameters.certDigestList ?? [];
    this.createDate = parameters.createDate ?? new Date(0);
    this.validStart = parameters.validStart ?? new Date(0);
    this.validEnd = parameters.validEnd ?? new Date(0);
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SESESPropertyInfoSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        new asn1js.Integer({ name: names.type ?? 'type' }),
        new asn1js.Utf8String({ name: names.name ?? 'sealName' }), // 'name' is taken by the result block itself
        new asn1js.Integer({ name: names.certListType ?? 'certListType' }),
        // An untagged CHOICE of two SEQUENCE OFs: certListType says which one it is.
        new asn1js.Sequence({ name: names.certList ?? 'certList', value: [new asn1js.Repeated({ value: new asn1js.Any() })] }),
        new asn1js.GeneralizedTime({ name: names.createDate ?? 'createDate' }),
        new asn1js.GeneralizedTime({ name: names.validStart ?? 'validStart' }),
        new asn1js.GeneralizedTime({ name: names.validEnd ?? 'validEnd' }),
      ],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SESESPropertyInfo.schema());
    AsnError.assertSchema(asn1, this.className);
    const r = asn1.result;
    this.type = (r.type as asn1js.Integer).valueBlock.valueDec;
    this.name = (r.sealName as asn1js.Utf8String).getValue();
    const listType = (r.certListType as asn1js.Integer).valueBlock.valueDec;
    if (listType !== CERT_LIST_TYPE.CERTS && listType !== CERT_LIST_TYPE.CERT_DIGESTS) throw new AsnError(`${this.className}: unknown certListType ${listType}`);
    this.certListType = listType;
    const items = (r.certList as asn1js.Sequence).valueBlock.value;
    this.certs = [];
    this.certDigestList = [];
    for (const item of items) {
      if (listType === CERT_LIST_TYPE.CERTS) {
        if (!(item instanceof asn1js.OctetString)) throw new AsnError(`${this.className}: certs must hold OCTET STRINGs`);
        this.certs.push(new Uint8Array(item.getValue()));
      } else {
        this.certDigestList.push(new CertDigestObj({ schema: item }));
      }
    }
    this.createDate = (r.createDate as asn1js.GeneralizedTime).toDate();
    this.validStart = (r.validStart as asn1js.GeneralizedTime).toDate();
    this.validEnd = (r.validEnd as asn1js.GeneralizedTime).toDate();
  }

  toSchema(): asn1js.Sequence {
    const list =
      this.certListType === CERT_LIST_TYPE.CERTS
        ? this.certs.map((c) => new asn1js.OctetString({ valueHex: c }))
        : this.certDigestList.map((d) => d.toSchema());
    return new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: this.type }),
        new asn1js.Utf8String({ value: this.name }),
        new asn1js.Integer({ value: this.certListType }),
        new asn1js.Sequence({ value: list }),
        new asn1js.GeneralizedTime({ valueDate: wholeSeconds(this.createDate) }),
        new asn1js.GeneralizedTime({ valueDate: wholeSeconds(this.validStart) }),
        new asn1js.GeneralizedTime({ valueDate: wholeSeconds(this.validEnd) }),
      ],
    });
  }

  toJSON(): SESESPropertyInfoJson {
    return {
      type: this.type,
      name: this.name,
      certListType: this.certListType,
      ...(this.certListType === CERT_LIST_TYPE.CERTS
        ? { certs: this.certs.map((c) => Buffer.from(c).toString('base64')) }
        : { certDigestList: this.certDigestList.map((d) => d.toJSON()) }),
      createDate: this.createDate.toISOString(),
      validStart: this.validStart.toISOString(),
      validEnd: this.validEnd.toISOString(),
    };
  }
}
