import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ConfigurationError } from '../../common/index.ts';
import { keyId } from './format.ts';
import type { EmbeddedIdentity } from './proposal.ts';

/**
 * Seals and opens private keys at rest: the gateway passes its key-encryption key
 * (AES-256-GCM, signer/keystore), which this package takes by shape so that `ledger/` does
 * not depend on `signer/`.
 */
export interface KeySealer {
  /** Fingerprint of the sealing key, written beside the sealed bytes. Not secret. */
  readonly id: string;
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  open(sealed: Uint8Array, aad: Uint8Array): Buffer;
}

/**
 * The embedded ledger node's key: ECDSA P-256 in `<data>/ledger/node-key.pem`, created on
 * first start with mode 0600 in a 0700 folder. It signs every block header. With a
 * sealer (the gateway always gives its key-encryption key) the file holds the PKCS#8 DER
 * sealed with AES-256-GCM, like every other private key of the service; a plain PEM key
 * found there is sealed in place. Several gateways on one database must share this file
 * (or set ZHENGYIN_LEDGER_NODE_KEY_FILE to one path) and the key-encryption key, since a
 * chain is checked against one key.
 */
export interface NodeKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo, PEM: what a proof's verifier trusts. */
  readonly publicKeyPem: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex. */
  readonly keyId: string;
  readonly file: string;
}

const SETTING = 'ZHENGYIN_LEDGER_NODE_KEY_FILE';
const SEALED_LABEL = 'ZHENGYIN SEALED PRIVATE KEY';
/** Binds the sealed bytes to their purpose, so another sealed key cannot be swapped in. */
const SEALED_AAD = Buffer.from('zhengyin ledger node key v1');

export function loadNodeKey(file: string, sealer?: KeySealer): NodeKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // wx: never overwrite a key another process created a moment ago.
    try {
      fs.writeFileSync(file, keyFileText(privateKey, sealer), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it` });
  }
  const text = fs.readFileSync(file, 'utf8');
  const privateKey = text.includes(`-----BEGIN ${SEALED_LABEL}-----`) ? openSealed(file, text, sealer) : readPlain(file, text);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} is not an ECDSA P-256 key` });
  }
  if (sealer && !text.includes(`-----BEGIN ${SEALED_LABEL}-----`)) resealInPlace(file, privateKey, sealer);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyId(publicKey),
    file,
  };
}

function keyFileText(privateKey: KeyObject, sealer: KeySealer | undefined): string {
  if (!sealer) return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sealed = Buffer.from(sealer.seal(privateKey.export({ type: 'pkcs8', format: 'der' }), SEALED_AAD)).toString('base64');
  return `-----BEGIN ${SEALED_LABEL}-----\nKey-Encryption-Key: ${sealer.id}\nCipher: AES-256-GCM\n\n${sealed.replace(/.{1,64}/g, '$&\n')}-----END ${SEALED_LABEL}-----\n`;
}

function openSealed(file: string, text: string, sealer: KeySealer | undefined): KeyObject {
  const kekId = /^Key-Encryption-Key: *(\S+)/m.exec(text)?.[1] ?? 'unknown';
  if (!sealer) throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} is sealed under key-encryption key ${kekId}; this ledger was opened without one` });
  if (kekId !== sealer.id) {
    throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} is sealed under key-encryption key ${kekId}, not the configured ${sealer.id}` });
  }
  const body = text.slice(text.indexOf('\n\n') + 2, text.indexOf(`-----END ${SEALED_LABEL}-----`));
  try {
    return createPrivateKey({ key: sealer.open(Buffer.from(body.replace(/\s+/g, ''), 'base64'), SEALED_AAD), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} cannot be opened: damaged, or sealed for something else`, cause });
  }
}

function readPlain(file: string, text: string): KeyObject {
  try {
    return createPrivateKey(text);
  } catch (cause) {
    throw new ConfigurationError({ setting: SETTING, message: `the ledger node key ${file} is not a private key`, cause });
  }
}

/** Replaces a plain key file by its sealed form atomically (write beside, then rename). */
function resealInPlace(file: string, privateKey: KeyObject, sealer: KeySealer): void {
  const next = `${file}.${process.pid}.sealing`;
  fs.writeFileSync(next, keyFileText(privateKey, sealer), { mode: 0o600, flag: 'w' });
  fs.renameSync(next, file);
}

/** Fabric CA's certificate extension for identity attributes: `{"attrs":{name:value}}`. */
const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export interface IdentityRequest {
  readonly mspId: string;
  /** Certificate attributes the contract can read with ClientIdentity.getAttributeValue(). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly commonName?: string;
}

/**
 * Issues a client identity of the embedded channel: a fresh P-256 key and an X.509
 * certificate signed by the node key, carrying Fabric's attribute extension, so that the
 * contract's ClientIdentity sees an MSP id, an id and attributes as on a real peer.
 */
export async function issueIdentity(node: NodeKey, request: IdentityRequest): Promise<EmbeddedIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  setName(cert.subject, [
    ['2.5.4.10', request.mspId],
    ['2.5.4.11', 'client'],
    ['2.5.4.3', request.commonName ?? `${request.mspId} client`],
  ]);
  setName(cert.issuer, [['2.5.4.3', `zhengyin embedded ledger node ${node.keyId.slice(0, 16)}`]]);
  const now = Date.now();
  cert.notBefore.value = new Date(now - 60 * 60 * 1000);
  cert.notAfter.value = new Date(now + 10 * 365 * 24 * 60 * 60 * 1000);
  const spki = await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), ECDSA_P256, true, ['verify']);
  await cert.subjectPublicKeyInfo.importKey(spki, engine);
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
  ];
  if (request.attributes && Object.keys(request.attributes).length > 0) {
    const json = Buffer.from(JSON.stringify({ attrs: request.attributes }), 'utf8');
    cert.extensions.push(new pkijs.Extension({ extnID: FABRIC_ATTRS_OID, critical: false, extnValue: toArrayBuffer(json) }));
  }
  const signer = await webcrypto.subtle.importKey('pkcs8', node.privateKey.export({ type: 'pkcs8', format: 'der' }), ECDSA_P256, false, ['sign']);
  await cert.sign(signer, 'SHA-256', engine);
  const der = Buffer.from(cert.toSchema().toBER(false));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  return { mspId: request.mspId, certificatePem: pem, privateKey };
}

function setName(name: pkijs.RelativeDistinguishedNames, parts: readonly (readonly [string, string])[]): void {
  for (const [type, value] of parts) {
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }));
  }
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
