import {
  generateKeyPair,
  issueCertificate,
  NodeSigningKey,
  parseCertificate,
  usccIdentifier,
  type CertificateInfo,
  type CertificateProfile,
  type KeyAlgorithm,
} from '../../signer/index.ts';

/** One certificate of the test PKI with its key. */
export interface LibraryEntity {
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
  readonly key: NodeSigningKey;
}

export interface LibraryPki {
  readonly root: LibraryEntity;
  readonly departmentCa: LibraryEntity;
  readonly seal: LibraryEntity;
  readonly tsa: LibraryEntity;
  /** Delegated OCSP responder of the department CA. */
  readonly ocsp: LibraryEntity;
  /** Issues one more certificate under `issuer`. */
  issue(p: { profile: CertificateProfile; commonName: string; issuer: LibraryEntity; algorithm?: KeyAlgorithm; notBefore?: Date; notAfter?: Date }): Promise<LibraryEntity>;
}

export const T0 = new Date('2026-01-01T00:00:00Z');
const YEAR = 365 * 24 * 3600 * 1000;
export const TEST_URLS = { crl: 'http://pki.test/crl/ca.crl', ocsp: 'http://pki.test/ocsp', caIssuers: 'http://pki.test/ca/ca.crt' };

/**
 * A PKI made with our own library alone (signer/pki), no database — its twin made with
 * the openssl CLI, independent of our code, is tests/support/openssl-pki.ts: root → 市场监督管理局 CA → seal,
 * root → TSA, department CA → OCSP responder. Valid from a year before now to ten years on.
 */
export async function createLibraryPki(p: { sealAlgorithm?: KeyAlgorithm } = {}): Promise<LibraryPki> {
  const notBefore = new Date(Date.now() - YEAR);
  const notAfter = new Date(Date.now() + 10 * YEAR);
  async function entity(profile: CertificateProfile, subject: Parameters<typeof issueCertificate>[0]['subject'], issuer: LibraryEntity | undefined, algorithm: KeyAlgorithm = 'EC-P256', validity = { notBefore, notAfter }): Promise<LibraryEntity> {
    const pair = await generateKeyPair(algorithm);
    const key = new NodeSigningKey(pair.privateKey);
    const der = await issueCertificate({
      profile,
      subject,
      publicKey: pair.publicKey,
      ...validity,
      issuer: issuer ? { certificate: issuer.info, key: issuer.key } : { key },
      ...(profile === 'root-ca' || profile === 'ocsp-responder' ? {} : { urls: TEST_URLS }),
    });
    return { der, info: parseCertificate(der), key };
  }
  const root = await entity('root-ca', { commonName: '测试根CA', organization: '证印测试' }, undefined);
  const department = { organization: '市场监督管理局', organizationIdentifier: usccIdentifier('11100000000013338W') };
  const departmentCa = await entity('issuing-ca', { ...department, commonName: '市场监督管理局签章CA' }, root);
  const seal = await entity('seal', { ...department, commonName: '市场监督管理局电子印章' }, departmentCa, p.sealAlgorithm);
  const tsa = await entity('tsa', { commonName: '测试时间戳服务', organization: '证印测试' }, root);
  const ocsp = await entity('ocsp-responder', { commonName: 'OCSP 市场监督管理局签章CA', organization: '证印测试' }, departmentCa);
  return {
    root,
    departmentCa,
    seal,
    tsa,
    ocsp,
    issue: (q) => entity(q.profile, { commonName: q.commonName }, q.issuer, q.algorithm, { notBefore: q.notBefore ?? notBefore, notAfter: q.notAfter ?? notAfter }),
  };
}
