/**
 * One bounded reader for every file the CLI reads (issue 8): it stops at its cap whatever
 * `stat` says, so a device that never ends (/dev/zero) or a named pipe whose writer keeps
 * writing gets a typed error (INVALID_INPUT_TOO_LARGE, exit 65) quickly, in bounded memory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../gateway/cli/command.ts';
import { InputTooLargeError } from '../../gateway/cli/errors.ts';
import { readInputFile } from '../../gateway/cli/input.ts';
import { zhengyin } from '../support/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const writers: ChildProcess[] = [];
afterEach(() => {
  for (const w of writers.splice(0)) w.kill('SIGKILL');
});

/** A named pipe with a writer that never stops (`yes`), until its reader goes away. */
function endlessFifo(name: string): string {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', 'exec yes zhengyin > "$1"', 'sh', fifo], { stdio: 'ignore' });
  writer.on('error', () => undefined);
  writers.push(writer);
  return fifo;
}

const MiB = 1024 * 1024;

describe('readInputFile', () => {
  it.each([
    ['/dev/zero', () => '/dev/zero'],
    ['a named pipe whose writer keeps writing', () => endlessFifo('reader.fifo')],
  ])('stops at the cap on %s: a typed error, quickly, in bounded memory', (_name, source) => {
    const file = source();
    const rssBefore = process.resourceUsage().maxRSS; // KiB
    const started = Date.now();
    let error: unknown;
    try {
      readInputFile(file, { field: 'data', maxBytes: 8 * MiB });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT_TOO_LARGE', field: 'data', file, maxBytes: 8 * MiB });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(process.resourceUsage().maxRSS - rssBefore).toBeLessThan(64 * 1024);
  });

  it('reads a file up to the cap exactly, and refuses a regular file over it without reading it', () => {
    const file = path.join(dir, 'four.bin');
    fs.writeFileSync(file, Buffer.from([1, 2, 3, 4]));
    expect([...readInputFile(file, { field: 'in', maxBytes: 4 })]).toEqual([1, 2, 3, 4]);
    expect(() => readInputFile(file, { field: 'in', maxBytes: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT_TOO_LARGE', field: 'in' }));
    expect(() => readInputFile(path.join(dir, 'missing'), { field: 'in' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'in' }));
  });
});

describe('zhengyin with an endless input', () => {
  // The data is read before any database is needed; one that cannot be reached proves it.
  const env = { DATABASE_URL: 'postgres://nowhere.invalid/none', ZHENGYIN_DATA_DIR: path.join(dir, 'data') };
  const issue = (data: string) =>
    zhengyin(['issue', '--type', 'T', '--department', 'scjg', '--data', data, '--out', path.join(dir, 'out.pdf')], env);

  it.each([
    ['issue --data /dev/zero', () => issue('/dev/zero')],
    ['issue --data <named pipe>', () => issue(endlessFifo('issue.fifo'))],
    ['verify /dev/zero', () => zhengyin(['verify', '/dev/zero'], env)],
    ['verify <named pipe>', () => zhengyin(['verify', endlessFifo('verify.fifo')], env)],
  ])('%s: exit 65 with INVALID_INPUT_TOO_LARGE', async (_name, run) => {
    const started = Date.now();
    const r = await run();
    expect(r.code, r.stderr).toBe(ExitCode.badInput);
    expect(r.stderr).toMatch(/error \[INVALID_INPUT_TOO_LARGE\]: \S+: .* is over the limit of \d+ bytes/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
