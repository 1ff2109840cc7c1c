/** The evidence ledger as the gateway uses it. Other folders import only this file. */
export { DEPARTMENT_WRITER_ATTRIBUTE, LedgerService, type DocumentEvidence, type LedgerServiceOptions, type LedgerStatus, type RecordRequest } from './ledger-service.ts';
