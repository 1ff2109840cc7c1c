import type { RuntimeConfig } from './runtime/config.ts';
import type { Database } from './runtime/database.ts';
import { loadKek } from './runtime/kek.ts';
import type { Logger } from './runtime/logger.ts';
import { sendJson } from './http/respond.ts';
import { assetRoutes } from './http/routes/assets.ts';
import { homeRoutes } from './http/routes/home.ts';
import { licenceStatusRoutes } from './http/routes/licence-status.ts';
import { pkiRoutes } from './http/routes/pki.ts';
import { Router } from './http/router.ts';
import { verifyPageRoutes } from './http/routes/verify-page.ts';
import { observeSupervision, openServices, seedDemoData, type Services } from './services/index.ts';
import { DownloadLinks } from './auth/download-links.ts';
import { SealedDocuments } from './auth/sealed-documents.ts';
import { GRAPHQL_PATH } from './graphql/path.ts';
import { downloadRoutes } from './http/routes/downloads.ts';
import { sealedDownloadRoutes } from './http/routes/sealed-downloads.ts';
import { copyDownloadRoutes } from './http/routes/copy-downloads.ts';
import { useCodePageRoutes } from './http/routes/use-code-page.ts';
import { graphqlRoutes } from './http/routes/graphql.ts';
import { TokenService } from './services/tokens/index.ts';
import { ChangeFeed } from './runtime/change-feed.ts';
import { operationsRoutes } from './http/routes/operations.ts';
import { metrics } from './runtime/metrics.ts';
import { outbox } from '../ledger/index.ts';
import { ApplicantTokens, type TrustedIssuer } from './auth/applicant-tokens.ts';
import { DemoOidcIssuer } from './auth/demo-oidc.ts';
import { DEMO_APPLICANTS, DEMO_TOKEN_DEPARTMENT } from './services/demo-data.ts';
import { OPERATOR } from './services/actor.ts';
import { configureCpuPool } from './workers/index.ts';

export interface AppOptions {
  readonly config: RuntimeConfig;
  readonly db: Database;
  readonly log: Logger;
  /**
   * Keep tokens and licence entries read in memory, coherent through the database's change
   * feed (one more connection). Off for one-shot CLI commands, which read each thing once.
   * @default true (unless ZHENGYIN_READ_CACHE_TTL_MS=0)
   */
  readonly readCache?: boolean;
}

/** The composed service: every module wired to the database, and the HTTP routes over them. */
export interface App {
  readonly services: Services;
  /** Department API tokens for the GraphQL gateway. */
  readonly tokens: TokenService;
  readonly router: Router;
  /** The database's change feed that keeps the read caches coherent; absent when they are off. */
  readonly changeFeed: ChangeFeed | undefined;
  /** Seeds the demo departments, licence types, seals and licences (idempotent). */
  seedDemo(): Promise<{ licences: string[]; statusUrls: string[] }>;
  /**
   * With the demo sign-in on, mints ready-to-paste tokens for a department and an
   * applicant (for the start banner only: each call mints a new department token).
   */
  demoTokens(): Promise<{ department: string; applicant: string } | undefined>;
  /** The demo OpenID Connect issuer, when the configuration turns it on. */
  readonly demoIssuer: DemoOidcIssuer | undefined;
  /** Lines for the start banner: what runs where. */
  describe(base: URL): readonly string[];
  close(): Promise<void>;
}

/** Bytes a GraphQL multipart request may hold beside its file: the `operations` and `map` parts. */
export const MULTIPART_ROOM = 64 * 1024;

export async function createApp(options: AppOptions): Promise<App> {
  const { db, config, log } = options;
  configureCpuPool({ size: config.cpuWorkers });
  const kek = loadKek(config, log);
  const feed = options.readCache !== false && config.readCacheTtlMs > 0 ? await ChangeFeed.open({ connection: db.pool.options, log }) : undefined;
  let opened: Awaited<ReturnType<typeof openServices>>;
  try {
    opened = await openServices({ config, db, log, kek, feed });
  } catch (e) {
    await feed?.close();
    throw e;
  }
  const { services, close: closeServices } = opened;
  const close = async (): Promise<void> => {
    await closeServices();
    await feed?.close();
  };
  const { pki, ledger } = services;
  const router = new Router().get('/healthz', async (_req, res) => {
    await db.pool.query('SELECT 1');
    sendJson(res, 200, { status: 'ok' });
  });
  operationsRoutes(router, { db, ledger: ledger.ledger, metrics: metrics(), config: config.operations });
  metrics().observeOutbox(() => outbox.stats(db.pool));
  observeSupervision(metrics(), () => services.supervision.figures());
  pkiRoutes(router, pki, config.limits.pki);
  licenceStatusRoutes(router, services.licences, config.limits.status);
  const tokens = new TokenService({ prisma: db.prisma, log, feed, readCacheTtlMs: config.readCacheTtlMs });
  const downloads = new DownloadLinks({ key: kek.deriveKey('download links'), publicUrl: config.publicUrl });
  const sealed = new SealedDocuments({ prisma: db.prisma, key: kek.deriveKey('sealed documents'), ttlSeconds: downloads.ttlSeconds });
  const demoIssuer = config.oidc.demo ? await DemoOidcIssuer.open({ dataDir: config.dataDir, kek, publicUrl: config.publicUrl }) : undefined;
  demoIssuer?.routes(router);
  const issuers: TrustedIssuer[] = [
    ...(config.oidc.external ? [{ issuer: config.oidc.external.issuer, audience: config.oidc.external.audience, jwks: config.oidc.external.jwksUrl }] : []),
    ...(demoIssuer ? [demoIssuer.trusted()] : []),
  ];
  const applicants = new ApplicantTokens({ issuers, idClaim: config.oidc.idClaim, usccClaim: config.oidc.usccClaim, log });
  graphqlRoutes(
    router,
    async () => (await import('./graphql/yoga.ts')).createGraphQLGateway({ services: { ...services, tokens }, downloads, applicants, sealed, log, corsOrigins: config.corsOrigins }),
    // An upload (verifyPdf, applySeal) is a PDF or OFD of at most ZHENGYIN_VERIFY_MAX_BYTES, with room for the operations and map parts.
    { multipart: config.verifyMaxBytes + MULTIPART_ROOM, anonymous: config.limits.graphqlAnonymous },
  );
  downloadRoutes(router, downloads, services.licences);
  sealedDownloadRoutes(router, downloads, sealed);
  copyDownloadRoutes(router, downloads, services.useCodes);
  useCodePageRoutes(router, services.useCodes, downloads);
  assetRoutes(router);
  verifyPageRoutes(router, services.verification, config.limits.verify);
  homeRoutes(router, { graphiql: process.env.NODE_ENV !== 'production' });
  return {
    services,
    tokens,
    router,
    changeFeed: feed,
    demoIssuer,
    seedDemo: () => seedDemoData(services, log),
    demoTokens: async () => {
      if (!demoIssuer) return undefined;
      const department = await tokens.mint(OPERATOR, {
        departmentId: DEMO_TOKEN_DEPARTMENT,
        role: 'issuer',
        expiresAt: new Date(Date.now() + 24 * 3600_000),
      });
      const person = DEMO_APPLICANTS[0];
      const applicant = await demoIssuer.mint({ claim: config.oidc.idClaim, code: person.code, name: person.name });
      return { department: department.token, applicant };
    },

    describe: (base) => [
      `health       ${new URL('healthz', base)} (readiness: ${new URL('readyz', base)}, Prometheus: ${new URL('metrics', base)})`,
      `GraphQL      ${new URL(GRAPHQL_PATH.slice(1), base)} (token: zhengyin dept token --department D --role issuer)`,
      `licences     ${base}licences/<page token> (status pages, the URL in each QR code)`,
      `verify       ${new URL('verify', base)} (drop a signed PDF or OFD: verdict, seals, registry status)`,
      `root CA      ${pki.urls.rootPem} (DER: ${pki.urls.rootDer})`,
      `TSA          ${pki.urls.tsa} (RFC 3161)`,
      `OCSP         ${pki.urls.ocsp}`,
      `ledger       ${ledger.describe()}`,
    ],
    close,
  };
}
