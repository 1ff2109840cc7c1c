// Which code `bin/zhengyin.mjs` runs: the JavaScript that `npm run build` compiled into
// dist/ (npm ci's postinstall runs it), or the TypeScript sources through tsx. Plain
// JavaScript, so that deciding costs no transpiler.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(root, 'dist');
/** Written last by the build: when it started and which folders it compiled. */
export const stampFile = path.join(distDir, 'build.json');

/**
 * 'dist' when the compiled code is there and no file or folder under the compiled source
 * folders changed since its build started (an edit, a new or deleted file, a checkout);
 * else 'tsx'. ZHENGYIN_DEV=1 always means 'tsx'. The check stats the ~300 source files:
 * a few milliseconds, far less than transpiling them.
 *
 * @returns {{ run: 'dist' | 'tsx', why: string }}
 */
export function chooseCode(env = process.env, dir = root) {
  if (env.ZHENGYIN_DEV === '1') return { run: 'tsx', why: 'ZHENGYIN_DEV=1' };
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'build.json'), 'utf8'));
  } catch {
    return { run: 'tsx', why: 'dist/ is not built (npm run build)' };
  }
  const newer = stamp.sources.map((s) => newerThan(path.join(dir, s), stamp.startedAt)).find(Boolean);
  return newer
    ? { run: 'tsx', why: `${path.relative(dir, newer)} changed after the last build (npm run build)` }
    : { run: 'dist', why: 'dist/ is up to date' };
}

/** The first file or folder under `p` (or `p` itself) modified after `time`, if any. */
function newerThan(p, time) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return p;
  if (stat.mtimeMs > time) return p;
  if (!stat.isDirectory()) return undefined;
  for (const name of fs.readdirSync(p)) {
    const found = newerThan(path.join(p, name), time);
    if (found) return found;
  }
  return undefined;
}
