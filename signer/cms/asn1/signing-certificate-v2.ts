import * as asn1js from 'asn1js';
import { AsnError, PkiObject } from 'pkijs';
import { ESSCertIDv2, type ESSCertIDv2Json } from './ess-cert-id-v2.ts';

export interface ISigningCertificateV2 {
  certs: ESSCertIDv2[];
}

export interface SigningCertificateV2Json {
  certs: ESSCertIDv2Json[];
}

export type SigningCertificateV2Parameters = Partial<ISigningCertificateV2> & { schema?: asn1js.AsnType };

export interface SigningCertificateV2Schema {
  names?: { blockName?: string; certs?: string };
}

/**
 * The ESS signing-certificate-v2 signed attribute that binds a CAdES signature to its
 * certificate (RFC 5035 §3, ETSI EN 319 122-1 §5.2.2.3). The first ESSCertIDv2 is the
 * signer's; zhengyin writes only that one and no policies.
 * @asn
 * SigningCertificateV2 ::= SEQUENCE {
 *   certs     SEQUENCE OF ESSCertIDv2,
 *   policies  SEQUENCE OF PolicyInformation OPTIONAL }
 */
export class SigningCertificateV2 extends PkiObject implements ISigningCertificateV2 {
  static override CLASS_NAME = 'SigningCertificateV2';

  certs: ESSCertIDv2[];

  constructor(parameters: SigningCertificateV2Parameters = {}) {
    super();
    this.certs = parameters.certs ?? [];
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: SigningCertificateV2Schema = {}): asn1js.Sequence {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        new asn1js.Sequence({ value: [new asn1js.Repeated({ name: names.certs ?? 'certs', value: ESSCertIDv2.schema() })] }),
        new asn1js.Any({ name: 'policies', optional: true }),
      ],
    });
  }

  fromSchema(schema: asn1js.AsnType): void {
    const asn1 = asn1js.compareSchema(schema, schema, SigningCertificateV2.schema());
    AsnError.assertSchema(asn1, this.className);
    this.certs = (asn1.result.certs as asn1js.AsnType[] | undefined ?? []).map((c) => new ESSCertIDv2({ schema: c }));
  }

  toSchema(): asn1js.Sequence {
    return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: this.certs.map((c) => c.toSchema()) })] });
  }

  toJSON(): SigningCertificateV2Json {
    return { certs: this.certs.map((c) => c.toJSON()) };
  }
}
