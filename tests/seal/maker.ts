import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyAlgorithm, SigningKey } from '../../signer/index.ts';
import { nodeSigningKey } from '../support/node-signing-key.ts';
import { opensslOrThrow } from '../support/openssl.ts';

export interface TestMaker {
  readonly key: SigningKey;
  readonly certificate: Uint8Array;
  readonly dir: string;
}

/**
 * A self-signed maker certificate and key made by openssl (an independent tool), wrapped
 * as a SigningKey over node:crypto. Test fixture only: the real key store is elsewhere.
 */
export function testMaker(algorithm: Extract<KeyAlgorithm, 'EC-P256' | 'RSA-2048'>, cn: string): TestMaker {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-seal-'));
  const keyArgs = algorithm === 'EC-P256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  opensslOrThrow(['req', '-x509', ...keyArgs, '-nodes', '-subj', `/CN=${cn}`, '-days', '3650', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`]);
  const key = nodeSigningKey(fs.readFileSync(`${dir}/key.pem`, 'latin1'));
  const certificate = new Uint8Array(new X509Certificate(fs.readFileSync(`${dir}/cert.pem`)).raw);
  return { key, certificate, dir };
}
