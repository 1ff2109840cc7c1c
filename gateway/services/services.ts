import type { DepartmentService } from './department-service.ts';
import type { LedgerService } from './ledger-service.ts';
import type { LicenceService } from './licence-service.ts';
import type { LicenceTypeService } from './licence-type-service.ts';
import type { PkiService } from './pki-service.ts';
import type { SealService } from './seal-service.ts';

/**
 * The services the gateway composes over the modules. Each service checks authorisation
 * itself (not only the resolvers or routes in front of it) and writes through Prisma.
 * createApp() builds one of each; HTTP routes, CLI commands and (later) GraphQL resolvers
 * call them.
 */
export interface Services {
  /** The evidence ledger (embedded or Fabric), its outbox worker and salted hashing. */
  readonly ledger: LedgerService;
  /** Root and department CAs, seal certificates, CRL/OCSP/TSA, PKCS#12 import. */
  readonly pki: PkiService;
  readonly departments: DepartmentService;
  /** Licence types as data, and which departments issue each. */
  readonly licenceTypes: LicenceTypeService;
  /** The seal registry (GB/T 38540): the only way to sign with a seal. */
  readonly seals: SealService;
  /** Issuance, status and revocation of licences. */
  readonly licences: LicenceService;
}
