import { SignerError } from '../errors.ts';

/**
 * A signing option is malformed or contradicts the document: a field name already taken,
 * a page that does not exist, a seal image that is not a PNG. Names the option and, where
 * one applies, the standard.
 */
export class InvalidSignOptionError extends SignerError {
  readonly code: string = 'INVALID_SIGN_OPTION';
  readonly field: string;
  readonly standard: string | undefined;

  constructor(p: Readonly<{ field: string; message: string; standard?: string; cause?: unknown }>) {
    super(`${p.field}: ${p.message}${p.standard ? ` (${p.standard})` : ''}`, { cause: p.cause });
    this.field = p.field;
    this.standard = p.standard;
  }
}

/** The certificate's key or the requested digest is not one zhengyin signs with. */
export class UnsupportedAlgorithmError extends SignerError {
  readonly code = 'UNSUPPORTED_ALGORITHM';

  constructor(p: Readonly<{ message: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
  }
}

/**
 * The document's modification detection and prevention forbids this signature
 * (ISO 32000-1 §12.8.2.2): a certification signature must be the first signature, and a
 * document certified with /P 1 admits no later change.
 */
export class DocMdpError extends SignerError {
  readonly code = 'DOCMDP_FORBIDS';

  constructor(p: Readonly<{ message: string }>) {
    super(p.message);
  }
}

/**
 * A new visible signature field on a certified document. Acrobat accepts it, but a
 * certification with DocMDP P 2 permits signing, which strict validators (pyHanko's default
 * `SigFieldCreationRule`, and any that follow it) read as filling the signature fields the
 * certified document already has: they report the certification signature as modified.
 * Names the alternatives: an empty field of the document, an invisible signature, or
 * allowing the new field.
 */
export class NewFieldAfterCertificationError extends SignerError {
  readonly code = 'NEW_FIELD_AFTER_CERTIFICATION';
  /** The document's empty, unlocked, visible signature fields: where this seal may go instead. */
  readonly freeFields: readonly string[];

  constructor(p: Readonly<{ certifiedBy: string | undefined; freeFields: readonly string[] }>) {
    const instead = p.freeFields.length > 0 ? `sign into one of its empty signature fields (field / --field: ${p.freeFields.map((f) => `"${f}"`).join(', ')})` : 'sign into an empty signature field (field / --field; this document has none)';
    super(
      `the document is certified${p.certifiedBy ? ` by the signature in "${p.certifiedBy}"` : ''} (DocMDP P 2 or 3): a new visible signature field would make ` +
        'pyHanko and other strict validators report that certification signature as modified (Acrobat accepts it). ' +
        `Instead ${instead}, sign invisibly (no appearance), or allow the new field (allowNewField / --allow-new-field) for readers that follow Acrobat ` +
        '(ISO 32000-1 §12.8.2.2.2)',
    );
    this.freeFields = p.freeFields;
  }
}

/**
 * The signing key failed with an error that is not a zhengyin error (a key-store or HSM
 * fault). Typed errors from a `SigningKey` (a revoked or expired key, …) pass unchanged.
 */
export class SigningKeyError extends SignerError {
  readonly code = 'SIGNING_KEY_FAILED';

  constructor(p: Readonly<{ cause: unknown }>) {
    super(`signing key failed: ${p.cause instanceof Error ? p.cause.message : String(p.cause)}`, { cause: p.cause });
  }
}

/**
 * The signature value does not verify with the certificate's public key: the key and the
 * certificate do not belong together, or a remote signer returned a wrong value.
 */
export class SignatureMismatchError extends SignerError {
  readonly code = 'SIGNATURE_MISMATCH';

  constructor() {
    super('the signature value does not verify with identity.certificate\'s public key (wrong key for this certificate?)');
  }
}

/**
 * The time-stamp authority failed with a non-zhengyin error, or its token does not cover
 * the imprint asked for (RFC 3161 §2.4.2). Typed TSA errors (our own TSA's `TimestampRejectedError`) pass unchanged.
 */
export class TimestampError extends SignerError {
  readonly code = 'TIMESTAMP_FAILED';

  constructor(p: Readonly<{ message: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
  }
}

/** The CMS container came out larger than the /Contents placeholder reserved for it. */
export class ContentsOverflowError extends SignerError {
  readonly code = 'CONTENTS_OVERFLOW';
  readonly needed: number;
  readonly reserved: number;

  constructor(p: Readonly<{ needed: number; reserved: number }>) {
    super(`signature container needs ${p.needed} bytes but /Contents reserves ${p.reserved}`);
    this.needed = p.needed;
    this.reserved = p.reserved;
  }
}
