import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import { addScalars } from './scalars.ts';
import './types/access-log.ts';
import './types/applications.ts';
import './types/catalogue.ts';
import './types/error.ts';
import './types/evidence.ts';
import './types/licence.ts';
import './types/licence-lifecycle.ts';
import './types/seal.ts';
import './types/seals.ts';
import './types/sharing.ts';
import './types/use-codes.ts';
import './types/verification.ts';

addScalars(builder);

builder.queryType({ description: '查询。 / Queries.' });
builder.mutationType({ description: '变更。 / Mutations.' });

/** The gateway's schema, built once from the code-first definitions under types/. */
export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });

/** The SDL committed as gateway/schema.graphql, in a stable order. */
export const printedSchema = (): string => printSchema(lexicographicSortSchema(schema)) + '\n';
