import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GATEWAY_CODES } from '../errors.ts';

/** Limits on one GraphQL document, checked before anything runs. */
export interface QueryLimits {
  /** Nesting of selections. @default 10 */
  readonly depth?: number;
  /** graphql-armor's cost (objects 2, scalars 1, times depth factor). @default 5000 */
  readonly cost?: number;
  /** Aliased fields in one operation (alias bombs). @default 15 */
  readonly aliases?: number;
  /** Lexer tokens of the document, stopping huge documents at the parser. @default 2000 */
  readonly tokens?: number;
}

/**
 * Depth, cost, alias and token limits (graphql-armor). A refused document gets the
 * armor's message with `extensions.code` QUERY_TOO_LARGE and never reaches a resolver.
 */
export function useQueryLimits({ depth = 10, cost = 5000, aliases = 15, tokens = 2000 }: QueryLimits = {}): Plugin[] {
  // armor reports through these callbacks with the GraphQLError it is about to raise.
  const onReject = [(_ctx: unknown, error: GraphQLError) => Object.assign(error.extensions as Record<string, unknown>, { code: GATEWAY_CODES.queryTooLarge, http: { status: 400 } })];
  return [
    maxTokensPlugin({ n: tokens, onReject }),
    maxDepthPlugin({ n: depth, onReject, flattenFragments: true }),
    maxAliasesPlugin({ n: aliases, onReject }),
    costLimitPlugin({ maxCost: cost, onReject }),
  ] as Plugin[];
}
