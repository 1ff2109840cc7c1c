import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, statusOf } from '../support/raw-http.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'guarded-listener.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function startListener(): Promise<{ child: ChildProcess; url: URL; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      const m = /ready (\S+)/.exec(c.toString());
      if (m) resolve(new URL(m[1]!));
    });
    void exited.then((code) => reject(new Error(`listener exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: zy\r\nConnection: close\r\n\r\n`;

describe('a listener without the embedded ledger (issue 9)', () => {
  it('answers //[ with 400 and keeps serving', async () => {
    const { url } = await startListener();

    expect(statusOf(await rawRequest(url, get('//[')))).toBe(400);
    expect(statusOf(await rawRequest(url, get('/ok')))).toBe(200);
  });

  it('logs a stray rejection on one line without its stack, and survives it', async () => {
    const { url, stderr } = await startListener();

    expect(statusOf(await rawRequest(url, get('/stray')))).toBe(200);
    expect(statusOf(await rawRequest(url, get('/stray')))).toBe(200);
    expect(statusOf(await rawRequest(url, get('/ok')))).toBe(200);

    const lines = stderr().split('\n').filter((l) => l.includes('nobody waiting'));
    expect(lines).toHaveLength(1); // the second one is counted, not logged
    expect(lines[0]).toContain('stray rejection');
    expect(stderr()).not.toContain('source.ts');
  });

  it('counts aborted uploads in one warning instead of an ERROR line each', async () => {
    const { url, stderr } = await startListener();
    const aborted = `POST /upload HTTP/1.1\r\nHost: zy\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`;

    for (let i = 0; i < 20; i++) await rawRequest(url, aborted, 50);
    expect(statusOf(await rawRequest(url, get('/ok')))).toBe(200);

    expect(stderr()).not.toContain('ERROR');
    expect(stderr().split('\n').filter((l) => l.includes('closed its connection'))).toHaveLength(1);
  });

  it('stops with status 70 after an uncaught exception, saying why on one line', async () => {
    const { url, stderr, exited } = await startListener();

    await rawRequest(url, get('/crash'));

    expect(await exited).toBe(70);
    expect(stderr()).toMatch(/^ERROR: uncaught exception; stopping the service error=Error: crash$/m);
  });
});
