import type { Handler, Router } from '../router.ts';
import { GRAPHQL_PATH, type GraphQLGateway } from '../../graphql/yoga.ts';

/** Mounts the GraphQL gateway at /graphql: GET (GraphiQL, queries), POST (JSON and multipart), OPTIONS (CORS preflight). */
export function graphqlRoutes(router: Router, gateway: GraphQLGateway): void {
  const handler: Handler = async (req, res) => {
    await gateway.handle(req, res, { req, res });
  };
  router.get(GRAPHQL_PATH, handler).post(GRAPHQL_PATH, handler).add('OPTIONS', GRAPHQL_PATH, handler);
}
