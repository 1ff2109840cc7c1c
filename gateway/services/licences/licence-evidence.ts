/** What a licence event is called in its evidence id. */
export type LicenceEvent = 'issued' | 'changed' | 'revoked' | 'renewed' | 'suspended' | 'resumed';

/**
 * The ledger's idempotency key for a licence event: `licence:<identifier>:<event>`, and for
 * events a licence may have more than once (suspended, resumed, renewed) the event's time in
 * milliseconds after it, so each occurrence anchors once. At most 114 characters for a
 * 20-character serial (the chain allows 128).
 */
export const evidenceIdOf = (identifier: string, event: LicenceEvent, at?: Date): string =>
  at ? `licence:${identifier}:${event}:${at.getTime()}` : `licence:${identifier}:${event}`;

/** The evidence that anchors a version's document: its issuance, or the change that made it. */
export const documentEvidenceIdOf = (identifier: string, version: number): string => evidenceIdOf(identifier, version === 1 ? 'issued' : 'changed');
