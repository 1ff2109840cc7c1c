import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { ApplicantTokens } from '../auth/applicant-tokens.ts';
import type { DownloadLinks } from '../auth/download-links.ts';
import type { SealedDocuments } from '../auth/sealed-documents.ts';
import { requestActor } from '../auth/request-actor.ts';
import { clientKey } from '../http/rate-limit.ts';
import type { Logger } from '../runtime/logger.ts';
import type { GraphQLContext, GraphQLServices } from './context.ts';
import { corsPolicy } from './cors-policy.ts';
import { maskErrorWith, toGraphQLError } from './errors.ts';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useNoIntrospection } from './plugins/use-introspection-switch.ts';
import { useQueryLimits, type QueryLimits } from './plugins/use-query-limits.ts';
import { useOperationMetrics } from './plugins/use-operation-metrics.ts';
import { useVariableErrorCodes } from './plugins/use-variable-error-codes.ts';
import { metrics } from '../runtime/metrics.ts';
import { GRAPHQL_PATH } from './path.ts';
import { schema } from './schema.ts';

export interface GraphQLGatewayOptions {
  readonly services: GraphQLServices;
  readonly downloads: DownloadLinks;
  /** Applicants' OpenID Connect tokens; without it a JWT is refused like any unknown token. */
  readonly applicants?: ApplicantTokens;
  /** Sealed PDFs awaiting download; the HTTP download route reads the same store. */
  readonly sealed: SealedDocuments;
  readonly log: Logger;
  /** `production` turns GraphiQL and introspection off. @default process.env.NODE_ENV */
  readonly environment?: string;
  readonly limits?: QueryLimits;
  /** Origins whose pages may call from a browser (see {@link corsPolicy}). @default [] (same origin only) */
  readonly corsOrigins?: readonly string[] | '*';
}

export { GRAPHQL_PATH };

export type GraphQLGateway = YogaServerInstance<{ req: IncomingMessage; res: ServerResponse }, GraphQLContext>;

/**
 * The GraphQL gateway: graphql-yoga over the Pothos schema, with the caller's actor
 * computed once per request from its Authorization header. Works as a node:http
 * listener (`gateway(req, res)`) and in-process (`gateway.fetch(url, init)`).
 */
export function createGraphQLGateway(options: GraphQLGatewayOptions): GraphQLGateway {
  const production = (options.environment ?? process.env.NODE_ENV) === 'production';
  const { services, downloads, log } = options;
  const { sealed } = options;
  return createYoga<{ req: IncomingMessage; res: ServerResponse }, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: production ? false : { title: 'zhengyin 证印 GraphQL' },
    maskedErrors: { maskError: maskErrorWith(log) },
    logging: false,
    multipart: true,
    cors: corsPolicy(options.corsOrigins ?? []),
    plugins: [useCsrfPrevention(), useVariableErrorCodes(), useOperationMetrics(metrics()), ...useQueryLimits(options.limits), ...(production ? [useNoIntrospection()] : [])],
    context: async ({ request, req }) => {
      try {
        const client = req ? clientKey(req) : 'in-process';
        return { caller: await requestActor(request.headers.get('authorization'), services.tokens, options.applicants), client, services, downloads, sealed, log };
      } catch (e) {
        throw toGraphQLError(e) ?? e;
      }
    },
  });
}
