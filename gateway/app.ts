import type { RuntimeConfig } from './runtime/config.ts';
import type { Database } from './runtime/database.ts';
import { loadKek } from './runtime/kek.ts';
import type { Logger } from './runtime/logger.ts';
import { sendJson } from './http/respond.ts';
import { licenceStatusRoutes } from './http/routes/licence-status.ts';
import { pkiRoutes } from './http/routes/pki.ts';
import { Router } from './http/router.ts';
import { openServices, seedDemoData, type Services } from './services/index.ts';
import { DownloadLinks } from './auth/download-links.ts';
import { SealedDocuments } from './auth/sealed-documents.ts';
import { GRAPHQL_PATH } from './graphql/path.ts';
import { downloadRoutes } from './http/routes/downloads.ts';
import { sealedDownloadRoutes } from './http/routes/sealed-downloads.ts';
import { graphqlRoutes } from './http/routes/graphql.ts';
import { TokenService } from './services/tokens/index.ts';

export interface AppOptions {
  readonly config: RuntimeConfig;
  readonly db: Database;
  readonly log: Logger;
}

/** The composed service: every module wired to the database, and the HTTP routes over them. */
export interface App {
  readonly services: Services;
  /** Department API tokens for the GraphQL gateway. */
  readonly tokens: TokenService;
  readonly router: Router;
  /** Seeds the demo departments, licence types, seals and licences (idempotent). */
  seedDemo(): Promise<{ licences: string[] }>;
  /** Lines for the start banner: what runs where. */
  describe(base: URL): readonly string[];
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { db, config, log } = options;
  const kek = loadKek(config, log);
  const { services, close } = await openServices({ config, db, log, kek });
  const { pki, ledger } = services;
  const router = new Router().get('/healthz', async (_req, res) => {
    await db.pool.query('SELECT 1');
    sendJson(res, 200, { status: 'ok' });
  });
  pkiRoutes(router, pki, config.limits.pki);
  licenceStatusRoutes(router, services.licences, config.limits.status);
  const tokens = new TokenService({ prisma: db.prisma, log });
  const downloads = new DownloadLinks({ key: kek.deriveKey('download links'), publicUrl: config.publicUrl });
  const sealed = new SealedDocuments({ ttlSeconds: downloads.ttlSeconds });
  graphqlRoutes(router, async () => (await import('./graphql/yoga.ts')).createGraphQLGateway({ services: { ...services, tokens }, downloads, sealed, log }));
  downloadRoutes(router, downloads, services.licences);
  sealedDownloadRoutes(router, downloads, sealed);
  return {
    services,
    tokens,
    router,
    seedDemo: () => seedDemoData(services, log),
    describe: (base) => [
      `health       ${new URL('healthz', base)}`,
      `GraphQL      ${new URL(GRAPHQL_PATH.slice(1), base)} (token: zhengyin dept token --department D --role issuer)`,
      `licences     ${base}licences/<证照标识> (status pages, the URL in each QR code)`,
      `root CA      ${pki.urls.rootPem} (DER: ${pki.urls.rootDer})`,
      `TSA          ${pki.urls.tsa} (RFC 3161)`,
      `OCSP         ${pki.urls.ocsp}`,
      `ledger       ${ledger.describe()}`,
    ],
    close,
  };
}
