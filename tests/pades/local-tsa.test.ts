import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { skipWithout } from '../support/tools.ts';
import { usePadesFixture } from './support/fixture.ts';
import { verifyTimestampToken } from './support/openssl-judge.ts';

const f = usePadesFixture();

// The in-process TSA stands in for the PKI engineer's in the benchmark; openssl vouches for it.
describe.skipIf(skipWithout('tests/pades/local-tsa', 'openssl'))('LocalTsa (bench and fast tests)', () => {
  it('issues tokens that openssl ts -verify accepts, and only for the data they cover', async () => {
    const data = Buffer.from('证印 zhengyin');
    const token = await f.localTsa.timestamp(createHash('sha256').update(data).digest(), 'SHA-256');
    expect((await verifyTimestampToken(f.pki.dir, f.pki.caFile, token, data)).output).toContain('Verification: OK');
    expect((await verifyTimestampToken(f.pki.dir, f.pki.caFile, token, Buffer.from('other'))).output).not.toContain('Verification: OK');
  });
});
