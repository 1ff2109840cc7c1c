import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';

export interface ISESESPictrueInfo {
  /** 图片类型 — 'PNG', 'JPG', 'GIF', 'BMP', 'SVG', 'OFD'. */
  type: string;
  /** 印章图片数据. */
  data: Uint8Array;
  /** 图片显示宽度, millimetres. */
  width: number;
  /** 图片显示高度, millimetres. */
  height: number;
}

export interface SESESPictrueInfoJson {
  type: string;
  /** Base64. */
  data: string;
  width: number;
  height: number;
}
export type SESESPictrueInfoParameters = PkiObjectParameters & Partial<ISESESPictrueInfo>;
export type SESESPictrueInfoSchema = SchemaParameters<{ type?: string; data?: string; width?: string; height?: string }>;

/**
 * The seal's picture, GB/T 38540-2020 §7.1.2. The standard spells it "Pictrue"; so do we.
 *
 * @asn
 * ```asn
 * SES_ESPictrueInfo ::= SEQUENCE {
 *   type    IA5String,     -- 图片类型, e.g. 'PNG'
 *   data    OCTET STRING,  -- 图片数据
 *   width   INTEGER,       -- 显示宽度, mm
 *   height  INTEGER }      -- 显示高度, mm
 * ```
 */
export class SESESPictrueInfo extends PkiObject implements ISESESPictrueInfo {
  static override CLASS_NAME = 'SESESPictrueInfo';
  type: string;
  data: Uint8Array;
  width: number;
  height: number;

  constructor(parameters: SESESPictrueInfoParameters = {}) {
    super();
    this.type = parameters.type ?? 'PNG';
    this.data = parameters.data ?? new Uint8Array();
    this.width = parameters.width ?? 0;
    this.height = parameters.height ?? 0;
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SESESPictrueInfoSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        new asn1js.IA5String({ name: names.type ?? 'type' }),
        new asn1js.OctetString({ name: names.data ?? 'data' }),
        new asn1js.Integer({ name: names.width ?? 'width' }),
        new asn1js.Integer({ name: names.height ?? 'height' }),
      ],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SESESPictrueInfo.schema());
    AsnError.assertSchema(asn1, this.className);
    this.type = (asn1.result.type as asn1js.IA5String).getValue();
    this.data = new Uint8Array((asn1.result.data as asn1js.OctetString).getValue());
    this.width = (asn1.result.width as asn1js.Integer).valueBlock.valueDec;
    this.height = (asn1.result.height as asn1js.Integer).valueBlock.valueDec;
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({
      value: [
        new asn1js.IA5String({ value: this.type }),
        new asn1js.OctetString({ valueHex: this.data }),
        new asn1js.Integer({ value: this.width }),
        new asn1js.Integer({ value: this.height }),
      ],
    });
  }

  toJSON(): SESESPictrueInfoJson {
    return { type: this.type, data: Buffer.from(this.data).toString('base64'), width: this.width, height: this.height };
  }
}
