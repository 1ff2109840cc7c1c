/** The access log (用证记录): append-only, hash-chained, anchored on the ledger. Other folders import only this file. */
export { AccessLog, type AccessLogOptions, type AccessPage, type AppendResult } from './access-log.ts';
export { checkChain, type AccessLogVerdict, type AnchoredHead, type ChainBreak, type ChainBreakKind } from './check-chain.ts';
export {
  ACCESS_LOG_ID,
  canonicalEntry,
  entryHashOf,
  GENESIS_HASH,
  verifyReceipt,
  type AccessActor,
  type AccessLogEntry,
  type AccessReceipt,
  type AccessRequest,
} from './entry.ts';
