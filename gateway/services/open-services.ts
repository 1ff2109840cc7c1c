import type { KeyEncryptionKey } from '../../signer/index.ts';
import type { RuntimeConfig } from '../runtime/config.ts';
import type { Database } from '../runtime/database.ts';
import type { Logger } from '../runtime/logger.ts';
import type { ChangeFeed } from '../runtime/change-feed.ts';
import { CatalogueService, GrantService } from './catalogue/index.ts';
import { AccessLog } from './access-log/index.ts';
import { AuditTrail } from './audit/index.ts';
import { AnnotatedCopies } from './copies/index.ts';
import { UseCodeService } from './use-codes/index.ts';
import { DepartmentService, LicenceTypeService } from './departments/index.ts';
import { LedgerService } from './ledger/index.ts';
import { LicenceService } from './licences/index.ts';
import { PkiService } from './pki/index.ts';
import { SealService } from './seals/index.ts';
import type { Services } from './services.ts';
import { VerificationService } from './verification/index.ts';
import { ApplicationService, AuthorisationService, MaterialPlanner, MaterialService, SharingService, SupervisionService } from './reuse/index.ts';

export interface OpenServicesOptions {
  readonly config: RuntimeConfig;
  readonly db: Database;
  readonly log: Logger;
  readonly kek: KeyEncryptionKey;
  /** The database's change feed, for the read caches; absent, nothing is cached. */
  readonly feed?: ChangeFeed;
}

/** The services, open, with the ledger's outbox worker running; `close` stops them in reverse order. */
export interface OpenServices {
  readonly services: Services;
  close(): Promise<void>;
}

/**
 * Builds one of each service, in dependency order, each from one options object. The PKI
 * and the ledger open asynchronously (bootstrap, connections); if the ledger fails to
 * open, the PKI opened before it is closed again.
 */
export async function openServices(options: Readonly<OpenServicesOptions>): Promise<OpenServices> {
  const { config, db, log, kek, feed } = options;
  const { prisma } = db;
  const pki = await PkiService.open({ db, kek, publicUrl: config.publicUrl, log });
  let ledger: LedgerService;
  try {
    ledger = await LedgerService.open({ config, db, log, kek });
  } catch (e) {
    await pki.close();
    throw e;
  }
  ledger.start();
  const departments = new DepartmentService({ prisma });
  const licenceTypes = new LicenceTypeService({ prisma });
  const seals = new SealService({ prisma, pki, log });
  const licences = new LicenceService({ prisma, types: licenceTypes, seals, pki, ledger, publicUrl: config.publicUrl, log, feed, readCacheTtlMs: config.readCacheTtlMs });
  // 视为准予延续 is also decided when a licence is read; the sweep settles the rest.
  licences.renewals.startSweep();
  const verification = new VerificationService({ prisma, pki, seals, licences, ledger, maxBytes: config.verifyMaxBytes, log });
  const catalogue = new CatalogueService({ prisma, types: licenceTypes });
  const grants = new GrantService({ prisma, catalogue });
  const audit = new AuditTrail({ prisma });
  const copies = new AnnotatedCopies({ prisma, pki, log, seals });
  const useCodes = new UseCodeService({ prisma, licences, copies, audit, key: kek.deriveKey('use codes'), publicUrl: config.publicUrl, log, presentLimits: config.limits.useCodes });
  const accessLog = new AccessLog({ prisma, ledger, ...config.accessLog, log });
  accessLog.start();
  const planner = new MaterialPlanner({ prisma, catalogue, ledger });
  const applications = new ApplicationService({ prisma, catalogue, planner, audit, ledger });
  const authorisations = new AuthorisationService({ prisma, applications, planner, catalogue, audit, useCodes });
  const materials = new MaterialService({ prisma, applications, planner, catalogue, verification, audit, maxBytes: config.materialMaxBytes });
  const sharing = new SharingService({ prisma, applications, authorisations, planner, grants, ledger, copies, accessLog });
  const supervision = new SupervisionService({ prisma });
  return {
    services: { pki, ledger, departments, licenceTypes, seals, licences, catalogue, grants, accessLog, audit, verification, copies, useCodes, applications, authorisations, materials, sharing, supervision },
    close: async () => {
      licences.renewals.stopSweep();
      await accessLog.stop();
      await ledger.stop();
      await pki.close();
    },
  };
}
