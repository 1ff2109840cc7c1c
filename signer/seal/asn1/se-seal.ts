import * as asn1js from 'asn1js';
import { AsnError, PkiObject, type PkiObjectParameters, type SchemaParameters, type SchemaType } from 'pkijs';
import { SESSealInfo, type SESSealInfoJson } from './ses-seal-info.ts';

export interface ISESeal {
  /** 印章信息 — what the maker signs. */
  eSealInfo: SESSealInfo;
  /** 制章者证书, DER. */
  cert: Uint8Array;
  /** 签名算法标识. */
  signAlgID: string;
  /** 签名值 — the maker's signature over DER(eSealInfo). */
  signedValue: Uint8Array;
}
export interface SESealJson {
  eSealInfo: SESSealInfoJson;
  /** Base64. */
  cert: string;
  signAlgID: string;
  /** Base64. */
  signedValue: string;
}
export type SESealParameters = PkiObjectParameters & Partial<ISESeal>;
export type SESealSchema = SchemaParameters<{ eSealInfo?: string; cert?: string; signAlgID?: string; signedValue?: string }>;

/**
 * Electronic seal, GB/T 38540-2020 §7.1 (header version 4).
 *
 * The maker signs the DER encoding of `eSealInfo` alone, as ofdrw (`OfdUtil.buildSealV4`,
 * `verifySealSignature`) and the Chingliu/gm_0031_38540_verifier
 * (`check_seal_signvalue`: `i2d_SESv4_SealInfo`) both do; GM/T 0031-2014 (version 1..3)
 * signed the SEQUENCE of seal info, certificate and algorithm instead.
 *
 * @asn
 * ```asn
 * SESeal ::= SEQUENCE {
 *   eSealInfo    SES_SealInfo,       -- 印章信息
 *   cert         OCTET STRING,       -- 制章者证书
 *   signAlgID    OBJECT IDENTIFIER,  -- 签名算法标识
 *   signedValue  BIT STRING }        -- 签名值
 * ```
 */
export class SESeal extends PkiObject implements ISESeal {
  static override CLASS_NAME = 'SESeal';
  eSealInfo: SESSealInfo;
  cert: Uint8Array;
  signAlgID: string;
  signedValue: Uint8Array;
  /**
   * The DER of `eSealInfo` exactly as decoded, which is what the maker signed; empty for a
   * seal built in memory (then the signature is checked over `eSealInfo.toSchema()`).
   */
  tbsView: Uint8Array = new Uint8Array();

  constructor(parameters: SESealParameters = {}) {
    super();
    this.eSealInfo = parameters.eSealInfo ?? new SESSealInfo();
    this.cert = parameters.cert ?? new Uint8Array();
    this.signAlgID = parameters.signAlgID ?? '';
    this.signedValue = parameters.signedValue ?? new Uint8Array();
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SESealSchema = {}): SchemaType {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        SESSealInfo.schema({ names: { blockName: names.eSealInfo ?? 'eSealInfo' } }),
        new asn1js.OctetString({ name: names.cert ?? 'cert' }),
        new asn1js.ObjectIdentifier({ name: names.signAlgID ?? 'signAlgID' }),
        new asn1js.BitString({ name: names.signedValue ?? 'signedValue' }),
      ],
    });
  }

  fromSchema(schema: SchemaType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SESeal.schema());
    AsnError.assertSchema(asn1, this.className);
    const r = asn1.result;
    this.eSealInfo = new SESSealInfo({ schema: r.eSealInfo });
    this.tbsView = new Uint8Array((r.eSealInfo as asn1js.Sequence).valueBeforeDecodeView);
    this.cert = new Uint8Array((r.cert as asn1js.OctetString).getValue());
    this.signAlgID = (r.signAlgID as asn1js.ObjectIdentifier).valueBlock.toString();
    this.signedValue = new Uint8Array((r.signedValue as asn1js.BitString).valueBlock.valueHexView);
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({
      value: [
        this.eSealInfo.toSchema(),
        new asn1js.OctetString({ valueHex: this.cert }),
        new asn1js.ObjectIdentifier({ value: this.signAlgID }),
        new asn1js.BitString({ valueHex: this.signedValue }),
      ],
    });
  }

  toJSON(): SESealJson {
    return {
      eSealInfo: this.eSealInfo.toJSON(),
      cert: Buffer.from(this.cert).toString('base64'),
      signAlgID: this.signAlgID,
      signedValue: Buffer.from(this.signedValue).toString('base64'),
    };
  }
}
