import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { opensslAsync } from './openssl.ts';

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
export function verifyTimestampToken(dir: string, caFile: string, token: Uint8Array, data: Uint8Array): Promise<{ ok: boolean; output: string }> {
  return withFiles(dir, { token, data }, (p) => opensslAsync(['ts', '-verify', '-data', p.data!, '-in', p.token!, '-token_in', '-CAfile', caFile], dir));
}

/** `openssl cms -verify` of a detached CMS over `content`, chain to `caFile`. */
export function verifyCms(dir: string, caFile: string, cms: Uint8Array, content: Uint8Array): Promise<{ ok: boolean; output: string }> {
  return withFiles(dir, { cms, content }, (p) =>
    opensslAsync(['cms', '-verify', '-inform', 'DER', '-in', p.cms!, '-content', p.content!, '-binary', '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], dir),
  );
}

/** `openssl crl -CAfile` checks the CRL's signature. */
export function verifyCrl(dir: string, caFile: string, crl: Uint8Array): Promise<{ ok: boolean; output: string }> {
  return withFiles(dir, { crl }, (p) => opensslAsync(['crl', '-inform', 'DER', '-in', p.crl!, '-CAfile', caFile, '-noout'], dir));
}

/** `openssl ocsp -respin` checks the response's signature and prints its statuses. */
export function verifyOcsp(dir: string, caFile: string, response: Uint8Array): Promise<{ ok: boolean; output: string }> {
  return withFiles(dir, { response }, (p) => opensslAsync(['ocsp', '-respin', p.response!, '-CAfile', caFile, '-resp_text'], dir));
}
