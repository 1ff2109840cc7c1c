/** Where the GraphQL gateway is mounted on the HTTP server. */
export const GRAPHQL_PATH = '/graphql';
