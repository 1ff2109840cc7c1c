import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GATEWAY_CODES } from '../errors.ts';

/**
 * graphql-js refuses variables that do not coerce (a wrong type, null for a non-null, a
 * multipart map that names no file) with errors that carry no `extensions.code`, and runs
 * nothing. Such a result is the only kind without `data`; its codeless errors get
 * BAD_USER_INPUT here, so every refusal a client sees is typed.
 */
export function useVariableErrorCodes(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (!('errors' in result) || 'data' in result || !result.errors?.some((e) => e.extensions?.code === undefined)) return;
        setResult({
          ...result,
          errors: result.errors.map((e) =>
            e.extensions?.code === undefined
              ? new GraphQLError(e.message, { nodes: e.nodes, path: e.path, extensions: { ...e.extensions, code: GATEWAY_CODES.badUserInput } })
              : e,
          ),
        });
      },
    }),
  };
}
