/** A GraphQL response as the tests read it. */
export interface GraphQLResult {
  readonly status: number;
  readonly body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  };
}

/** POSTs one GraphQL operation over real HTTP, with a bearer token when given. */
export async function gql(base: URL, query: string, options: { variables?: Record<string, unknown>; token?: string; authorization?: string } = {}): Promise<GraphQLResult> {
  // The GraphQL-over-HTTP media type: request errors (syntax, validation) answer 4xx, not 200.
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  const res = await fetch(new URL('graphql', base), { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables ?? {} }) });
  return { status: res.status, body: (await res.json()) as GraphQLResult['body'] };
}

export const firstCode = (r: GraphQLResult): unknown => r.body.errors?.[0]?.extensions?.code;

/**
 * POSTs one GraphQL operation as a multipart upload (graphql-multipart-request-spec) with
 * `file` at `variables.file`, the CSRF header and a bearer token when given.
 */
export async function gqlUpload(
  base: URL,
  query: string,
  file: Uint8Array,
  options: { variables?: Record<string, unknown>; token?: string; name?: string; type?: string } = {},
): Promise<GraphQLResult> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...options.variables, file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([file], { type: options.type ?? 'application/pdf' }), options.name ?? 'document.pdf');
  const headers: Record<string, string> = { 'x-zhengyin-csrf': '1', accept: 'application/graphql-response+json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(new URL('graphql', base), { method: 'POST', headers, body: form });
  return { status: res.status, body: (await res.json()) as GraphQLResult['body'] };
}
