import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DigestAlgorithm, KeyAlgorithm, SigningKey } from '../../signer/index.ts';

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
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-subj', `/CN=${cn}`, '-days', '3650', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], {
    stdio: 'ignore',
  });
  const privateKey = createPrivateKey(fs.readFileSync(`${dir}/key.pem`));
  const certificate = new Uint8Array(new X509Certificate(fs.readFileSync(`${dir}/cert.pem`)).raw);
  const digestName = (d: DigestAlgorithm) => d.replace('-', '').toLowerCase();
  const key: SigningKey = {
    algorithm,
    sign: async (data, digest) => new Uint8Array(sign(digestName(digest), data, privateKey)),
  };
  return { key, certificate, dir };
}
