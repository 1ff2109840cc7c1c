/**
 * The output file of a command that commits (issue #9): claimed before anything is stored,
 * and a write that fails afterwards names what was committed instead of a stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputAfterCommitError } from '../../gateway/cli/errors.ts';
import { claimOutputFile } from '../../gateway/cli/output.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-output-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('claimOutputFile', () => {
  it.each([
    ['a missing folder', path.join(dir, 'missing', 'o.pdf'), /ENOENT/],
    ['a folder itself', dir, /it is a folder/],
  ])('refuses %s up front with a typed error', (_name, file, message) => {
    expect(() => claimOutputFile(file)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'out', message: expect.stringMatching(message) }));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes all of the bytes at once and leaves no temporary file; discard leaves nothing', () => {
    const kept = claimOutputFile(path.join(dir, 'kept.pdf'));
    const dropped = claimOutputFile(path.join(dir, 'dropped.pdf'));

    kept.write(new Uint8Array([1, 2, 3]));
    dropped.discard();

    expect([...fs.readFileSync(path.join(dir, 'kept.pdf'))]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir).sort()).toEqual(['kept.pdf']);
  });

  it('throws on a write that fails after the claim, for the command to report what it committed', () => {
    const sub = fs.mkdirSync(path.join(dir, 'gone'), { recursive: true })!;
    const claimed = claimOutputFile(path.join(sub, 'o.pdf'));
    fs.rmSync(sub, { recursive: true });

    let failure: unknown;
    try {
      claimed.write(new Uint8Array([1]));
    } catch (cause) {
      failure = new OutputAfterCommitError({ identifier: 'LICENCE_ID', file: path.join(sub, 'o.pdf'), cause });
    }

    expect(failure).toMatchObject({ code: 'OUTPUT_AFTER_COMMIT', identifier: 'LICENCE_ID' });
    expect((failure as Error).message).toContain('zhengyin licence pdf LICENCE_ID --out FILE');
    expect((failure as Error).message).toContain('ENOENT');
    expect((failure as Error).message).not.toMatch(/\n\s+at /);
  });
});
