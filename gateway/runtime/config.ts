import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../../common/index.ts';

/** The folder that holds package.json: default anchor for the data folder. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Everything an operator can set, read once from the environment.
 *
 * | variable | default |
 * | --- | --- |
 * | ZHENGYIN_DATA_DIR | `<project>/.data` |
 * | ZHENGYIN_HOST, ZHENGYIN_PORT (or PORT) | 127.0.0.1, 8080 |
 * | ZHENGYIN_PUBLIC_URL | `http://<host>:<port>`; every URL in a certificate or QR code derives from it |
 * | DATABASE_URL | unset: the embedded PostgreSQL |
 * | ZHENGYIN_PG_PORT | 54329, the embedded PostgreSQL's port on 127.0.0.1 |
 * | ZHENGYIN_KEK | unset: a key-encryption key generated into `<data>/kek.key` |
 * | ZHENGYIN_KEK_FILE | `<data>/kek.key` |
 * | ZHENGYIN_DEMO | on with the embedded database, off with DATABASE_URL: seed demo departments, seals, licences |
 */
export interface RuntimeConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: URL;
  readonly databaseUrl: string | undefined;
  readonly embeddedPgPort: number;
  /** Base64 of 32 bytes, when the operator supplies the key-encryption key directly. */
  readonly kek: string | undefined;
  readonly kekFile: string;
  readonly logJson: boolean;
  /** Seed the demo departments, licence types, seals and licences at start. */
  readonly demo: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const dataDir = path.resolve(projectRoot, env.ZHENGYIN_DATA_DIR ?? '.data');
  const host = env.ZHENGYIN_HOST ?? '127.0.0.1';
  const port = parsePort('ZHENGYIN_PORT', env.ZHENGYIN_PORT ?? env.PORT, 8080);
  const publicUrl = parsePublicUrl(env.ZHENGYIN_PUBLIC_URL, host, port);
  return {
    dataDir,
    host,
    port,
    publicUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPgPort: parsePort('ZHENGYIN_PG_PORT', env.ZHENGYIN_PG_PORT, 54329),
    kek: env.ZHENGYIN_KEK || undefined,
    kekFile: path.resolve(dataDir, env.ZHENGYIN_KEK_FILE ?? 'kek.key'),
    logJson: env.ZHENGYIN_LOG_FORMAT === 'json',
    demo: parseFlag('ZHENGYIN_DEMO', env.ZHENGYIN_DEMO, !env.DATABASE_URL),
  };
}

function parseFlag(setting: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigurationError({ setting, message: `${setting} must be true or false, not "${raw}"` });
}

function parsePort(setting: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigurationError({ setting, message: `${setting} must be a port number from 0 to 65535, not "${raw}"` });
  }
  return n;
}

function parsePublicUrl(raw: string | undefined, host: string, port: number): URL {
  const fallbackHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const text = raw ?? `http://${fallbackHost.includes(':') ? `[${fallbackHost}]` : fallbackHost}:${port}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ConfigurationError({ setting: 'ZHENGYIN_PUBLIC_URL', message: `ZHENGYIN_PUBLIC_URL is not a URL: "${text}"`, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError({ setting: 'ZHENGYIN_PUBLIC_URL', message: 'ZHENGYIN_PUBLIC_URL must be http or https' });
  }
  // Certificates embed URLs derived from this base: a trailing path segment must end in '/'
  // so that new URL('crl/x.crl', base) appends rather than replaces.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

/** The public URL of a route, e.g. `publicRoute(config, 'pki/root.crt')`. */
export function publicRoute(base: URL, route: string): string {
  return new URL(route.replace(/^\//, ''), base).toString();
}
