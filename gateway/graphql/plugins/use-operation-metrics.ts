import { getOperationAST, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../runtime/metrics.ts';

/**
 * Counts and times each executed operation by what it calls: `mutation.issueLicence`,
 * `query.licence`. Operation names are chosen by clients, so they would let any client mint
 * label values; root fields are bounded by the schema. Several root fields are
 * `<type>.multiple`, introspection `<type>.introspection`, anything else `unknown`.
 */
export function useOperationMetrics(metrics: Pick<Metrics, 'graphqlOperations' | 'graphqlDuration'>): Plugin {
  return {
    onExecute({ args }) {
      const operation = operationLabel(args.schema, args.document, args.operationName ?? undefined);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && (result.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({ operation, outcome: failed ? 'error' : 'ok' });
          metrics.graphqlDuration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

export function operationLabel(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): string {
  const op = getOperationAST(document, operationName);
  if (!op) return 'unknown';
  const root = schema.getRootType(op.operation);
  const fields = op.selectionSet.selections;
  if (fields.length !== 1) return `${op.operation}.multiple`;
  const [only] = fields;
  if (only?.kind !== Kind.FIELD) return `${op.operation}.multiple`;
  if (only.name.value.startsWith('__')) return `${op.operation}.introspection`;
  return root?.getFields()[only.name.value] ? `${op.operation}.${only.name.value}` : 'unknown';
}
