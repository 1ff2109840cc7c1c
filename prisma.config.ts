import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's CLI looks for a native schema engine before every command, even `generate`,
// which needs none. No download host is reachable offline, so point it at a file that
// exists; commands that really need the engine (migrate, db push) are not used: the
// service applies prisma/migrations itself (gateway/runtime/migrate.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('prisma.config.ts');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/zhengyin' },
});
