// The chaincode's entry point: fabric-shim's bootstrap (`fabric-chaincode-node server`,
// chaincode-as-a-service) and zhengyin's embedded ledger both load `contracts` from here.
import { EvidenceContract } from './evidence-contract';

export { EvidenceContract } from './evidence-contract';
export type { RecordOutcome, SubjectVersion } from './evidence-contract';
export { validateRecord, EVIDENCE_TYPES, DOMAINS, isEvidenceType } from './records';
export type { Domain, EvidenceType, EvidenceRecord, StoredEvidence, ValidRecord } from './records';
export { parsePolicy } from './policy';
export type { WriterPolicy, Principal } from './policy';
export { parseLicenceIdentifier, mod3736, isUscc, isRealEstateUnitNumber } from './codes';
export { canonicalJson } from './canonical';
export { Refusal } from './errors';

export const contracts = [EvidenceContract];
