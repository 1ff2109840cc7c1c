/** The catalogue (matters, proofs, material kinds, bundles, licence types as files) and grants. Other folders import only this file. */
export { CatalogueService, type CatalogueServiceOptions, type CatalogueLoadResult, type CatalogueItemRef } from './catalogue-service.ts';
export { GrantService, InvalidGrantError, type GrantServiceOptions, type Grant, type NewGrant, type Receivable } from './grant-service.ts';
export type { GrantResourceKind } from './grant-rules.ts';
export { CatalogueError, CatalogueSchemaError, CatalogueReferenceError, ProofNotListedError, NotGrantedError, type CatalogueProblem } from './errors.ts';
export { shippedCatalogueDir, catalogueSchemaDir } from './read-folder.ts';
export type * from './model.ts';
