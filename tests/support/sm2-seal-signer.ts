import { randomBytes } from 'node:crypto';
import {
  drawSealPicture,
  issueCertificate,
  KeyEncryptionKey,
  KeyStore,
  MemoryKeyStorage,
  newSealInfo,
  signSeal,
  type CertificateProfile,
  type SealSigner,
  type SigningKey,
} from '../../signer/index.ts';

/**
 * An SM2 PKI and seal made by signer/ without a database, for tests of code that signs with
 * an SM2 seal (the OFD signer) or judges what signer/ made:
 *
 *   root (SM2) ── department CA ── seal certificate (the signer)
 *        └─ seal maker (制章者) ── signs the SES_Seal binding the seal certificate
 */
export interface Sm2Entity {
  readonly certificate: Uint8Array;
  readonly key: SigningKey;
}

export interface Sm2TestPki {
  readonly keys: KeyStore;
  readonly root: Sm2Entity;
  readonly ca: Sm2Entity;
  readonly seal: Sm2Entity;
  readonly maker: Sm2Entity;
  /** Issues another SM2 certificate for a new key in the same key store. */
  issue(profile: CertificateProfile, commonName: string, issuer?: Sm2Entity, validity?: { notBefore: Date; notAfter: Date }): Promise<Sm2Entity>;
}

const DAY = 86_400_000;
const URLS = { crl: 'http://pki.example/crl/sm2.crl', ocsp: 'http://pki.example/ocsp', caIssuers: 'http://pki.example/ca/sm2.crt' };

/** A fresh SM2 PKI valid from yesterday for a year; keys sealed in memory under a random KEK. */
export async function newSm2TestPki(): Promise<Sm2TestPki> {
  const keys = new KeyStore({ storage: new MemoryKeyStorage(), kek: KeyEncryptionKey.fromBytes(randomBytes(32)) });
  const now = Date.now();
  const defaultValidity = { notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) };
  async function issue(profile: CertificateProfile, commonName: string, issuer?: Sm2Entity, validity = defaultValidity): Promise<Sm2Entity> {
    const handle = await keys.generate('SM2');
    const key = await keys.signingKey(handle.id);
    const certificate = await issueCertificate({
      profile,
      subject: { commonName, organization: '证印 SM2 测试' },
      publicKey: handle.publicKey,
      ...validity,
      issuer: issuer ? { certificate: issuer.certificate, key: issuer.key } : { key },
      ...(issuer && profile !== 'ocsp-responder' ? { urls: URLS } : {}),
    });
    return { certificate, key };
  }
  const root = await issue('root-ca', 'SM2 根CA');
  const ca = await issue('issuing-ca', '市场监管局 SM2 签章CA', root);
  const seal = await issue('seal', '市场监管局电子印章', ca);
  const maker = await issue('seal', '电子印章制作 SM2', root);
  return { keys, root, ca, seal, maker, issue };
}

/**
 * What an OFD signer takes for an SM2 seal (the gateway's `SealService.sm2SealSigner` gives
 * the same shape): a V4 SES_Seal made by the PKI's maker binding its seal certificate, and
 * `sign` over the seal key.
 */
export async function newSm2SealSigner(pki: Sm2TestPki, esID = '91350200000000000X-001'): Promise<SealSigner> {
  const now = new Date();
  const picture = await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' });
  const sesSeal = await signSeal(
    newSealInfo({ esID, name: '厦门市市场监督管理局行政审批专用章', createDate: now, validStart: now, validEnd: new Date(now.getTime() + 30 * DAY), picture, certificates: [pki.seal.certificate] }),
    pki.maker,
  );
  return { sesSeal, certificate: pki.seal.certificate, sign: (tbs) => pki.seal.key.sign(tbs, 'SM3') };
}
