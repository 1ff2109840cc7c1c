/** Issuance, status, lifecycle (变更, 延续, 暂扣/恢复, 注销) and print files of licences. Other folders import only this file. */
export {
  LicenceService,
  LICENCE_FORMATS,
  type IssueLicenceInput,
  type LicenceFile,
  type LicenceFormat,
  type Licence,
  type LicenceServiceOptions,
  type LicenceStatus,
  type LicenceVersionLink,
  type PublicLicenceStatus,
} from './licence-service.ts';
export { type ChangeLicenceInput, type LicenceChanges } from './licence-changes.ts';
export { DEFAULT_RENEWAL_DECISION_DAYS, type LicenceRenewals, type Renewal, type RenewalState } from './licence-renewals.ts';
export type { SerialVoid } from './serial-register.ts';
