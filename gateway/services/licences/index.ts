/** Issuance, status and revocation of licences. Other folders import only this file. */
export {
  LicenceService,
  type IssueLicenceInput,
  type Licence,
  type LicenceServiceOptions,
  type LicenceStatus,
  type PublicLicenceStatus,
} from './licence-service.ts';
export type { SerialVoid } from './serial-register.ts';
