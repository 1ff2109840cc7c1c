import { afterAll, beforeAll } from 'vitest';
import type { TimestampAuthority } from '../../../signer/index.ts';
import { createOpensslPki, type OpensslPki } from '../../support/openssl-pki.ts';
import { nssDatabase, PDFSIG } from '../../support/pdfsig.ts';
import { hasTool, hasTools } from '../../support/tools.ts';
import { LocalTsa } from './local-tsa.ts';
import { opensslTsa } from './openssl-tsa.ts';

export interface PadesFixture {
  pki: OpensslPki;
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
    if (!hasTool('openssl')) return;
    f.pki = createOpensslPki();
    f.tsa = opensslTsa(f.pki);
    f.localTsa = new LocalTsa({ certificate: f.pki.tsa.der, key: f.pki.tsa.keyPem });
    if (hasTools(...PDFSIG)) {
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
