/**
 * A CLI that starts fast (issue #10, Deliver 4): `bin/zhengyin.mjs` runs the compiled
 * dist/ when it is current and the sources through tsx otherwise, and a command loads only
 * what it uses: `help` and `<command> --help` no package and none of the service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCode } from '../../bin/dist.mjs';
import { progressLine } from '../../gateway/cli/progress.ts';
import { projectRoot } from '../../gateway/runtime/config.ts';
import { zhengyin } from '../support/cli.ts';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-startup-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('which code bin/zhengyin.mjs runs', () => {
  const hourAgo = Date.now() - 3_600_000;
  const project = (): string => {
    const p = fs.mkdtempSync(path.join(dir, 'project-'));
    fs.mkdirSync(path.join(p, 'src', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(p, 'dist'));
    for (const f of ['src/a.ts', 'src/sub/b.ts']) fs.writeFileSync(path.join(p, f), '');
    for (const f of ['src/a.ts', 'src/sub/b.ts', 'src/sub', 'src']) fs.utimesSync(path.join(p, f), new Date(hourAgo), new Date(hourAgo));
    fs.writeFileSync(path.join(p, 'dist', 'build.json'), JSON.stringify({ startedAt: hourAgo + 1000, sources: ['src'] }));
    return p;
  };

  it('dist/ when no source changed since its build', () => {
    expect(chooseCode({}, project())).toEqual({ run: 'dist', why: 'dist/ is up to date' });
  });

  it.each([
    ['an edited file', (p: string) => fs.utimesSync(path.join(p, 'src/sub/b.ts'), new Date(), new Date()), /src\/sub\/b\.ts changed/],
    ['a new file', (p: string) => fs.writeFileSync(path.join(p, 'src/sub/c.ts'), ''), /src\/sub changed/],
    ['a deleted file', (p: string) => fs.rmSync(path.join(p, 'src/a.ts')), /src changed/],
    ['no build', (p: string) => fs.rmSync(path.join(p, 'dist/build.json')), /not built/],
  ] as const)('the sources through tsx after %s', (_name, change, why) => {
    const p = project();
    change(p);
    const code = chooseCode({}, p);
    expect(code.run).toBe('tsx');
    expect(code.why).toMatch(why);
  });

  it('the sources through tsx with ZHENGYIN_DEV=1, whatever dist/ is', () => {
    expect(chooseCode({ ZHENGYIN_DEV: '1' }, project()).run).toBe('tsx');
  });
});

describe('what a command loads', () => {
  /** Runs `zhengyin …args` with a module hook that lists every module our own code imports. */
  async function loaded(args: readonly string[], exitCode = 0): Promise<string[]> {
    const trace = path.join(dir, `trace-${args.join('-').replace(/\W+/g, '-')}.txt`);
    const hooks = path.join(dir, 'hooks.mjs');
    const register = path.join(dir, 'register.mjs');
    fs.writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(trace)}, (context.parentURL ?? '') + ' ' + r.url + '\\n');
  return r;
}\n`);
    fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = await zhengyin(args, { NODE_OPTIONS: `--import=${pathToFileURL(register).href}`, DATABASE_URL: 'postgres://nowhere.invalid/none' });
    expect(r.code, r.stderr).toBe(exitCode);
    const root = pathToFileURL(projectRoot).href + '/';
    const ours = (u: string): boolean => u.startsWith(root) && !u.includes('/node_modules/');
    return [...new Set(fs.readFileSync(trace, 'utf8').trimEnd().split('\n'))]
      .map((line) => line.split(' ') as [string, string])
      .filter(([parent, u]) => ours(parent) && u.startsWith(root))
      .map(([, u]) => u)
      .map((u) => u.slice(root.length).replace(/^dist\//, '').replace(/\.(js|ts)$/, ''));
  }
  /** The packages among `modules`; tsx is how bin runs the sources when dist/ is stale. */
  const packages = (modules: readonly string[]): string[] =>
    [...new Set(modules.filter((m) => m.includes('node_modules/')).map((m) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(m)![1]!))].filter((p) => p !== 'tsx');
  /** Our modules that need the service: the signer, verifier, ledger, services, app, HTTP and the database. */
  const SERVICE = /^(signer|verifier|ledger)\/|^gateway\/(app|http\/|runtime\/(database|embedded-postgres|migrate)|services\/(?!actor$))/;

  it.each(['help', 'verify --help', 'issue --help', 'seal apply --help', 'start --help'])('%s: no package, nothing of the service', async (command) => {
    const modules = await loaded(command.split(' '));
    expect(modules).toContain('gateway/cli/main');
    expect(packages(modules)).toEqual([]);
    expect(modules.filter((m) => SERVICE.test(m))).toEqual([]);
  });

  it('verify: the verifier and its packages (ASN.1; zip, XML and SM2 for OFD), no PDF writer, database or ledger', async () => {
    fs.writeFileSync(path.join(dir, 'x.pdf'), 'not a pdf');
    const modules = await loaded(['verify', path.join(dir, 'x.pdf')], 4);
    expect(modules).toContain('verifier/index');
    expect(packages(modules).filter((p) => !['pkijs', 'asn1js', 'fflate', 'fast-xml-parser', 'sm-crypto-v2'].includes(p))).toEqual([]);
    expect(modules.filter((m) => /^(signer|ledger)\/|^gateway\/(app|services|runtime\/database)/.test(m))).toEqual([]);
  });
});

describe('the progress line', () => {
  const fakeStream = (isTTY: boolean) => {
    let text = '';
    return { stream: { isTTY, columns: 40, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream, text: () => text };
  };

  it('on a terminal, for more than a few files: rewritten in place, cut to the width, erased at the end', () => {
    const t = fakeStream(true);
    const p = progressLine(t.stream, 10);
    p.update(1, 'a.pdf');
    p.update(2, `${'x'.repeat(60)}/b.pdf`);
    p.end();
    const [, first, second, end] = t.text().split('\r');
    expect(first).toBe('[1/10] a.pdf\x1b[K');
    expect(second).toMatch(/^\[2\/10\] …x+\/b\.pdf\x1b\[K$/);
    expect(second!.length - 3).toBeLessThanOrEqual(39);
    expect(end).toBe('\x1b[K');
  });

  it.each([['not a terminal', false, 10], ['a terminal, but only a few files', true, 4]] as const)('nothing on %s', (_name, tty, total) => {
    const t = fakeStream(tty);
    const p = progressLine(t.stream, total);
    p.update(1, 'a.pdf');
    p.end();
    expect(t.text()).toBe('');
  });
});
