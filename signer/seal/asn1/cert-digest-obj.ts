import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';

export interface ICertDigestObj {
  /** 自定义类型 — names the digest algorithm, e.g. 'SHA256' or 'SM3'. */
  type: string;
  /** 证书杂凑值 — digest of the DER certificate. */
  value: Uint8Array;
}
export interface CertDigestObjJson {
  type: string;
  /** Hex. */
  value: string;
}
export type CertDigestObjParameters = PkiObjectParameters & Partial<ICertDigestObj>;
export type CertDigestObjSchema = SchemaParameters<{ type?: string; value?: string }>;

/**
 * A bound certificate by digest (certListType 2), GB/T 38540-2020 §7.1.2.
 *
 * @asn
 * ```asn
 * CertDigestObj ::= SEQUENCE {
 *   type   PrintableString,  -- 自定义类型
 *   value  OCTET STRING }    -- 证书杂凑值
 * ```
 */
export class CertDigestObj extends PkiObject implements ICertDigestObj {
  static override CLASS_NAME = 'CertDigestObj';
  type: string;
  value: Uint8Array;

  constructor(parameters: CertDigestObjParameters = {}) {
    super();
    this.type = parameters.type ?? 'SHA256';
    this.value = parameters.value ?? new Uint8Array();
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: CertDigestObjSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [new asn1js.PrintableString({ name: names.type ?? 'type' }), new asn1js.OctetString({ name: names.value ?? 'value' })],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, CertDigestObj.schema());
    AsnError.assertSchema(asn1, this.className);
    this.type = (asn1.result.type as asn1js.PrintableString).getValue();
    this.value = new Uint8Array((asn1.result.value as asn1js.OctetString).getValue());
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({ value: [new asn1js.PrintableString({ value: this.type }), new asn1js.OctetString({ valueHex: this.value })] });
  }

  toJSON(): CertDigestObjJson {
    return { type: this.type, value: Buffer.from(this.value).toString('hex') };
  }
}
