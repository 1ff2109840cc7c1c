import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App } from '../../gateway/app.ts';
import { listen, requestListener, type HttpServer } from '../../gateway/http/server.ts';
import { readConfig, type RuntimeConfig } from '../../gateway/runtime/config.ts';
import type { Database } from '../../gateway/runtime/database.ts';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { createTestDatabase, dropTestDatabase } from './database.ts';
import { freePort } from './net.ts';

export interface TestApp {
  readonly app: App;
  readonly config: RuntimeConfig;
  /** The app's database, e.g. to insert rows a test needs (departments) or inspect tables. */
  readonly db: Database;
  /** Base URL of the running HTTP server; also the public URL written into certificates. */
  readonly url: URL;
}

/**
 * The whole composed service on a real, freshly migrated database and a real HTTP port,
 * in-process. Its data folder (key-encryption key, …) is a temporary folder.
 */
export function useTestApp(env: NodeJS.ProcessEnv = {}): TestApp {
  const state: { app?: App; config?: RuntimeConfig; db?: Database; server?: HttpServer; dbName?: string; dir?: string; close?: () => Promise<void> } = {};
  beforeAll(async () => {
    const port = await freePort();
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-app-'));
    const { db, url, name } = await createTestDatabase();
    state.dbName = name;
    state.db = db;
    // Tests call /graphql anonymously far faster than a person would; tests of that limit set their own rate.
    state.config = readConfig({ ZHENGYIN_DATA_DIR: state.dir, ZHENGYIN_PORT: String(port), DATABASE_URL: url, ZHENGYIN_GRAPHQL_ANON_RATE: '1000', ...env });
    const log = createLogger({ level: 'warn' });
    state.app = await createApp({ config: state.config, db, log });
    state.server = await listen(requestListener(state.app.router, log), '127.0.0.1', port);
    state.close = async () => {
      await state.server?.close();
      await state.app?.close();
      await db.close();
    };
  });
  afterAll(async () => {
    await state.close?.();
    if (state.dbName) await dropTestDatabase(state.dbName);
    if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useTestApp(): available only inside tests and hooks');
    return v;
  };
  return {
    get app() {
      return need(state.app);
    },
    get config() {
      return need(state.config);
    },
    get db() {
      return need(state.db);
    },
    get url() {
      return need(state.server).url;
    },
  };
}
