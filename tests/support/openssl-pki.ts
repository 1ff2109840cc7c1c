import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RevocationSource, SigningIdentity, ValidationMaterial } from '../../signer/index.ts';
import { nodeSigningKey } from './node-signing-key.ts';
import { opensslOrThrow, pemToDer } from './openssl.ts';

/**
 * A throw-away PKI made with the openssl CLI, independent of our code (its twin made with
 * our own library is tests/support/library-pki.ts):
 *
 *   root (EC P-256) ─┬─ issuing CA (EC P-256) ─┬─ signer EC P-256
 *                    │                         ├─ signer RSA 2048
 *                    │                         ├─ TSA (EKU timeStamping, critical)
 *                    │                         └─ OCSP responder (EKU OCSPSigning)
 *                    └─ CRL                    └─ CRL
 *
 * No certificate carries AIA or CRL distribution points, so pdfsig does not go online.
 */
export interface OpensslPki {
  readonly dir: string;
  readonly rootPem: string;
  readonly rootDer: Uint8Array;
  readonly caPem: string;
  readonly caDer: Uint8Array;
  readonly ecSigner: SigningIdentity;
  readonly rsaSigner: SigningIdentity;
  /** TSA certificate and key files, for `openssl ts -reply`. */
  readonly tsa: { readonly certPath: string; readonly keyPath: string; readonly der: Uint8Array; readonly keyPem: string };
  readonly ocsp: { readonly certPath: string; readonly keyPath: string; readonly der: Uint8Array };
  /** CA file (root + issuing CA, PEM) for `openssl … -CAfile`. */
  readonly caFile: string;
  /** CRLs of the root and the issuing CA, DER. */
  readonly crls: readonly Uint8Array[];
  /** A RevocationSource answering from these CRLs and from fresh `openssl ocsp` responses. */
  readonly revocation: RevocationSource;
  /** Removes the directory. */
  dispose(): void;
}

const EXTENSIONS = `
[ v3_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_ca ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_signer ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_tsa ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ocsp ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ crl_ext ]
authorityKeyIdentifier = keyid
`;

function caConfig(dir: string): string {
  return `
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 30
policy = policy_any
unique_subject = no
copy_extensions = none
crl_extensions = crl_ext
[ policy_any ]
commonName = supplied
organizationName = optional
countryName = optional
${EXTENSIONS}`;
}

function tsaConfig(dir: string): string {
  return `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/tsa-serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa-chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

const yesterday = (): string => new Date(Date.now() - 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

/** Builds the PKI in a fresh temporary directory (about a second). */
export function createOpensslPki(): OpensslPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-pades-pki-'));
  const sub = (name: string): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'index.txt'), '');
    fs.writeFileSync(path.join(d, 'serial'), name === 'root' ? '1000\n' : '2000\n');
    fs.writeFileSync(path.join(d, 'crlnumber'), '01\n');
    fs.writeFileSync(path.join(d, 'ca.cnf'), caConfig(d));
    return d;
  };
  const rootDir = sub('root');
  const caDir = sub('ca');
  const run = (args: string[]): Buffer => opensslOrThrow(args, dir);
  const ecKey = (name: string): void => void run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
  const rsaKey = (name: string): void => void run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}.key`]);
  const issue = (name: string, cn: string, issuerDir: string, ext: string, selfSign = false): void => {
    run(['req', '-new', '-utf8', '-key', `${name}.key`, '-subj', `/CN=${cn}/O=zhengyin tests/C=CN`, '-out', `${name}.csr`]);
    const issuer = path.basename(issuerDir);
    run([
      'ca', '-batch', '-notext', '-config', path.join(issuerDir, 'ca.cnf'), '-extensions', ext,
      '-startdate', yesterday(), '-days', '3650', '-in', `${name}.csr`, '-out', `${name}.pem`,
      ...(selfSign ? ['-selfsign', '-keyfile', `${name}.key`] : ['-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`]),
    ]);
  };

  ecKey('root');
  // The root's files live beside its database; issue() names them `${issuer}.pem`.
  issue('root', 'Zhengyin Test Root', rootDir, 'v3_root', true);
  ecKey('ca');
  issue('ca', 'Zhengyin Test Department CA', rootDir, 'v3_ca');
  ecKey('signer-ec');
  issue('signer-ec', '测试市场监督管理局 seal EC', caDir, 'v3_signer');
  rsaKey('signer-rsa');
  issue('signer-rsa', '测试不动产登记中心 seal RSA', caDir, 'v3_signer');
  ecKey('tsa');
  issue('tsa', 'Zhengyin Test TSA', caDir, 'v3_tsa');
  ecKey('ocsp');
  issue('ocsp', 'Zhengyin Test OCSP', caDir, 'v3_ocsp');

  const pem = (name: string): string => fs.readFileSync(path.join(dir, `${name}.pem`), 'latin1');
  fs.writeFileSync(path.join(dir, 'tsa-chain.pem'), pem('ca') + pem('root'));
  fs.writeFileSync(path.join(dir, 'tsa-serial'), '01\n');
  fs.writeFileSync(path.join(dir, 'tsa.cnf'), tsaConfig(dir));
  fs.writeFileSync(path.join(dir, 'cafile.pem'), pem('root') + pem('ca'));

  const crl = (issuer: string, issuerDir: string): Uint8Array => {
    run(['ca', '-gencrl', '-config', path.join(issuerDir, 'ca.cnf'), '-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`, '-out', `${issuer}.crl.pem`]);
    return pemToDer(fs.readFileSync(path.join(dir, `${issuer}.crl.pem`)));
  };
  const crls = [crl('root', rootDir), crl('ca', caDir)];

  const identity = (name: string): SigningIdentity => ({
    key: nodeSigningKey(fs.readFileSync(path.join(dir, `${name}.key`), 'latin1')),
    certificate: pemToDer(pem(name)),
    chain: [pemToDer(pem('ca')), pemToDer(pem('root'))],
  });

  const ocspFor = (certDer: Uint8Array): Uint8Array => {
    const id = Buffer.from(certDer).toString('hex').slice(-16);
    const certFile = `q-${id}.pem`;
    fs.writeFileSync(path.join(dir, certFile), `-----BEGIN CERTIFICATE-----\n${Buffer.from(certDer).toString('base64')}\n-----END CERTIFICATE-----\n`);
    run(['ocsp', '-issuer', 'ca.pem', '-cert', certFile, '-no_nonce', '-reqout', `q-${id}.req`]);
    run(['ocsp', '-index', path.join(caDir, 'index.txt'), '-CA', 'ca.pem', '-rsigner', 'ocsp.pem', '-rkey', 'ocsp.key', '-reqin', `q-${id}.req`, '-respout', `q-${id}.resp`, '-ndays', '7']);
    return fs.readFileSync(path.join(dir, `q-${id}.resp`));
  };
  const rootDer = pemToDer(pem('root'));
  const caDer = pemToDer(pem('ca'));
  const ocspDer = pemToDer(pem('ocsp'));

  const revocation: RevocationSource = {
    async collect(certificates): Promise<ValidationMaterial> {
      const isCa = (c: Uint8Array): boolean => Buffer.from(c).equals(Buffer.from(rootDer)) || Buffer.from(c).equals(Buffer.from(caDer));
      // End-entity certificates get an OCSP response from the CA's responder; the CA gets the root's CRL.
      const ocspResponses = certificates.filter((c) => !isCa(c) && !Buffer.from(c).equals(ocspDer)).map(ocspFor);
      return { certificates: [rootDer, caDer, ocspDer], crls, ocspResponses };
    },
  };

  return {
    dir,
    rootPem: pem('root'),
    rootDer,
    caPem: pem('ca'),
    caDer,
    ecSigner: identity('signer-ec'),
    rsaSigner: identity('signer-rsa'),
    tsa: { certPath: path.join(dir, 'tsa.pem'), keyPath: path.join(dir, 'tsa.key'), der: pemToDer(pem('tsa')), keyPem: fs.readFileSync(path.join(dir, 'tsa.key'), 'latin1') },
    ocsp: { certPath: path.join(dir, 'ocsp.pem'), keyPath: path.join(dir, 'ocsp.key'), der: ocspDer },
    caFile: path.join(dir, 'cafile.pem'),
    crls,
    revocation,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
