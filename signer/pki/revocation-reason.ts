/**
 * CRLReason (RFC 5280 §5.3.1). 7 is unused and removeFromCRL (8) belongs to delta CRLs,
 * which the service does not issue.
 */
export type CrlReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'privilegeWithdrawn'
  | 'aACompromise';

export const crlReasonCode: Readonly<Record<CrlReason, number>> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

export const crlReasons = Object.keys(crlReasonCode) as CrlReason[];

export const isCrlReason = (value: unknown): value is CrlReason => typeof value === 'string' && value in crlReasonCode;

export function crlReasonName(code: number): CrlReason {
  return crlReasons.find((r) => crlReasonCode[r] === code) ?? 'unspecified';
}

/** A revoked certificate as a CRL entry or an OCSP RevokedInfo states it. */
export interface RevokedEntry {
  /** Serial number, hex (as `serialHex` writes it). */
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: CrlReason;
}
