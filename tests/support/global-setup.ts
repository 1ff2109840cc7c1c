import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../../gateway/runtime/embedded-postgres.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { applyMigrations } from '../../gateway/runtime/migrate.ts';
import { freePort } from './net.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string (with the superuser's credentials) of the test cluster's `postgres` database: for CREATE/DROP DATABASE. */
    pgAdminUrl: string;
    /** The same for the application role (not a superuser), which owns the template and the test databases. */
    pgAppUrl: string;
    /** A migrated database that test files clone with CREATE DATABASE … TEMPLATE. */
    pgTemplate: string;
  }
}

let cluster: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

/** One real embedded PostgreSQL for the whole run; every test file gets its own database cloned from a migrated template. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-test-'));
  fs.chmodSync(dataDir, 0o755);
  cluster = await openEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    role: 'test',
    database: 'zy_template',
    log: createLogger({ level: 'warn' }),
  });
  const template = new pg.Client({ connectionString: cluster.url });
  await template.connect();
  await applyMigrations(template); // as the application role, as the service does
  await template.end();
  const admin = new URL(cluster.adminUrl);
  admin.pathname = '/postgres';
  project.provide('pgAdminUrl', admin.toString());
  const app = new URL(cluster.url);
  app.pathname = '/postgres';
  project.provide('pgAppUrl', app.toString());
  project.provide('pgTemplate', 'zy_template');
}

export async function teardown(): Promise<void> {
  await cluster?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
