import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';

export interface IExtData {
  /** 自定义扩展字段标识. */
  extnID: string;
  /** 自定义扩展字段是否关键; DEFAULT FALSE. */
  critical: boolean;
  /** 自定义扩展字段数据值. */
  extnValue: Uint8Array;
}
export interface ExtDataJson {
  extnID: string;
  critical: boolean;
  /** Hex. */
  extnValue: string;
}
export type ExtDataParameters = PkiObjectParameters & Partial<IExtData>;
export type ExtDataSchema = SchemaParameters<{ extnID?: string; critical?: string; extnValue?: string }>;

/**
 * A vendor extension of the seal information, GB/T 38540-2020 §7.1.2.
 *
 * @asn
 * ```asn
 * ExtensionDatas ::= SEQUENCE OF ExtData
 * ExtData ::= SEQUENCE {
 *   extnID     OBJECT IDENTIFIER,
 *   critical   BOOLEAN DEFAULT FALSE,
 *   extnValue  OCTET STRING }
 * ```
 */
export class ExtData extends PkiObject implements IExtData {
  static override CLASS_NAME = 'ExtData';
  extnID: string;
  critical: boolean;
  extnValue: Uint8Array;

  constructor(parameters: ExtDataParameters = {}) {
    super();
    this.extnID = parameters.extnID ?? '';
    this.critical = parameters.critical ?? false;
    this.extnValue = parameters.extnValue ?? new Uint8Array();
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: ExtDataSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        new asn1js.ObjectIdentifier({ name: names.extnID ?? 'extnID' }),
        new asn1js.Boolean({ name: names.critical ?? 'critical', optional: true }),
        new asn1js.OctetString({ name: names.extnValue ?? 'extnValue' }),
      ],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, ExtData.schema());
    AsnError.assertSchema(asn1, this.className);
    this.extnID = (asn1.result.extnID as asn1js.ObjectIdentifier).valueBlock.toString();
    this.critical = asn1.result.critical ? (asn1.result.critical as asn1js.Boolean).getValue() : false;
    this.extnValue = new Uint8Array((asn1.result.extnValue as asn1js.OctetString).getValue());
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: this.extnID }),
        // DER omits a BOOLEAN that equals its DEFAULT (X.690 §11.5).
        ...(this.critical ? [new asn1js.Boolean({ value: true })] : []),
        new asn1js.OctetString({ valueHex: this.extnValue }),
      ],
    });
  }

  toJSON(): ExtDataJson {
    return { extnID: this.extnID, critical: this.critical, extnValue: Buffer.from(this.extnValue).toString('hex') };
  }
}
