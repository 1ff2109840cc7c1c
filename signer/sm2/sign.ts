import { sm2 } from 'sm-crypto-v2';

/**
 * The user ID every SM2 signer uses unless the parties agreed another (GB/T 35276-2017
 * §5.3, GM/T 0009): it enters the signature through Z = SM3(ENTL‖ID‖a‖b‖G‖P).
 */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/**
 * An SM2 signature (GB/T 32918.2) over `data`: e = SM3(Z‖data) with the default user ID,
 * returned as DER SEQUENCE{r, s} (GB/T 35276 §7.2), as certificates, CRLs, OCSP, CMS and
 * SES_Seal carry it. sm-crypto-v2 does the arithmetic; node:crypto cannot set the user ID.
 *
 * @param privateKey hex scalar d.
 * @param publicKey hex point 04‖x‖y of the same key: Z needs it, and deriving it costs a
 *   scalar multiplication per signature.
 */
export function sm2Sign(data: Uint8Array, privateKey: string, publicKey: string): Uint8Array {
  return new Uint8Array(Buffer.from(sm2.doSignature(data, privateKey, { hash: true, der: true, publicKey, userId: SM2_DEFAULT_USER_ID }), 'hex'));
}

/**
 * Whether `signature` (DER SEQUENCE{r, s}) is an SM2 signature over `data` by the key
 * `publicKey` (hex 04‖x‖y), default user ID. False for anything undecodable: a verdict, not
 * an exception.
 */
export function sm2Verify(data: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  try {
    return sm2.doVerifySignature(data, Buffer.from(signature).toString('hex'), publicKey, { hash: true, der: true, userId: SM2_DEFAULT_USER_ID });
  } catch {
    return false;
  }
}
