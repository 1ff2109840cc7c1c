import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';
import { ExtData, type ExtDataJson } from './ext-data.ts';
import { SESESPictrueInfo, type SESESPictrueInfoJson } from './ses-es-pictrue-info.ts';
import { SESESPropertyInfo, type SESESPropertyInfoJson } from './ses-es-property-info.ts';
import { SESHeader, type SESHeaderJson } from './ses-header.ts';

export interface ISESSealInfo {
  header: SESHeader;
  /** 电子印章标识 — the seal's unique id. */
  esID: string;
  property: SESESPropertyInfo;
  picture: SESESPictrueInfo;
  /** 自定义数据. */
  extDatas?: ExtData[];
}
export interface SESSealInfoJson {
  header: SESHeaderJson;
  esID: string;
  property: SESESPropertyInfoJson;
  picture: SESESPictrueInfoJson;
  extDatas?: ExtDataJson[];
}
export type SESSealInfoParameters = PkiObjectParameters & Partial<ISESSealInfo>;
export type SESSealInfoSchema = SchemaParameters<{ header?: string; esID?: string; property?: string; picture?: string; extDatas?: string }>;

/**
 * The seal information the maker signs, GB/T 38540-2020 §7.1.2.
 *
 * @asn
 * ```asn
 * SES_SealInfo ::= SEQUENCE {
 *   header    SES_Header,          -- 头信息
 *   esID      IA5String,           -- 电子印章标识
 *   property  SES_ESPropertyInfo,  -- 印章属性信息
 *   picture   SES_ESPictrueInfo,   -- 电子印章图片数据
 *   extDatas  ExtensionDatas OPTIONAL }
 * ```
 */
export class SESSealInfo extends PkiObject implements ISESSealInfo {
  static override CLASS_NAME = 'SESSealInfo';
  header: SESHeader;
  esID: string;
  property: SESESPropertyInfo;
  picture: SESESPictrueInfo;
  extDatas?: ExtData[];

  constructor(parameters: SESSealInfoParameters = {}) {
    super();
    this.header = parameters.header ?? new SESHeader();
    this.esID = parameters.esID ?? '';
    this.property = parameters.property ?? new SESESPropertyInfo();
    this.picture = parameters.picture ?? new SESESPictrueInfo();
    if (parameters.extDatas) this.extDatas = parameters.extDatas;
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SESSealInfoSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        SESHeader.schema({ names: { blockName: names.header ?? 'header' } }),
        new asn1js.IA5String({ name: names.esID ?? 'esID' }),
        SESESPropertyInfo.schema({ names: { blockName: names.property ?? 'property' } }),
        SESESPictrueInfo.schema({ names: { blockName: names.picture ?? 'picture' } }),
        new asn1js.Sequence({ name: names.extDatas ?? 'extDatas', optional: true, value: [new asn1js.Repeated({ value: ExtData.schema() })] }),
      ],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SESSealInfo.schema());
    AsnError.assertSchema(asn1, this.className);
    const r = asn1.result;
    this.header = new SESHeader({ schema: r.header });
    this.esID = (r.esID as asn1js.IA5String).getValue();
    this.property = new SESESPropertyInfo({ schema: r.property });
    this.picture = new SESESPictrueInfo({ schema: r.picture });
    if (r.extDatas) this.extDatas = (r.extDatas as asn1js.Sequence).valueBlock.value.map((e) => new ExtData({ schema: e }));
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({
      value: [
        this.header.toSchema(),
        new asn1js.IA5String({ value: this.esID }),
        this.property.toSchema(),
        this.picture.toSchema(),
        ...(this.extDatas && this.extDatas.length > 0 ? [new asn1js.Sequence({ value: this.extDatas.map((e) => e.toSchema()) })] : []),
      ],
    });
  }

  toJSON(): SESSealInfoJson {
    return {
      header: this.header.toJSON(),
      esID: this.esID,
      property: this.property.toJSON(),
      picture: this.picture.toJSON(),
      ...(this.extDatas ? { extDatas: this.extDatas.map((e) => e.toJSON()) } : {}),
    };
  }
}
