/**
 * The CPU pool (gateway/workers): licences render and sign, and PDFs verify, on worker
 * threads; the event loop stays free meanwhile, the bytes and reports are the ones the
 * same code makes in-thread, and errors come back with their class and stable code.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAndSignLicence } from '../../gateway/services/licences/render-and-sign.ts';
import { signLicence, type SealSigner, type SignLicenceOptions } from '../../gateway/services/licences/sign-licence.ts';
import { cpuPool, WorkerPool } from '../../gateway/workers/index.ts';
import {
  BUSINESS_LICENCE,
  CertificateRevokedError,
  drawSealPicture,
  LocalTimestampAuthority,
  newLicenceMetadata,
  SEED_EXAMPLES,
  TimestampResponder,
  type LicenceMetadata,
  type RevocationSource,
  type SigningIdentity,
  type TimestampAuthority,
} from '../../signer/index.ts';
import { InvalidVerifyOptionError, verifyPdf } from '../../verifier/index.ts';
import { createLibraryPki, type LibraryPki } from '../support/library-pki.ts';

/** Answers the same imprint with the same token: with an RSA key (deterministic signatures) the whole licence is then a function of its inputs. */
function memoTsa(inner: TimestampAuthority): TimestampAuthority {
  const tokens = new Map<string, Promise<Uint8Array>>();
  return {
    timestamp: (imprint, digest) => {
      const key = `${digest}:${Buffer.from(imprint).toString('hex')}`;
      if (!tokens.has(key)) tokens.set(key, inner.timestamp(imprint, digest));
      return tokens.get(key)!;
    },
  };
}

const NO_REVOCATION_DATA: RevocationSource = { collect: async () => ({ certificates: [], crls: [], ocspResponses: [] }) };

describe('the CPU pool', () => {
  let pki: LibraryPki;
  let identity: SigningIdentity;
  let picture: Uint8Array;
  let tsa: TimestampAuthority;
  let metadata: LicenceMetadata;
  const issuedAt = new Date('2026-03-01T08:00:00Z');

  const options = (id: SigningIdentity = identity): SignLicenceOptions => ({
    // SealService's signers: only their identity and picture are used.
    signers: [{ identity: id, picture }] as unknown as SealSigner[],
    locations: ['厦门市市场监督管理局'],
    reservedSeals: 0,
    statusUrl: 'https://zw.example.gov.cn/licences/abc',
    issuedAt,
    tsa,
    revocation: NO_REVOCATION_DATA,
  });

  beforeAll(async () => {
    pki = await createLibraryPki({ sealAlgorithm: 'RSA-2048' });
    identity = { key: pki.seal.key, certificate: pki.seal.der, chain: [pki.departmentCa.der, pki.root.der] };
    picture = (await drawSealPicture({ organisation: '厦门市市场监督管理局', title: '行政审批专用章' })).data;
    tsa = memoTsa(new LocalTimestampAuthority(new TimestampResponder({ certificate: pki.tsa.der, key: pki.tsa.key })));
    const ex = SEED_EXAMPLES.find((e) => e.typeCode === BUSINESS_LICENCE.code)!;
    metadata = newLicenceMetadata(BUSINESS_LICENCE, { face: ex.face, issuer: ex.issuer, issuerCode: ex.issuerCode, issueDate: '2026-03-01', serial: '2430599', number: ex.number });
    // The threads load the signer once, before anything is timed.
    await signLicence(BUSINESS_LICENCE, metadata, options());
  }, 120_000);

  afterAll(async () => {
    await cpuPool().close();
  });

  it('signs a licence to the very bytes the same code makes in this thread', async () => {
    const here = await renderAndSignLicence(BUSINESS_LICENCE, metadata, options());
    const there = await signLicence(BUSINESS_LICENCE, metadata, options());
    expect(there).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(there).equals(Buffer.from(here))).toBe(true);
  });

  it('verifies a PDF to the same report as in this thread', async () => {
    const pdf = await signLicence(BUSINESS_LICENCE, metadata, options());
    const at = new Date('2026-06-01T00:00:00Z');
    const here = await verifyPdf(pdf, { trust: [pki.root.der], at });
    const there = await cpuPool().run('verify', { document: pdf, trust: [pki.root.der], at }, {});
    expect(there.signatures.length).toBeGreaterThan(0);
    expect(there).toEqual(here);
  });

  it('keeps the event loop answering while ten licences sign', async () => {
    const lag = async (work: () => Promise<unknown>): Promise<{ maxLagMs: number; elapsedMs: number }> => {
      let maxLagMs = 0;
      let expected = performance.now() + 5;
      const timer = setInterval(() => {
        const now = performance.now();
        maxLagMs = Math.max(maxLagMs, now - expected);
        expected = now + 5;
      }, 5);
      const start = performance.now();
      await work();
      const elapsedMs = performance.now() - start;
      clearInterval(timer);
      return { maxLagMs, elapsedMs };
    };
    const ten = (sign: typeof signLicence) => () => Promise.all(Array.from({ length: 10 }, () => sign(BUSINESS_LICENCE, metadata, options())));
    const inThread = await lag(ten(renderAndSignLicence));
    const onPool = await lag(ten(signLicence));
    const oneSigning = inThread.elapsedMs / 10;
    // In this thread the timer waits for whole signings; on the pool it waits only for the
    // small parts that stay here (each signature, time-stamp and revocation lookup).
    expect(inThread.maxLagMs / oneSigning).toBeGreaterThan(0.5);
    expect(onPool.maxLagMs / oneSigning).toBeLessThan(0.5);
    expect(onPool.maxLagMs).toBeLessThan(inThread.maxLagMs / 3);
  });

  it('brings back an error thrown on this thread for the worker (a revoked key) with its class and code', async () => {
    const revoked = new CertificateRevokedError({ certificate: { subject: 'CN=seal', serial: '01' }, revokedAt: new Date('2026-02-01T00:00:00Z'), reason: 'keyCompromise' });
    const refusing: SigningIdentity = { ...identity, key: { algorithm: identity.key.algorithm, sign: async () => Promise.reject(revoked) } };
    const failure = await signLicence(BUSINESS_LICENCE, metadata, options(refusing)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CertificateRevokedError);
    expect(failure).toMatchObject({ code: 'CERTIFICATE_REVOKED', reason: 'keyCompromise', message: revoked.message });
    expect((failure as CertificateRevokedError).revokedAt).toEqual(revoked.revokedAt);
  });

  it('brings back an error thrown in the worker with its class and code', async () => {
    const here = await verifyPdf(new Uint8Array([0x25, 0x50]), { trust: [new Uint8Array([1, 2, 3])] }).catch((e: unknown) => e);
    const there = await cpuPool().run('verify', { document: new Uint8Array([0x25, 0x50]), trust: [new Uint8Array([1, 2, 3])] }, {}).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(InvalidVerifyOptionError);
    expect(there).toBeInstanceOf(InvalidVerifyOptionError);
    expect(there).toMatchObject({ code: (here as InvalidVerifyOptionError).code, field: (here as InvalidVerifyOptionError).field, message: (here as Error).message });
  });

  it('runs tasks in this thread when its size is 0 (one-shot CLI commands), to the same result', async () => {
    const pdf = await signLicence(BUSINESS_LICENCE, metadata, options());
    const at = new Date('2026-06-01T00:00:00Z');
    const inline = new WorkerPool({ size: 0 });

    expect(await inline.run('verify', { document: pdf, trust: [pki.root.der], at }, {})).toEqual(await verifyPdf(pdf, { trust: [pki.root.der], at }));
    expect(inline.stats().workers).toBe(0);
  });
});
