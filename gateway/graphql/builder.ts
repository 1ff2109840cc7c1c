import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { ForbiddenError } from '../../common/index.ts';
import { authScopesOf, type AuthScopes, type GraphQLContext } from './context.ts';
import { GATEWAY_CODES } from './errors.ts';

/**
 * The code-first schema builder. Scope auth runs first (a refused field resolves nothing),
 * errors second (typed union results where a caller wants every problem as data), relay
 * for connections. The `node`/`nodes` root fields are off: they would read any object by
 * global id around the services' authorisation.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    LicenceIdentifier: { Input: string; Output: string };
    UnifiedSocialCreditCode: { Input: string; Output: string };
    IdNumber: { Input: string; Output: string };
    Sha256: { Input: string; Output: string };
    LocalDate: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    Upload: { Input: File; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => authScopesOf(context),
    unauthorizedError: (_parent, context, info) =>
      context.caller.actor.kind === 'public'
        ? new GraphQLError(`${info.fieldName}: sign in with a department API token (Authorization: Bearer zy_…)`, {
            extensions: { code: GATEWAY_CODES.unauthenticated },
          })
        : new ForbiddenError({ action: info.fieldName, reason: 'not allowed for this caller' }),
  },
  errors: {
    defaultTypes: [],
    defaultResultOptions: { description: '成功的结果。 / The successful result.' },
    defaultUnionOptions: { description: '成功的结果或作为数据返回的错误。 / The successful result, or an error returned as data.' },
  },
  relay: {
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
    pageInfoTypeOptions: { description: '分页信息 (Relay)。 / Where this page sits in the list (Relay).' },
    hasNextPageFieldOptions: { description: '后面还有。 / Whether more items follow.' },
    hasPreviousPageFieldOptions: { description: '前面还有。 / Whether items precede.' },
    startCursorFieldOptions: { description: '本页第一项的游标。 / Cursor of the first item on this page.' },
    endCursorFieldOptions: { description: '本页最后一项的游标。 / Cursor of the last item on this page.' },
    firstArgOptions: { description: '取前多少项 (最多 100)。 / How many items from the start (at most 100).' },
    afterArgOptions: { description: '从此游标之后开始。 / Start after this cursor.' },
    lastArgOptions: { description: '取后多少项。 / How many items from the end.' },
    beforeArgOptions: { description: '在此游标之前结束。 / End before this cursor.' },
    pageInfoFieldOptions: { description: '分页信息。 / Paging information.' },
    edgesFieldOptions: { description: '本页各项。 / The items on this page.' },
    cursorFieldOptions: { description: '此项的游标。 / This item\'s cursor.' },
    nodeFieldOptions: { description: '此项。 / The item.' },
    defaultConnectionTypeOptions: { description: '一页列表 (Relay 连接)。 / One page of a list (a Relay connection).' },
    defaultEdgeTypeOptions: { description: '列表中的一项。 / One item of a list.' },
  },
});
