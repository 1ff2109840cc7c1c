import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { opensslAsync } from '../../support/openssl.ts';

/** What openssl said: whether it exited 0, and stdout followed by stderr. */
export interface Judgement {
  readonly ok: boolean;
  readonly output: string;
}

async function judge(args: readonly string[], dir: string): Promise<Judgement> {
  const r = await opensslAsync(args, undefined, dir);
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** Writes `files` into `dir` under fresh names, runs openssl with them, and removes them. */
export async function withFiles<T>(dir: string, files: Record<string, Uint8Array>, fn: (paths: Record<string, string>) => Promise<T>): Promise<T> {
  const paths: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) {
    paths[k] = path.join(dir, `${k}-${randomUUID()}.der`);
    fs.writeFileSync(paths[k], v);
  }
  try {
    return await fn(paths);
  } finally {
    for (const p of Object.values(paths)) fs.rmSync(p, { force: true });
  }
}

/** `openssl ts -verify -data … -in token -token_in -CAfile …`: RFC 3161 token over `data`. */
export function verifyTimestampToken(dir: string, caFile: string, token: Uint8Array, data: Uint8Array): Promise<Judgement> {
  return withFiles(dir, { token, data }, (p) => judge(['ts', '-verify', '-data', p.data!, '-in', p.token!, '-token_in', '-CAfile', caFile], dir));
}

/** `openssl cms -verify` of a detached CMS over `content`, chain to `caFile`. */
export function verifyCms(dir: string, caFile: string, cms: Uint8Array, content: Uint8Array): Promise<Judgement> {
  return withFiles(dir, { cms, content }, (p) =>
    judge(['cms', '-verify', '-inform', 'DER', '-in', p.cms!, '-content', p.content!, '-binary', '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], dir),
  );
}

/** `openssl crl -CAfile` checks the CRL's signature. */
export function verifyCrl(dir: string, caFile: string, crl: Uint8Array): Promise<Judgement> {
  return withFiles(dir, { crl }, (p) => judge(['crl', '-inform', 'DER', '-in', p.crl!, '-CAfile', caFile, '-noout'], dir));
}

/** `openssl ocsp -respin` checks the response's signature and prints its statuses. */
export function verifyOcsp(dir: string, caFile: string, response: Uint8Array): Promise<Judgement> {
  return withFiles(dir, { response }, (p) => judge(['ocsp', '-respin', p.response!, '-CAfile', caFile, '-resp_text'], dir));
}
