#!/usr/bin/env node
// The `zhengyin` command. The sources are TypeScript run through tsx, so that the
// service, the CLI and the tests all run the same files without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../gateway/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
