#!/usr/bin/env node
// The `zhengyin` command. Runs the compiled JavaScript in dist/ when it is up to date with
// the sources, else the TypeScript sources through tsx (see bin/dist.mjs for the rule).
import { chooseCode } from './dist.mjs';

const code = chooseCode();
let entry = '../dist/gateway/cli/main.js';
if (code.run === 'tsx') {
  if (process.env.ZHENGYIN_DEV !== '1' && process.stderr.isTTY) process.stderr.write(`zhengyin: running the sources through tsx: ${code.why}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../gateway/cli/main.ts';
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
