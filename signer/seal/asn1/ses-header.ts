import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';

/** 电子印章数据标识, fixed 'ES' (GB/T 38540-2020 §7.1.2). */
export const SES_HEADER_ID = 'ES';
/** 电子印章数据版本号: 4 for GB/T 38540-2020 (GM/T 0031-2014 seals are version 1..3). */
export const SES_VERSION = 4;

export interface ISESHeader {
  /** 电子印章数据标识, 'ES'. */
  id: string;
  /** 电子印章数据版本号. */
  version: number;
  /** 厂商标识 — the seal system's vendor id, for interoperability. */
  vid: string;
}

export type SESHeaderJson = ISESHeader;
export type SESHeaderParameters = PkiObjectParameters & Partial<ISESHeader>;
export type SESHeaderSchema = SchemaParameters<{ id?: string; version?: string; vid?: string }>;

/**
 * Header of an electronic seal, GB/T 38540-2020 §7.1.2 (as implemented by ofdrw
 * `org.ofdrw.gm.ses.v1.SES_Header`).
 *
 * @asn
 * ```asn
 * SES_Header ::= SEQUENCE {
 *   id       IA5String,   -- 'ES'
 *   version  INTEGER,     -- 4
 *   vid      IA5String }  -- 厂商标识
 * ```
 */
export class SESHeader extends PkiObject implements ISESHeader {
  static override CLASS_NAME = 'SESHeader';
  id: string;
  version: number;
  vid: string;

  constructor(parameters: SESHeaderParameters = {}) {
    super();
    this.id = parameters.id ?? SES_HEADER_ID;
    this.version = parameters.version ?? SES_VERSION;
    this.vid = parameters.vid ?? '';
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SESHeaderSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [new asn1js.IA5String({ name: names.id ?? 'id' }), new asn1js.Integer({ name: names.version ?? 'version' }), new asn1js.IA5String({ name: names.vid ?? 'vid' })],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SESHeader.schema());
    AsnError.assertSchema(asn1, this.className);
    this.id = (asn1.result.id as asn1js.IA5String).getValue();
    this.version = (asn1.result.version as asn1js.Integer).valueBlock.valueDec;
    this.vid = (asn1.result.vid as asn1js.IA5String).getValue();
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({
      value: [new asn1js.IA5String({ value: this.id }), new asn1js.Integer({ value: this.version }), new asn1js.IA5String({ value: this.vid })],
    });
  }

  toJSON(): SESHeaderJson {
    return { id: this.id, version: this.version, vid: this.vid };
  }
}
