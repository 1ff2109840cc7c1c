import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../runtime/config.ts';
import { printedSchema } from './schema.ts';

/** Where the printed schema is committed; tests/graphql/schema.test.ts fails when it drifts. */
export const SCHEMA_FILE = path.join(projectRoot, 'gateway', 'schema.graphql');

// `npm run schema`: rewrites gateway/schema.graphql from the code-first schema.
if (import.meta.url === `file://${process.argv[1]}`) {
  fs.writeFileSync(SCHEMA_FILE, printedSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
