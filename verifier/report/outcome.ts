/**
 * Building EN 319 102-1 outcomes, and the statuses read from them. `trusted` and `revoked`
 * are derived here from the indication and sub-indication, so a report cannot say
 * TOTAL_FAILED/REVOKED and trusted at once.
 */
import type { DerivedStatus, FailedSubIndication, IndeterminateSubIndication, Outcome } from './types.ts';

export const PASSED: Outcome = Object.freeze({ indication: 'TOTAL_PASSED', subIndication: null });

export const failed = (subIndication: FailedSubIndication): Outcome & { readonly indication: 'TOTAL_FAILED' } =>
  ({ indication: 'TOTAL_FAILED', subIndication });

export const indeterminate = (subIndication: IndeterminateSubIndication): Outcome & { readonly indication: 'INDETERMINATE' } =>
  ({ indication: 'INDETERMINATE', subIndication });

/** The outcome alone, copied out of a larger record that carries one. */
export function outcomeOf<O extends Outcome>(o: O): O extends unknown ? Pick<O, 'indication' | 'subIndication'> : never {
  return { indication: o.indication, subIndication: o.subIndication } as never;
}

/** The signer's path reached a trust anchor and every check passed. */
export const isTrusted = (o: Outcome): boolean => o.indication === 'TOTAL_PASSED';

const REVOKED = new Set<string>(['REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE']);

/** A certificate of the signer's path was found revoked, whether or not before the signing time was proven. */
export const isRevoked = (o: Outcome): boolean => o.subIndication !== null && REVOKED.has(o.subIndication);

/** Adds `trusted` and `revoked` as enumerable getters over the record's own outcome. */
export function withDerivedStatus<T extends Outcome>(r: T): T & DerivedStatus {
  return Object.defineProperties(r, {
    trusted: { enumerable: true, get(this: Outcome) { return isTrusted(this); } },
    revoked: { enumerable: true, get(this: Outcome) { return isRevoked(this); } },
  }) as T & DerivedStatus;
}
