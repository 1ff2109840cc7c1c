/**
 * Inputs for signOfd made with the verifier tests' SM2 PKI and SES_Seal builder (never with
 * signer/seal): the seal's DER, the signer's certificate, and a `sign` function.
 */
import * as asn1js from 'asn1js';
import { newLicenceMetadata, SEED_EXAMPLES, type LicenceMetadata, type LicenceType, type SignOfdOptions } from '../../signer/index.ts';
import type { VerifyOptions } from '../../verifier/index.ts';
import { sesSignatureV4, type SealSpec } from '../verifier/ofd/support/ofd-builder.ts';
import { sm2Pki, sm2Sign, type Sm2Identity } from '../verifier/ofd/support/sm2-pki.ts';

export const T0 = new Date('2026-01-01T00:00:00Z');
export const SIGNED_AT = new Date('2025-12-15T02:30:00Z');
export const pki = sm2Pki();
export const verifyOptions: VerifyOptions = { trust: [pki.root.certificate], crls: [pki.crl], at: T0 };

/** The SES_Seal V4 (DER) the builder makes for `spec`: the eseal inside the SES_Signature it writes. */
export function sealOf(spec: Partial<SealSpec> = {}): Uint8Array {
  const ses = sesSignatureV4({ signer: pki.signer, maker: pki.maker, ...spec }, Buffer.alloc(32), SIGNED_AT);
  const top = asn1js.fromBER(ses).result as asn1js.Sequence;
  const tbs = top.valueBlock.value[0] as asn1js.Sequence;
  return new Uint8Array(tbs.valueBlock.value[1]!.valueBeforeDecodeView);
}

/** signOfd options for `who` holding a seal that lists it. */
export function sealOptions(who: Sm2Identity = pki.signer, more: Partial<SignOfdOptions> = {}): SignOfdOptions {
  return {
    seal: sealOf({ signer: who }),
    signerCertificate: who.certificate,
    sign: async (tbs) => sm2Sign(tbs, who.privateKey),
    signedAt: SIGNED_AT,
    position: { x: 140, y: 220, width: 40, height: 40 },
    ...more,
  };
}

export function metadataFor(type: LicenceType, face?: Record<string, string>): LicenceMetadata {
  const ex = SEED_EXAMPLES.find((e) => e.typeCode === type.code)!;
  return newLicenceMetadata(type, { face: face ?? ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2024-03-15', serial: '2430599', number: ex.number });
}
