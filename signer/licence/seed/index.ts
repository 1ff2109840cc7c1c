import type { LicenceType } from '../licence-type.ts';
import { BUSINESS_LICENCE } from './business-licence.ts';
import { PROVIDENT_FUND_CERTIFICATE } from './provident-fund-certificate.ts';
import { REAL_ESTATE_CERTIFICATE } from './real-estate-certificate.ts';

export { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE };
export { LOCAL_DEFINING_AUTHORITY } from './local-authority.ts';
export { SEED_EXAMPLES, type LicenceExample } from './examples.ts';

/** The licence types a fresh installation seeds, all under local (9xx) type codes. */
export const SEED_LICENCE_TYPES: readonly LicenceType[] = [BUSINESS_LICENCE, REAL_ESTATE_CERTIFICATE, PROVIDENT_FUND_CERTIFICATE];
