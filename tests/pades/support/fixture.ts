import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import type { TimestampAuthority } from '../../../signer/index.ts';
import { LocalTsa } from './local-tsa.ts';
import { hasOpenssl } from './openssl.ts';
import { opensslTsa } from './openssl-tsa.ts';
import { hasPdfsig, nssDatabase } from './pdfsig.ts';
import { createTestPki, type TestPki } from './test-pki.ts';

const has = (cmd: string): boolean => {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

/** Which of the independent judges are missing; tests that need one skip loudly. */
export const missing = {
  openssl: hasOpenssl ? undefined : 'openssl CLI not installed (Debian: openssl)',
  pdfsig: hasPdfsig ? undefined : 'pdfsig/certutil not installed (Debian: poppler-utils libnss3-tools)',
  qpdf: has('qpdf') ? undefined : 'qpdf not installed (Debian: qpdf)',
  pdftoppm: has('pdftoppm') ? undefined : 'pdftoppm not installed (Debian: poppler-utils)',
};

/** Prints why a suite is skipped, so a skip is never silent. */
export function skipReason(...reasons: (string | undefined)[]): string | undefined {
  const r = reasons.filter(Boolean).join('; ');
  if (r) console.warn(`SKIPPED (tests/pades): ${r}`);
  return r || undefined;
}

export interface PadesFixture {
  pki: TestPki;
  /** NSS database directory trusting the test root (for pdfsig), when pdfsig is installed. */
  nssDir: string;
  /** openssl's TSA: independent of our code, slow (two processes a token). */
  tsa: TimestampAuthority & { calls: number };
  /** The in-process TSA of bench/ and fast tests. */
  localTsa: TimestampAuthority;
}

/** A test PKI (openssl), its TSAs and an NSS trust store, made before and removed after the file's tests. */
export function usePadesFixture(): PadesFixture {
  const f = {} as PadesFixture;
  let disposeNss = (): void => {};
  beforeAll(() => {
    if (!hasOpenssl) return;
    f.pki = createTestPki();
    f.tsa = opensslTsa(f.pki);
    f.localTsa = new LocalTsa({ certificate: f.pki.tsa.der, key: f.pki.tsa.keyPem });
    if (hasPdfsig) {
      const nss = nssDatabase(f.pki.rootPem);
      f.nssDir = nss.dir;
      disposeNss = nss.dispose;
    }
  });
  afterAll(() => {
    f.pki?.dispose();
    disposeNss();
  });
  return f;
}
