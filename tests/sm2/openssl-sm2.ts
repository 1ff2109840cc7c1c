import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import { openssl } from '../support/openssl.ts';

// openssl as an independent judge of SM2-with-SM3 signatures. OpenSSL 3.0 checks SM2 with
// the standard user ID only when told (`distid:1234567812345678`), and `openssl verify`
// applies that to the target certificate alone, `openssl crl -verify` not at all: so
// certificates are judged one link at a time, and CRLs, OCSP responses and seals by
// `openssl dgst -sm3 -sigopt distid:…` over the signed bytes cut out here.

const DISTID = 'distid:1234567812345678';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-sm2-'));
let n = 0;

/** PEM armour of a certificate, written here rather than by signer/ (the code under test). */
export const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
const file = (name: string, bytes: Uint8Array | string): string => {
  const p = path.join(dir, `${n++}-${name}`);
  fs.writeFileSync(p, bytes);
  return p;
};

/** `openssl verify` of `certificate` against `issuer` alone (partial chain): exit status 0 means the SM2 signature and the link hold. */
export function opensslVerifiesLink(certificate: Uint8Array, issuer: Uint8Array): { ok: boolean; output: string } {
  const r = openssl(['verify', '-vfyopt', DISTID, '-partial_chain', '-CAfile', file('issuer.pem', pem(issuer)), file('cert.pem', pem(certificate))]);
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** Whether openssl finds `signature` (DER) an SM2 signature over `data` by the key of `certificate`. */
export function opensslVerifiesSm2(data: Uint8Array, signature: Uint8Array, certificate: Uint8Array): boolean {
  const pub = openssl(['x509', '-pubkey', '-noout', '-in', file('signer.pem', pem(certificate))]);
  if (pub.status !== 0) throw new Error(pub.stderr);
  const r = openssl(['dgst', '-sm3', '-verify', file('pub.pem', pub.stdout), '-sigopt', DISTID, '-signature', file('sig.der', signature), file('data.der', data)]);
  return r.status === 0 && /Verified OK/.test(r.stdout);
}

/** The first element's DER and the BIT STRING's content of a SIGNED{…} SEQUENCE (certificate, CRL, BasicOCSPResponse). */
export function signedParts(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const top = asn1js.fromBER(der).result as asn1js.Sequence;
  const [tbs, , sig] = top.valueBlock.value;
  return { tbs: new Uint8Array(tbs!.valueBeforeDecodeView), signature: new Uint8Array((sig as asn1js.BitString).valueBlock.valueHexView) };
}

/** The BasicOCSPResponse inside an OCSPResponse (RFC 6960 §4.2.1). */
export function basicOcspResponse(der: Uint8Array): Uint8Array {
  const top = asn1js.fromBER(der).result as asn1js.Sequence;
  const bytes = (top.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  return new Uint8Array((bytes.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView);
}

/** `openssl <args>` text output (e.g. `crl -text`), for asserting what a structure says. */
export function opensslText(args: readonly string[], der: Uint8Array): string {
  const r = openssl([...args, '-in', file('in.der', der), '-inform', 'DER']);
  return r.stdout + r.stderr;
}
