import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, packageRoot } from '../../common/index.ts';
import type { ledgers } from '../../ledger/index.ts';

type FabricOptions = ledgers.FabricOptions;

/** The folder that holds package.json: default anchor for the data folder. */
export const projectRoot = packageRoot(import.meta.url);

/** One operator setting: an environment variable, its default as the README shows it, and what it does. */
export interface Setting {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

/**
 * Every setting an operator can make, in the order the README's Configuration table lists
 * them. This module is the only place that reads them from the environment; the README
 * table is checked against this list (tests/runtime/config.test.ts).
 */
export const SETTINGS: readonly Setting[] = [
  { name: 'ZHENGYIN_DATA_DIR', default: '`.data`', meaning: 'data folder: embedded PostgreSQL, key-encryption key, ledger node key' },
  { name: 'ZHENGYIN_HOST', default: '`127.0.0.1`', meaning: 'where the HTTP service listens' },
  { name: 'ZHENGYIN_PORT', default: '`8080`', meaning: 'its port (`PORT` also works)' },
  { name: 'PORT', default: '(unset)', meaning: 'the port when `ZHENGYIN_PORT` is unset, as platforms that assign one set it' },
  { name: 'ZHENGYIN_PUBLIC_URL', default: '`http://<host>:<port>/`', meaning: 'base of every URL written into certificates and QR codes' },
  { name: 'DATABASE_URL', default: '(embedded)', meaning: 'an external PostgreSQL instead of the embedded one' },
  { name: 'ZHENGYIN_PG_PORT', default: '`54329`', meaning: 'port of the embedded PostgreSQL on 127.0.0.1' },
  { name: 'ZHENGYIN_DEMO', default: 'on when embedded, off with `DATABASE_URL`', meaning: 'seed the demo departments, types, seals and licences' },
  { name: 'ZHENGYIN_KEK', default: '(file)', meaning: 'key-encryption key for private keys at rest: base64 of 32 bytes (`openssl rand -base64 32`)' },
  { name: 'ZHENGYIN_KEK_FILE', default: '`<data>/kek.key`', meaning: 'where the generated key-encryption key lives (mode 0600); back it up with the database' },
  { name: 'ZHENGYIN_LOG_FORMAT', default: 'text', meaning: '`json` for one JSON object per log line' },
  { name: 'ZHENGYIN_READY_MAX_BACKLOG_S', default: '`300`', meaning: '`/readyz` answers 503 when the oldest evidence record waiting for the ledger is older than this many seconds' },
  { name: 'ZHENGYIN_METRICS_TOKEN', default: '(unset: loopback only)', meaning: '`/metrics` then requires `Authorization: Bearer <token>` from every client, loopback included; unset, only loopback clients may read it (see [docs/operations.md](docs/operations.md))' },
  { name: 'ZHENGYIN_SHUTDOWN_GRACE_MS', default: '`10000`', meaning: 'on SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are cut' },
  { name: 'ZHENGYIN_PKI_RATE', default: '`20`', meaning: 'time-stamp and OCSP requests per second per client address, each endpoint on its own (bursts of twice this); beyond it 429 with `Retry-After`' },
  { name: 'ZHENGYIN_PKI_CONCURRENCY', default: '`2`', meaning: 'time-stamp (and, apart, OCSP) requests answered at once, all clients together; up to 4× this wait, more get 429' },
  { name: 'ZHENGYIN_STATUS_RATE', default: '`10`', meaning: 'licence status page requests per second per client address' },
  { name: 'ZHENGYIN_STATUS_CONCURRENCY', default: '`8`', meaning: 'status page requests answered at once, all clients together' },
  { name: 'ZHENGYIN_VERIFY_MAX_BYTES', default: '`16777216` (16 MiB)', meaning: "largest PDF a verification accepts (`POST /verify`, GraphQL): a larger upload is refused with 413 before it is read; at most the verifier's own 256 MiB" },
  { name: 'ZHENGYIN_MATERIAL_MAX_BYTES', default: '`10485760` (10 MiB)', meaning: 'largest material an applicant or a window uploads to an application (GraphQL `uploadMaterial`); a larger one is refused, typed, storing nothing' },
  { name: 'ZHENGYIN_VERIFY_RATE', default: '`2`', meaning: '`POST /verify` uploads per second per client address (bursts of twice this)' },
  { name: 'ZHENGYIN_VERIFY_CONCURRENCY', default: '`2`', meaning: 'verifications run at once, all clients together (CPU-bound); up to 4× this wait, more get 429' },
  { name: 'ZHENGYIN_USE_CODE_RATE_PER_MINUTE', default: '`10`', meaning: 'use-code presentations per minute per client address (half of them at once); beyond it 429 with `Retry-After`' },
  { name: 'ZHENGYIN_GRAPHQL_ANON_RATE', default: '`10`', meaning: '`/graphql` requests per second per client address without a token (bursts of twice this; a refused token counts too); department and applicant tokens are not limited by address' },
  { name: 'ZHENGYIN_CPU_WORKERS', default: 'CPUs − 1 (at least 1)', meaning: 'worker threads that render, sign and verify PDFs, so that the event loop keeps answering meanwhile (see [docs/performance.md](docs/performance.md))' },
  { name: 'ZHENGYIN_READ_CACHE_TTL_MS', default: '`60000`', meaning: 'the running service keeps API tokens and anchored licences it has read in memory, each dropped as soon as a change to it is committed by any process (PostgreSQL `LISTEN`), and at the latest after this many milliseconds; `0`: every read goes to the database (see [docs/performance.md](docs/performance.md))' },
  { name: 'ZHENGYIN_RATE_CLIENTS', default: '`10000`', meaning: 'client addresses each limit remembers (IPv6 by /64); the least recently seen are forgotten first' },
  { name: 'ZHENGYIN_LEDGER_SALT', default: '`<data>/ledger/salt`', meaning: 'salt of the hashes of personal identifiers on the ledger (hex or base64, ≥ 16 bytes); the same for every gateway' },
  { name: 'ZHENGYIN_LEDGER_NODE_KEY_FILE', default: '`<data>/ledger/node-key.pem`', meaning: "the embedded ledger's block-signing key (mode 0600, sealed under the KEK): see [docs/ledger.md](docs/ledger.md)" },
  { name: 'ZHENGYIN_LEDGER_MSP_ID', default: '`ZhengyinMSP`', meaning: "MSP id of the embedded ledger's submitting identity" },
  { name: 'ZHENGYIN_LEDGER_BLOCK_MAX_TX', default: '`100`', meaning: 'the embedded ledger cuts a block at this many transactions' },
  { name: 'ZHENGYIN_LEDGER_BATCH_TIMEOUT_MS', default: '`20`', meaning: '… or after this many milliseconds' },
  { name: 'ZHENGYIN_CORS_ORIGINS', default: '(unset: same origin only)', meaning: 'origins whose web pages may call `/graphql` from the browser (CORS), comma-separated (`https://portal.example.gov.cn,https://app.example.gov.cn`), or `*` for any; every other origin gets no CORS headers, so browsers keep its pages out' },
  { name: 'ZHENGYIN_ACCESS_LOG_ANCHOR_EVERY', default: '`100`', meaning: 'the access log\'s head is anchored on the ledger (`accesslog.head`) with every this-many entries, in the same transaction; `0`: only by the interval' },
  { name: 'ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S', default: '`60`', meaning: '… and every this many seconds when it has moved since; `0`: only by count' },
  { name: 'ZHENGYIN_OIDC_ISSUER', default: '(unset: no applicant sign-in)', meaning: "applicants' OpenID Connect provider: the `iss` its tokens carry; its discovery document names the JWKS" },
  { name: 'ZHENGYIN_OIDC_AUDIENCE', default: '(required with an issuer)', meaning: 'the `aud` an applicant token must carry (this service\'s client id at the provider)' },
  { name: 'ZHENGYIN_OIDC_JWKS_URL', default: '(from discovery)', meaning: "the provider's JWKS, when not read from `<issuer>/.well-known/openid-configuration`" },
  { name: 'ZHENGYIN_OIDC_ID_CLAIM', default: '`id_number`', meaning: "the claim carrying a person's 居民身份证号码 (holder code type 111)" },
  { name: 'ZHENGYIN_OIDC_USCC_CLAIM', default: '`uscc`', meaning: "the claim carrying a company's 统一社会信用代码 (holder code type 001)" },
  { name: 'ZHENGYIN_OIDC_DEMO', default: 'on when embedded, never in production', meaning: 'the demo sign-in: this service is its own OpenID Connect issuer at `/demo/oidc` for the seeded applicants' },
  { name: 'FABRIC_PEER_ENDPOINT', default: '(embedded ledger)', meaning: "host:port of a Fabric peer's Gateway service: the ledger is then Hyperledger Fabric (see [docs/ledger.md](docs/ledger.md))" },
  { name: 'FABRIC_PEER_HOST_ALIAS', default: '(optional)', meaning: "TLS server name to expect when the endpoint's host is not in the peer's certificate" },
  { name: 'FABRIC_TLS_CA_CERT', default: '(required with Fabric)', meaning: "the CA of the peer's TLS certificate: a PEM file's path, or the PEM itself" },
  { name: 'FABRIC_MSP_ID', default: '(required with Fabric)', meaning: "MSP id of the gateway's Fabric identity" },
  { name: 'FABRIC_USER_CERT', default: '(required with Fabric)', meaning: 'its X.509 certificate: path or PEM' },
  { name: 'FABRIC_USER_KEY', default: '(required with Fabric)', meaning: 'its PKCS#8 private key: path or PEM (never logged)' },
  { name: 'FABRIC_CHANNEL', default: '(required with Fabric)', meaning: 'the channel' },
  { name: 'FABRIC_CHAINCODE', default: '(required with Fabric)', meaning: "the evidence chaincode's name" },
];

/** The ledger settings: the embedded ledger's, or Fabric's when FABRIC_PEER_ENDPOINT is set. */
export interface LedgerConfig {
  /** ZHENGYIN_LEDGER_SALT as given (hex or base64); unset: the data folder's salt file. */
  readonly salt: string | undefined;
  readonly nodeKeyFile: string;
  readonly mspId: string;
  readonly maxTransactionsPerBlock: number;
  readonly batchTimeoutMs: number;
  /** Set when FABRIC_PEER_ENDPOINT is: the ledger is then Fabric and the embedded settings do not apply. */
  readonly fabric: FabricOptions | undefined;
}

/** One route's limits (see gateway/http/rate-limit.ts). */
export interface RouteLimitConfig {
  readonly ratePerSecond: number;
  readonly concurrency: number;
  readonly maxClients: number;
}

/** Everything an operator can set (see {@link SETTINGS}), read once from the environment. */
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
  /** Largest PDF accepted for verification (ZHENGYIN_VERIFY_MAX_BYTES). */
  readonly verifyMaxBytes: number;
  /** Largest material uploaded to an application (ZHENGYIN_MATERIAL_MAX_BYTES). */
  readonly materialMaxBytes: number;
  /** Seed the demo departments, licence types, seals and licences at start. */
  readonly demo: boolean;
  /** Per-client rates and concurrency caps of the public endpoints that cost CPU or database work. */
  readonly limits: {
    readonly pki: RouteLimitConfig;
    readonly status: RouteLimitConfig;
    readonly verify: RouteLimitConfig;
    /** Use-code presentations (GraphQL presentUseCode and the /use-codes page), per client address. */
    readonly useCodes: RouteLimitConfig & { readonly burst: number };
    /** `/graphql` without a token, per client address (ZHENGYIN_GRAPHQL_ANON_RATE). */
    readonly graphqlAnonymous: { readonly ratePerSecond: number; readonly maxClients: number };
  };
  /** Worker threads of the CPU pool (ZHENGYIN_CPU_WORKERS). */
  readonly cpuWorkers: number;
  /** Longest a read cache keeps an entry (ZHENGYIN_READ_CACHE_TTL_MS); 0: no read cache. */
  readonly readCacheTtlMs: number;
  readonly ledger: LedgerConfig;
  /** Probes, metrics and stopping (see docs/operations.md). */
  readonly operations: OperationsConfig;
  readonly oidc: OidcConfig;
  /** Origins allowed to call /graphql from a browser (CORS): a list, '*' for any, empty for none. */
  readonly corsOrigins: readonly string[] | '*';
  readonly accessLog: AccessLogConfig;
}

/** When the access log's head is anchored on the ledger (see gateway/services/access-log). */
export interface AccessLogConfig {
  /** With every this-many entries, in the appending transaction; 0: never by count. */
  readonly anchorEvery: number;
  /** Every this many ms when the head moved; 0: never by time. */
  readonly anchorIntervalMs: number;
}

export interface OperationsConfig {
  /** `/readyz` fails when the oldest pending outbox row is older than this. */
  readonly readyMaxBacklogMs: number;
  /** Bearer token for `/metrics`; undefined: loopback clients only. */
  readonly metricsToken: string | undefined;
  readonly shutdownGraceMs: number;
}

/** Applicant sign-in (see gateway/auth/applicant-tokens.ts). */
export interface OidcConfig {
  /** The external provider, when ZHENGYIN_OIDC_ISSUER is set. */
  readonly external: { readonly issuer: string; readonly audience: string; readonly jwksUrl: URL | undefined } | undefined;
  readonly idClaim: string;
  readonly usccClaim: string;
  /** The demo issuer at /demo/oidc: embedded database only, never in production. */
  readonly demo: boolean;
}

/** @throws {@link ConfigurationError} naming the first setting that is malformed, or missing where another requires it. */
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
    readCacheTtlMs: parseNonNegative('ZHENGYIN_READ_CACHE_TTL_MS', env.ZHENGYIN_READ_CACHE_TTL_MS, 60_000),
    cpuWorkers: parsePositive('ZHENGYIN_CPU_WORKERS', env.ZHENGYIN_CPU_WORKERS, Math.max(1, os.availableParallelism() - 1)),
    verifyMaxBytes: parsePositive('ZHENGYIN_VERIFY_MAX_BYTES', env.ZHENGYIN_VERIFY_MAX_BYTES, 16 * 1024 * 1024),
    materialMaxBytes: parsePositive('ZHENGYIN_MATERIAL_MAX_BYTES', env.ZHENGYIN_MATERIAL_MAX_BYTES, 10 * 1024 * 1024),
    demo: parseFlag('ZHENGYIN_DEMO', env.ZHENGYIN_DEMO, !env.DATABASE_URL),
    limits: readLimits(env),
    operations: {
      readyMaxBacklogMs: parsePositive('ZHENGYIN_READY_MAX_BACKLOG_S', env.ZHENGYIN_READY_MAX_BACKLOG_S, 300) * 1000,
      metricsToken: env.ZHENGYIN_METRICS_TOKEN || undefined,
      shutdownGraceMs: parsePositive('ZHENGYIN_SHUTDOWN_GRACE_MS', env.ZHENGYIN_SHUTDOWN_GRACE_MS, 10_000),
    },
    ledger: {
      salt: env.ZHENGYIN_LEDGER_SALT || undefined,
      nodeKeyFile: path.resolve(dataDir, env.ZHENGYIN_LEDGER_NODE_KEY_FILE || path.join('ledger', 'node-key.pem')),
      mspId: env.ZHENGYIN_LEDGER_MSP_ID || 'ZhengyinMSP',
      maxTransactionsPerBlock: parsePositive('ZHENGYIN_LEDGER_BLOCK_MAX_TX', env.ZHENGYIN_LEDGER_BLOCK_MAX_TX, 100),
      batchTimeoutMs: parsePositive('ZHENGYIN_LEDGER_BATCH_TIMEOUT_MS', env.ZHENGYIN_LEDGER_BATCH_TIMEOUT_MS, 20),
      fabric: fabricOptionsFromEnv(env),
    },
    oidc: readOidc(env),
    corsOrigins: parseOrigins('ZHENGYIN_CORS_ORIGINS', env.ZHENGYIN_CORS_ORIGINS),
    accessLog: {
      anchorEvery: parseNonNegative('ZHENGYIN_ACCESS_LOG_ANCHOR_EVERY', env.ZHENGYIN_ACCESS_LOG_ANCHOR_EVERY, 100),
      anchorIntervalMs: parseNonNegative('ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S', env.ZHENGYIN_ACCESS_LOG_ANCHOR_INTERVAL_S, 60) * 1000,
    },
  };
}

/** A comma-separated list of web origins (scheme, host, port; no path), or '*'. */
function parseOrigins(setting: string, raw: string | undefined): readonly string[] | '*' {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === '*') return '*';
  return items.map((item) => {
    const url = parseHttpUrl(setting, item);
    // A browser's Origin header is scheme://host[:port]: anything more could never match.
    if (url.origin !== item.replace(/\/$/, '')) throw new ConfigurationError({ setting, message: `${setting}: "${item}" is not an origin (scheme://host[:port], no path)` });
    return url.origin;
  });
}

function readOidc(env: NodeJS.ProcessEnv): OidcConfig {
  const issuer = env.ZHENGYIN_OIDC_ISSUER || undefined;
  if (issuer && !env.ZHENGYIN_OIDC_AUDIENCE) {
    throw new ConfigurationError({ setting: 'ZHENGYIN_OIDC_AUDIENCE', message: 'ZHENGYIN_OIDC_AUDIENCE is required when ZHENGYIN_OIDC_ISSUER is set' });
  }
  const jwksUrl = env.ZHENGYIN_OIDC_JWKS_URL ? parseHttpUrl('ZHENGYIN_OIDC_JWKS_URL', env.ZHENGYIN_OIDC_JWKS_URL) : undefined;
  if (issuer) parseHttpUrl('ZHENGYIN_OIDC_ISSUER', issuer);
  const embedded = !env.DATABASE_URL;
  const production = env.NODE_ENV === 'production';
  // The demo issuer signs tokens for anyone who asks its operator: never beside real data.
  const demo = embedded && !production && parseFlag('ZHENGYIN_OIDC_DEMO', env.ZHENGYIN_OIDC_DEMO, true);
  return {
    external: issuer ? { issuer, audience: env.ZHENGYIN_OIDC_AUDIENCE!, jwksUrl } : undefined,
    idClaim: env.ZHENGYIN_OIDC_ID_CLAIM || 'id_number',
    usccClaim: env.ZHENGYIN_OIDC_USCC_CLAIM || 'uscc',
    demo,
  };
}

function parseHttpUrl(setting: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigurationError({ setting, message: `${setting} is not a URL: "${raw}"`, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigurationError({ setting, message: `${setting} must be http or https` });
  return url;
}

function readLimits(env: NodeJS.ProcessEnv): RuntimeConfig['limits'] {
  const maxClients = parsePositive('ZHENGYIN_RATE_CLIENTS', env.ZHENGYIN_RATE_CLIENTS, 10_000);
  return {
    pki: {
      ratePerSecond: parsePositive('ZHENGYIN_PKI_RATE', env.ZHENGYIN_PKI_RATE, 20),
      concurrency: parsePositive('ZHENGYIN_PKI_CONCURRENCY', env.ZHENGYIN_PKI_CONCURRENCY, 2),
      maxClients,
    },
    status: {
      ratePerSecond: parsePositive('ZHENGYIN_STATUS_RATE', env.ZHENGYIN_STATUS_RATE, 10),
      concurrency: parsePositive('ZHENGYIN_STATUS_CONCURRENCY', env.ZHENGYIN_STATUS_CONCURRENCY, 8),
      maxClients,
    },
    verify: {
      ratePerSecond: parsePositive('ZHENGYIN_VERIFY_RATE', env.ZHENGYIN_VERIFY_RATE, 2),
      concurrency: parsePositive('ZHENGYIN_VERIFY_CONCURRENCY', env.ZHENGYIN_VERIFY_CONCURRENCY, 2),
      maxClients,
    },
    useCodes: useCodeLimits(parsePositive('ZHENGYIN_USE_CODE_RATE_PER_MINUTE', env.ZHENGYIN_USE_CODE_RATE_PER_MINUTE, 10), maxClients),
    graphqlAnonymous: { ratePerSecond: parsePositive('ZHENGYIN_GRAPHQL_ANON_RATE', env.ZHENGYIN_GRAPHQL_ANON_RATE, 10), maxClients },
  };
}

// Each presentation signs an annotated copy, and a code is a secret to guess: a few a
// minute per address, half of them at once.
function useCodeLimits(perMinute: number, maxClients: number): RuntimeConfig['limits']['useCodes'] {
  return { ratePerSecond: perMinute / 60, burst: Math.max(1, Math.floor(perMinute / 2)), concurrency: 2, maxClients };
}

const FABRIC_REQUIRED = ['FABRIC_PEER_ENDPOINT', 'FABRIC_TLS_CA_CERT', 'FABRIC_MSP_ID', 'FABRIC_USER_CERT', 'FABRIC_USER_KEY', 'FABRIC_CHANNEL', 'FABRIC_CHAINCODE'] as const;

/**
 * Reads the FABRIC_* variables as `shared/fabric-net` writes them to run/network.env.
 * The certificate and key variables hold file paths there; inline PEM is accepted too.
 * Returns undefined when FABRIC_PEER_ENDPOINT is unset (the embedded ledger applies).
 *
 * @throws {@link ConfigurationError} naming the first missing or unreadable variable.
 */
export function fabricOptionsFromEnv(env: NodeJS.ProcessEnv): FabricOptions | undefined {
  if (!env.FABRIC_PEER_ENDPOINT) return undefined;
  for (const name of FABRIC_REQUIRED) {
    if (!env[name]) throw new ConfigurationError({ setting: name, message: `${name} is required when FABRIC_PEER_ENDPOINT is set` });
  }
  const pem = (name: 'FABRIC_TLS_CA_CERT' | 'FABRIC_USER_CERT' | 'FABRIC_USER_KEY'): string => {
    const value = env[name]!;
    if (value.includes('-----BEGIN')) return value;
    try {
      return fs.readFileSync(value, 'utf8');
    } catch (cause) {
      throw new ConfigurationError({ setting: name, message: `${name}: cannot read ${value}: ${(cause as Error).message}`, cause });
    }
  };
  return {
    peerEndpoint: env.FABRIC_PEER_ENDPOINT,
    ...(env.FABRIC_PEER_HOST_ALIAS ? { peerHostAlias: env.FABRIC_PEER_HOST_ALIAS } : {}),
    tlsCaCert: pem('FABRIC_TLS_CA_CERT'),
    mspId: env.FABRIC_MSP_ID!,
    userCert: pem('FABRIC_USER_CERT'),
    userKey: pem('FABRIC_USER_KEY'),
    channel: env.FABRIC_CHANNEL!,
    chaincode: env.FABRIC_CHAINCODE!,
  };
}

/** The README's Configuration table, as {@link SETTINGS} says it. */
export function settingsTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '| variable | default | meaning |',
    '| --- | --- | --- |',
    ...SETTINGS.map((s) => `| \`${s.name}\` | ${cell(s.default)} | ${cell(s.meaning)} |`),
  ].join('\n');
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

function parsePositive(setting: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError({ setting, message: `${setting} must be a positive integer, not "${raw}"` });
  return n;
}

function parseNonNegative(setting: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigurationError({ setting, message: `${setting} must be a whole number (0 or more), not "${raw}"` });
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
