import type { CatalogueService, GrantService } from './catalogue/index.ts';
import type { AccessLog } from './access-log/index.ts';
import type { AuditTrail } from './audit/index.ts';
import type { AnnotatedCopies } from './copies/index.ts';
import type { UseCodeService } from './use-codes/index.ts';
import type { DepartmentService, LicenceTypeService } from './departments/index.ts';
import type { LedgerService } from './ledger/index.ts';
import type { LicenceService } from './licences/index.ts';
import type { PkiService } from './pki/index.ts';
import type { SealService } from './seals/index.ts';
import type { VerificationService } from './verification/index.ts';
import type { ApplicationService, AuthorisationService, MaterialService, SharingService, SupervisionService } from './reuse/index.ts';

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
  /** Matters, proofs, material kinds, bundles and licence types loaded from the catalogue folder, in every version. */
  readonly catalogue: CatalogueService;
  /** Which department may receive which licence types and materials, for which matters. */
  readonly grants: GrantService;
  /** Every release of someone's data to someone else: append-only, hash-chained, anchored on the ledger. */
  readonly accessLog: AccessLog;
  /** Who changed state, append-only. */
  readonly audit: AuditTrail;
  /** Annotated copies (加注件) of licences, signed by the installation's own key. */
  readonly copies: AnnotatedCopies;
  /** 用证码: holders' short-lived codes for their licences; presenting one releases the status and an annotated copy. */
  readonly useCodes: UseCodeService;
  /** Any PDF's verification report, enriched from the registries when it is one of ours. */
  readonly verification: VerificationService;
  /** Applications (办件) for a matter or a bundle, pinned to the catalogue version, and their material plans. */
  readonly applications: ApplicationService;
  /** The applicant's authorisations of applications: given, withdrawn, expired. */
  readonly authorisations: AuthorisationService;
  /** Materials asked for and handed in, reusable afterwards. */
  readonly materials: MaterialService;
  /** Shared content released to handling departments, each release with a receipt. */
  readonly sharing: SharingService;
  /** 电子监察 figures per department and matter. */
  readonly supervision: SupervisionService;
}
