/**
 * Signatures of Type=Sign (GB/T 38540 §9: a digital signature without a seal) over the raw
 * Signature.xml bytes: a GB/T 35275 (or RFC 5652) detached SignedData, or, as ofdrw and
 * others write it, a bare signature value with no certificate, checked against the
 * certificates the caller supplied.
 */
import { AlgorithmIdentifier } from 'pkijs';
import { signatureAlgorithmName, UnsupportedAlgorithmError, verifySignature } from '../cms/algorithms.ts';
import { readTlv } from '../cms/der.ts';
import { checkSignerInfo } from '../cms/signer-info.ts';
import { parseSignedData } from '../cms/signed-data.ts';
import { SM2_OID } from '../cms/sm2.ts';
import { SignatureValidationError } from '../errors.ts';
import type { Cert } from '../pki/certificate.ts';
import type { CertPool } from '../pki/cert-pool.ts';
import { failed, indeterminate } from '../report/outcome.ts';
import type { FailedOrIndeterminate } from '../report/types.ts';

export interface DigitalSignCheck {
  readonly format: string;
  readonly signer: Cert | null;
  readonly valid: boolean;
  readonly signatureAlgorithm: string | null;
  readonly failure: (FailedOrIndeterminate & { readonly message: string }) | null;
}

export function checkDigitalSign(value: Uint8Array, signed: Uint8Array, signatureMethod: string | null, pool: CertPool): DigitalSignCheck {
  if (looksLikeContentInfo(value)) {
    try {
      const cms = parseSignedData(value);
      for (const der of cms.certificates) pool.add(der, 'SIGNATURE');
      if (cms.eContent !== undefined) {
        return { format: 'GB/T 35275 SignedData', signer: null, valid: false, signatureAlgorithm: null, failure: { ...failed('FORMAT_FAILURE'), message: 'the SignedData encapsulates content; a detached signature over Signature.xml is expected' } };
      }
      const check = checkSignerInfo(cms, [signed], pool.all());
      return { format: 'GB/T 35275 SignedData', signer: check.signer, valid: check.valid, signatureAlgorithm: check.signatureAlgorithm, failure: check.failure };
    } catch (e) {
      if (!(e instanceof SignatureValidationError)) throw e;
      return { format: 'GB/T 35275 SignedData', signer: null, valid: false, signatureAlgorithm: null, failure: { ...e.outcome, message: e.message } as DigitalSignCheck['failure'] };
    }
  }
  const oid = signatureMethod && /^[0-9.]+$/.test(signatureMethod) ? signatureMethod : SM2_OID.sm2WithSm3;
  const alg = new AlgorithmIdentifier({ algorithmId: oid === SM2_OID.sm2Sign ? SM2_OID.sm2WithSm3 : oid });
  const name = signatureAlgorithmName(alg);
  let signer: Cert | null = null;
  try {
    signer = pool.all().find((c) => {
      try {
        return verifySignature(alg, undefined, signed, value, c.publicKey);
      } catch (e) {
        if (e instanceof UnsupportedAlgorithmError && e.message.includes('signature algorithm')) throw e;
        return false;
      }
    }) ?? null;
  } catch (e) {
    if (!(e instanceof UnsupportedAlgorithmError)) throw e;
    return { format: 'bare signature value', signer: null, valid: false, signatureAlgorithm: name, failure: { ...indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), message: e.message } };
  }
  if (!signer) {
    return {
      format: 'bare signature value', signer: null, valid: false, signatureAlgorithm: name,
      failure: { ...indeterminate('NO_SIGNING_CERTIFICATE_FOUND'), message: 'the signed value is a bare signature without a certificate, and no supplied certificate verifies it' },
    };
  }
  return { format: 'bare signature value', signer, valid: true, signatureAlgorithm: name, failure: null };
}

/** A SEQUENCE whose first element is an OBJECT IDENTIFIER: a ContentInfo, not an r,s pair. */
function looksLikeContentInfo(value: Uint8Array): boolean {
  try {
    const top = readTlv(value, 0);
    return top.tag === 16 && value[top.contentStart] === 0x06;
  } catch {
    return false;
  }
}
