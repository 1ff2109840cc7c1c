import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

// The openssl CLI: an independent judge of certificates, CRLs, OCSP, time-stamps and CMS,
// and the maker of the openssl test PKI. Tests that need it skip through
// `skipWithout(…, 'openssl')` (tests/support/tools.ts).

export interface OpensslResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes, for commands that write DER to stdout. */
  readonly bytes: Buffer;
}

/** Runs `openssl …args` in `cwd`; never throws for a non-zero exit (tests assert on `status`). */
export function openssl(args: readonly string[], input?: Uint8Array, cwd?: string): OpensslResult {
  const r = spawnSync('openssl', args, { input, cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), bytes: r.stdout };
}

/** Runs `openssl …args` to build a fixture: its stdout, or an Error carrying openssl's stderr. */
export function opensslOrThrow(args: readonly string[], cwd?: string, input?: Uint8Array): Buffer {
  const r = openssl(args, input, cwd);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.bytes;
}

/** A serial number as openssl prints it in CRLs: upper-case hex of whole octets ('7fb…' → '07FB…'). */
export const opensslSerial = (hex: string): string => (hex.length % 2 ? `0${hex}` : hex).toUpperCase();

/**
 * Runs `openssl …args` without blocking the event loop: needed when openssl talks to a
 * server in this same process (`openssl ocsp -url`), which spawnSync would starve.
 */
export function opensslAsync(args: readonly string[], input?: Uint8Array, cwd?: string): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      const bytes = Buffer.concat(out);
      resolve({ status: status ?? -1, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes });
    });
    child.stdin.end(input);
  });
}

/** A temporary folder for files openssl reads, removed after the file's tests. */
export function useScratchDir(): { file(name: string, content?: Uint8Array | string): string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-openssl-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    file(name, content) {
      const p = path.join(dir, name);
      if (content !== undefined) fs.writeFileSync(p, content);
      return p;
    },
  };
}

/** DER bytes of the first PEM block in `pem` (RFC 7468), read without our code. */
export function pemToDer(pem: string | Buffer): Buffer {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem.toString());
  if (!m) throw new Error('no PEM block');
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}
