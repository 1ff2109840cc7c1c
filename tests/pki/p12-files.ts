import fs from 'node:fs';
import { opensslOrThrow } from '../support/openssl.ts';

export interface P12Options {
  readonly key: 'rsa' | 'ec';
  /** OpenSSL 3 default (PBES2/AES-256-CBC, HMAC-SHA-256) or -legacy (3DES key bag, RC2-40 certificates, SHA-1 MAC). */
  readonly encryption: 'default' | 'legacy';
  readonly password: string;
  /** A CA certificate instead of a signing one. */
  readonly ca?: boolean;
  /** Leave the key out (-nokeys). */
  readonly noKey?: boolean;
}

/**
 * Makes a PKCS#12 file the way a department would, with `openssl pkcs12 -export`: a leaf
 * key and certificate issued by an openssl-made CA, the CA certificate included.
 */
export function makeP12(dir: (name: string) => string, name: string, o: P12Options): { p12: Buffer; leaf: Buffer; ca: Buffer } {
  const f = (suffix: string) => dir(`${name}-${suffix}`);
  const run = (args: string[]): void => void opensslOrThrow(args);
  const keyArgs = o.key === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  run(['req', '-x509', ...keyArgs, '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '30', '-subj', '/C=CN/O=外部CA/CN=Department External CA', '-utf8', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-new', ...keyArgs, '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', `/C=CN/O=不动产登记中心/CN=不动产登记中心 ${o.key.toUpperCase()} 签章`, '-utf8']);
  fs.writeFileSync(f('ext.cnf'), o.ca ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' : 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  run(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('leaf.pem'), '-days', '30', '-extfile', f('ext.cnf')]);
  const passFile = f('pass');
  fs.writeFileSync(passFile, o.password + '\n');
  run([
    'pkcs12', '-export',
    ...(o.noKey ? ['-nokeys'] : ['-inkey', f('leaf.key')]),
    '-in', f('leaf.pem'), '-certfile', f('ca.pem'),
    ...(o.encryption === 'legacy' ? ['-legacy'] : []),
    '-passout', `file:${passFile}`, '-out', f('p12'),
  ]);
  const der = (pem: string) => opensslOrThrow(['x509', '-in', pem, '-outform', 'DER']);
  return { p12: fs.readFileSync(f('p12')), leaf: der(f('leaf.pem')), ca: der(f('ca.pem')) };
}

/** Packs a PEM key and certificate (e.g. made by the library, already expired) into a PKCS#12 file with openssl. */
export function packP12(dir: (name: string) => string, name: string, keyPem: string, certificatePem: string, password: string): Buffer {
  fs.writeFileSync(dir(`${name}.key`), keyPem);
  fs.writeFileSync(dir(`${name}.pem`), certificatePem);
  fs.writeFileSync(dir(`${name}.pass`), password + '\n');
  opensslOrThrow(['pkcs12', '-export', '-inkey', dir(`${name}.key`), '-in', dir(`${name}.pem`), '-passout', `file:${dir(`${name}.pass`)}`, '-out', dir(`${name}.p12`)]);
  return fs.readFileSync(dir(`${name}.p12`));
}
