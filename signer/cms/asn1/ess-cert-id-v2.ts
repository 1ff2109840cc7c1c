import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, AsnError, IssuerSerial, PkiObject, type AlgorithmIdentifierJson, type IssuerSerialJson } from 'pkijs';
import { oid } from '../oids.ts';

const SHA256 = oid.sha256;

export interface IESSCertIDv2 {
  /** Absent in DER when it is the default, id-sha256 (RFC 5035 §4). */
  hashAlgorithm: AlgorithmIdentifier;
  certHash: asn1js.OctetString;
  issuerSerial?: IssuerSerial;
}

export interface ESSCertIDv2Json {
  hashAlgorithm: AlgorithmIdentifierJson;
  certHash: asn1js.OctetStringJson;
  issuerSerial?: IssuerSerialJson;
}

export type ESSCertIDv2Parameters = Partial<IESSCertIDv2> & { schema?: asn1js.AsnType };

export interface ESSCertIDv2Schema {
  names?: { blockName?: string; hashAlgorithm?: string; certHash?: string; issuerSerial?: string };
}

/**
 * Identifies the signer's certificate inside the signed attributes, RFC 5035 §4.
 * @asn
 * ESSCertIDv2 ::= SEQUENCE {
 *   hashAlgorithm  AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *   certHash       Hash,                 -- OCTET STRING over the whole DER certificate
 *   issuerSerial   IssuerSerial OPTIONAL }
 */
export class ESSCertIDv2 extends PkiObject implements IESSCertIDv2 {
  static override CLASS_NAME = 'ESSCertIDv2';

  hashAlgorithm: AlgorithmIdentifier;
  certHash: asn1js.OctetString;
  issuerSerial?: IssuerSerial;

  constructor(parameters: ESSCertIDv2Parameters = {}) {
    super();
    this.hashAlgorithm = parameters.hashAlgorithm ?? new AlgorithmIdentifier({ algorithmId: SHA256 });
    this.certHash = parameters.certHash ?? new asn1js.OctetString();
    if (parameters.issuerSerial) this.issuerSerial = parameters.issuerSerial;
    if (parameters.schema) this.fromSchema(parameters.schema);
  }

  static override schema(parameters: ESSCertIDv2Schema = {}): asn1js.Sequence {
    const names = parameters.names ?? {};
    return new asn1js.Sequence({
      name: names.blockName ?? '',
      value: [
        AlgorithmIdentifier.schema({ names: { blockName: names.hashAlgorithm ?? 'hashAlgorithm', optional: true } }),
        new asn1js.OctetString({ name: names.certHash ?? 'certHash' }),
        IssuerSerial.schema({ names: { blockName: names.issuerSerial ?? 'issuerSerial' } }),
      ],
    });
  }

  fromSchema(schema: asn1js.AsnType): void {
    const asn1 = asn1js.compareSchema(schema, schema, ESSCertIDv2.schema());
    AsnError.assertSchema(asn1, this.className);
    this.hashAlgorithm = asn1.result.hashAlgorithm
      ? new AlgorithmIdentifier({ schema: asn1.result.hashAlgorithm })
      : new AlgorithmIdentifier({ algorithmId: SHA256 });
    this.certHash = asn1.result.certHash;
    if (asn1.result.issuerSerial) this.issuerSerial = new IssuerSerial({ schema: asn1.result.issuerSerial });
  }

  toSchema(): asn1js.Sequence {
    const value: asn1js.AsnType[] = [];
    // DER omits a component equal to its DEFAULT (X.690 §11.5).
    if (this.hashAlgorithm.algorithmId !== SHA256) value.push(this.hashAlgorithm.toSchema());
    value.push(this.certHash);
    if (this.issuerSerial) value.push(this.issuerSerial.toSchema());
    return new asn1js.Sequence({ value });
  }

  toJSON(): ESSCertIDv2Json {
    return {
      hashAlgorithm: this.hashAlgorithm.toJSON(),
      certHash: this.certHash.toJSON(),
      ...(this.issuerSerial ? { issuerSerial: this.issuerSerial.toJSON() } : {}),
    };
  }
}
