import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { orderChain } from './chain.ts';
import { Pkcs12Error } from './errors.ts';

/** What a PKCS#12 file holds, with the private key as a node:crypto key that only signer/ code sees. */
export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  /** The certificate of `privateKey`, DER. */
  readonly certificate: Uint8Array;
  /** The other certificates of the file that form its issuer chain, nearest first. */
  readonly chain: readonly Uint8Array[];
}

/**
 * Reads a PKCS#12 file (RFC 7292) with an RSA or EC key: OpenSSL 3's default
 * (PBES2/PBKDF2/AES-256-CBC, HMAC-SHA-256 MAC) and the legacy encryptions
 * (pbeWithSHAAnd3-KeyTripleDES-CBC, pbeWithSHAAnd40BitRC2-CBC, SHA-1 MAC).
 *
 * node-forge parses the container and decrypts the bags; it cannot build an EC key or
 * certificate, but hands back the decrypted ASN.1 (see `asRawBags`), which node:crypto
 * reads whatever the algorithm.
 *
 * @throws {@link Pkcs12Error} code INVALID_PKCS12_PASSWORD (MAC or decryption fails), or
 * INVALID_PKCS12 (malformed, no key, several keys, no certificate for the key).
 */
export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = openPfx(bytes, password);
  } catch (cause) {
    const message = (cause as Error)?.message ?? '';
    if (/Invalid password|wrong password|MAC could not be verified|Failed to decrypt|Unable to decrypt/i.test(message)) {
      throw new Pkcs12Error({ message: 'the PKCS#12 password is wrong (integrity check or decryption failed)', badPassword: true, cause });
    }
    throw new Pkcs12Error({ message: `not a readable PKCS#12 file (RFC 7292): ${message}`, cause });
  }
  const keys: KeyObject[] = [];
  const certificates: Uint8Array[] = [];
  for (const contents of p12.safeContents) {
    for (const bag of contents.safeBags) {
      const asn1 = bag.asn1;
      if (!asn1) continue;
      const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        try {
          keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
        } catch (cause) {
          throw new Pkcs12Error({ message: 'the private key in the PKCS#12 file is not a readable PKCS#8 key', cause });
        } finally {
          der.fill(0);
        }
      } else if (bag.type === forge.pki.oids.certBag) {
        certificates.push(new Uint8Array(der));
      }
    }
  }
  if (keys.length !== 1) throw new Pkcs12Error({ message: `a PKCS#12 file to import must hold exactly one private key, not ${keys.length}` });
  const privateKey = keys[0]!;
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const own = certificates.find((der) => publicKeyOf(der)?.equals(spki));
  if (!own) throw new Pkcs12Error({ message: 'the PKCS#12 file holds no certificate for its private key' });
  return { privateKey, certificate: own, chain: orderChain(own, certificates.filter((c) => c !== own)) };
}

function openPfx(bytes: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  const parse = () => forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), false);
  try {
    return asRawBags(() => forge.pkcs12.pkcs12FromAsn1(parse(), false, password));
  } catch (e) {
    // The MAC and PKCS#12 PBE take the password as a BMPString (RFC 7292 Appendix B.1),
    // which forge builds right; PBES2 takes its UTF-8 octets (RFC 8018 §3), which forge
    // does not. A non-ASCII password that passed the MAC but failed to decrypt is retried
    // as UTF-8, with the MAC (already verified) dropped so forge does not recompute it.
    if (/^[\x00-\x7f]*$/.test(password) || /MAC could not be verified/.test((e as Error)?.message ?? '')) throw e;
    const asn1 = parse();
    (asn1.value as forge.asn1.Asn1[]).splice(2);
    return asRawBags(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, forge.util.encodeUtf8(password)));
  }
}

/**
 * Runs `fn` with forge's certificate and key decoders refusing everything, so that every
 * bag keeps its ASN.1 (`bag.asn1`) as decoded: forge would otherwise rebuild RSA
 * certificates from their fields (re-encoding the outer signatureAlgorithm, which must
 * stay byte-equal to the TBS one, RFC 5280 §4.1.1.2) and RSA keys from their numbers.
 * The swap is synchronous, so no other code can observe it.
 */
function asRawBags<T>(fn: () => T): T {
  const pki = forge.pki as { certificateFromAsn1: unknown; privateKeyFromAsn1: unknown };
  const saved = { certificateFromAsn1: pki.certificateFromAsn1, privateKeyFromAsn1: pki.privateKeyFromAsn1 };
  const refuse = () => {
    throw new Error('kept as ASN.1');
  };
  pki.certificateFromAsn1 = refuse;
  pki.privateKeyFromAsn1 = refuse;
  try {
    return fn();
  } finally {
    Object.assign(pki, saved);
  }
}

function publicKeyOf(der: Uint8Array): Buffer | undefined {
  try {
    return new X509Certificate(Buffer.from(der)).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}
