#!/usr/bin/env node
// `npm run build`, also run by npm ci's postinstall: compiles the service's TypeScript
// (the folders tsconfig.build.json includes) into dist/, copies the other files of those
// folders beside it (SQL, JSON, any asset a module reads next to itself), and writes
// dist/build.json last, which bin/dist.mjs reads to decide whether dist/ is current.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { distDir, root, stampFile } from './dist.mjs';

const startedAt = Date.now();
const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
const sources = config.include;

fs.rmSync(distDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  fs.rmSync(distDir, { recursive: true, force: true });
  console.error('build: tsc failed; bin/zhengyin.mjs runs the sources through tsx until a build succeeds');
  process.exit(result.status ?? 1);
}

let assets = 0;
const copyAssets = (rel) => {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const file = path.join(rel, entry.name);
    if (entry.isDirectory()) copyAssets(file);
    else if (!entry.name.endsWith('.ts')) {
      fs.mkdirSync(path.join(distDir, rel), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(distDir, file));
      assets++;
    }
  }
};
sources.forEach(copyAssets);

fs.writeFileSync(stampFile, `${JSON.stringify({ startedAt, sources }, null, 2)}\n`);
console.log(`build: dist/ from ${sources.join(', ')} (+${assets} other files) in ${Date.now() - startedAt} ms`);
