#!/usr/bin/env node
// `npm run build`, also run by npm ci's postinstall: compiles the service's TypeScript
// (the folders tsconfig.build.json includes) into dist/, copies the other files of those
// folders beside it (SQL, JSON, any asset a module reads next to itself), and writes
// dist/build.json, which bin/dist.mjs reads to decide whether dist/ is current.
// `--if-stale`: only when bin/dist.mjs would not run dist/ (npm test uses it).
// Type errors do not stop the build (`noCheck`): `npm run typecheck` is where they count.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chooseCode, distDir, root, stampFile } from './dist.mjs';

if (process.argv.includes('--if-stale') && chooseCode({}).run === 'dist') process.exit(0);

const startedAt = Date.now();
const { include: sources } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
// Built beside dist/ and swapped in at the end, so that a command started meanwhile finds
// either the old build or the new one, never half of one.
const next = path.join(root, `.dist-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  console.error('build: tsc failed; bin/zhengyin.mjs runs the sources through tsx until a build succeeds');
  process.exit(result.status ?? 1);
}

let assets = 0;
const copyAssets = (rel) => {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const file = path.join(rel, entry.name);
    if (entry.isDirectory()) copyAssets(file);
    else if (!entry.name.endsWith('.ts')) {
      fs.mkdirSync(path.join(next, rel), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(next, file));
      assets++;
    }
  }
};
sources.forEach(copyAssets);
fs.writeFileSync(path.join(next, path.relative(distDir, stampFile)), `${JSON.stringify({ startedAt, sources }, null, 2)}\n`);

fs.rmSync(distDir, { recursive: true, force: true });
fs.renameSync(next, distDir);
console.log(`build: dist/ from ${sources.join(', ')} (+${assets} other files) in ${Date.now() - startedAt} ms`);
