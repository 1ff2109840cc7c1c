import { SignerError } from '../errors.ts';

/** Bytes that should hold a GB/T 38540 SESeal do not parse as one. */
export class SealFormatError extends SignerError {
  readonly code = 'SEAL_FORMAT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Why a seal maker (制章者) cannot sign a seal. */
export type SealMakerProblem = 'KEY_CERTIFICATE_MISMATCH' | 'MAKER_NOT_YET_VALID' | 'MAKER_EXPIRED';

/**
 * The seal maker's key and certificate cannot make a seal: the key is of another type than
 * the certificate's or not its key at all, or the certificate is outside its validity.
 * Nothing was signed.
 */
export class SealMakerError extends SignerError {
  readonly code = 'SEAL_MAKER_UNUSABLE';
  readonly problem: SealMakerProblem;

  constructor(problem: SealMakerProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}
