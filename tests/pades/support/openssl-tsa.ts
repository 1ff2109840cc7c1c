import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import * as pkijs from 'pkijs';
import { SignerError, type DigestAlgorithm, type TimestampAuthority } from '../../../signer/index.ts';
import type { OpensslPki } from '../../support/openssl-pki.ts';
import { opensslAsync } from '../../support/openssl.ts';

/** What a TSA that said no throws (the PKI engineer's TSA client has its own). */
export class TsaRefusedError extends SignerError {
  readonly code = 'TSA_REFUSED';
  readonly status: number;

  constructor(status: number, detail: string) {
    super(`time-stamp authority refused (PKIStatus ${status}): ${detail}`);
    this.status = status;
  }
}

/**
 * `openssl ts -query` + `openssl ts -reply` as a TimestampAuthority: an RFC 3161 TSA that
 * shares no code with ours. `policy` requests a TSA policy; one the TSA does not accept
 * makes it answer `rejection` (RFC 3161 §2.4.2, unacceptedPolicy).
 */
export function opensslTsa(pki: OpensslPki, options: { policy?: string } = {}): TimestampAuthority & { calls: number } {
  const tsa = {
    calls: 0,
    async timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
      tsa.calls++;
      const id = randomUUID();
      const query = `ts-${id}.tsq`;
      const reply = `ts-${id}.tsr`;
      const alg = digest.replace('-', '').toLowerCase();
      const q = await opensslAsync(['ts', '-query', '-digest', Buffer.from(imprint).toString('hex'), `-${alg}`, '-cert', ...(options.policy ? ['-tspolicy', options.policy] : []), '-out', query], undefined, pki.dir);
      if (q.status !== 0) throw new Error(q.stdout + q.stderr);
      const r = await opensslAsync(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', query, '-out', reply], undefined, pki.dir);
      if (r.status !== 0) throw new Error(r.stdout + r.stderr);
      const der = fs.readFileSync(path.join(pki.dir, reply));
      fs.rmSync(path.join(pki.dir, query));
      fs.rmSync(path.join(pki.dir, reply));
      const resp = pkijs.TimeStampResp.fromBER(der);
      const status = resp.status.status;
      if ((status !== 0 && status !== 1) || !resp.timeStampToken) {
        throw new TsaRefusedError(status, resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ') ?? '');
      }
      return new Uint8Array(resp.timeStampToken.toSchema().toBER(false));
    },
  };
  return tsa;
}
