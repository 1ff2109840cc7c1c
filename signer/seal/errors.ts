import { SignerError } from '../errors.ts';

/** Bytes that should hold a GB/T 38540 SESeal do not parse as one. */
export class SealFormatError extends SignerError {
  readonly code = 'SEAL_FORMAT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
