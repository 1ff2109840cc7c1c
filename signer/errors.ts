import { ZhengyinError } from '../common/index.ts';

/**
 * Base of every error from `signer/`: PKI, key store, rendering, seals, PAdES signing.
 * Subclasses live beside the code that throws them (`signer/pki/errors.ts`, …) and carry
 * the ids a caller needs to act (certificate serial, seal id, field name).
 */
export abstract class SignerError extends ZhengyinError {}
