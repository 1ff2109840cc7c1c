/** Material reuse (issue 12): applications, authorisations, the material plan, sharing, supervision. Other folders import only this file. */
export { ApplicationService, HANDLING_ROLES, type ApplicationServiceOptions, type OpenApplicationInput } from './application-service.ts';
export { AuthorisationService, type AuthorisationRequest, type AuthorisationServiceOptions } from './authorisation-service.ts';
export { MaterialPlanner, type MaterialPlannerOptions } from './material-planner.ts';
export { MaterialService, type MaterialServiceOptions, type UploadMaterialInput } from './material-service.ts';
export { SharingService, checkUseCause, type FetchLicenceInput, type SharedLicence, type SharedLicenceCopy, type SharingServiceOptions } from './sharing-service.ts';
export { SupervisionService, type SupervisionRow } from './supervision-service.ts';
export { observeSupervision } from './supervision-metrics.ts';
export type { ReleaseReceipt } from './release.ts';
export { AuthorisationRequiredError, ApplicationStateError, MaterialNotToBeUploadedError, MaterialTooLargeError, ProofOutsideListError, UseCauseError, UseCodeNotForApplicationError } from './errors.ts';
export * from './model.ts';
