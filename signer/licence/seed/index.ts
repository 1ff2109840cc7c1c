import type { LicenceType } from '../licence-type.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE } from './seed-types.ts';

/*
 * The seeded licence types are data in the catalogue folder (catalogue/licence-types/*.json,
 * loaded by `zhengyin catalogue load`); this module reads the same files so that signer
 * tests, benchmarks and the demo's examples use exactly what an installation loads.
 */
export { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE };
export { LOCAL_DEFINING_AUTHORITY } from './local-authority.ts';
export { SEED_EXAMPLES, type LicenceExample } from './examples.ts';

/** The licence types a fresh installation seeds, all under local (9xx) type codes. */
export const SEED_LICENCE_TYPES: readonly LicenceType[] = [BUSINESS_LICENCE, REAL_ESTATE_CERTIFICATE, PROVIDENT_FUND_CERTIFICATE];
