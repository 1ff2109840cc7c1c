/** The audit trail: who changed state, when, and how it ended. Other folders import only this file. */
export { AuditTrail, type AuditEntry, type AuditTrailOptions, type NewAuditEntry } from './audit-trail.ts';
