/**
 * The gateway's services: one folder per domain, each with its own index.ts. HTTP routes,
 * CLI commands and (next) GraphQL resolvers import from here or from a domain's index.ts.
 *
 * - `actor.ts`: who is asking, and the checks every service makes with it;
 * - `errors.ts`: the services' own typed errors;
 * - `services.ts`: the `Services` type, one of each; `open-services.ts` builds them;
 * - `demo-data.ts`: the embedded demo's departments, seals and licences.
 *
 * Small helpers that services and commands share (units, RFC 5280 name bounds) are in `gateway/util.ts`.
 */
export { asDepartment, DEPARTMENT_ROLES, OPERATOR, PUBLIC, requireDepartment, requireOperator, type Actor, type DepartmentRole } from './actor.ts';
export { FormatUnavailableError, LicenceStateError, NoSm2SealError, RenewalStateError, SealFormatMismatchError, SealStateError, SealUnusableError } from './errors.ts';
export type { Services } from './services.ts';
export { openServices, type OpenServices, type OpenServicesOptions } from './open-services.ts';
export { DEMO_DEPARTMENTS, DEMO_JOINT_DEPARTMENT, issueDemoLicence, seedDemoData } from './demo-data.ts';
export * from './catalogue/index.ts';
export * from './access-log/index.ts';
export * from './audit/index.ts';
export * from './copies/index.ts';
export * from './use-codes/index.ts';
export * from './departments/index.ts';
export * from './ledger/index.ts';
export * from './licences/index.ts';
export * from './pki/index.ts';
export * from './seals/index.ts';
export * from './verification/index.ts';
export * from './reuse/index.ts';
