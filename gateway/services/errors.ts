import { InvalidInputError, ZhengyinError } from '../../common/index.ts';

/** A seal that may not sign now. Nothing was signed or written. */
export class SealUnusableError extends ZhengyinError {
  readonly code: 'SEAL_REVOKED' | 'SEAL_SUSPENDED' | 'SEAL_EXPIRED' | 'SEAL_NOT_YET_VALID';
  readonly sealId: string;

  constructor(p: Readonly<{ code: SealUnusableError['code']; sealId: string; message: string }>) {
    super(p.message);
    this.code = p.code;
    this.sealId = p.sealId;
  }
}

/** A seal state change that its current state does not allow (e.g. resuming a revoked seal). */
export class SealStateError extends ZhengyinError {
  readonly code = 'SEAL_STATE';
  readonly sealId: string;
  readonly state: string;

  constructor(p: Readonly<{ sealId: string; state: string; message: string }>) {
    super(p.message);
    this.sealId = p.sealId;
    this.state = p.state;
  }
}

/** A licence whose status forbids the operation (revoking a revoked licence, …). */
export class LicenceStateError extends ZhengyinError {
  readonly code = 'LICENCE_STATE';
  readonly identifier: string;
  readonly status: string;

  constructor(p: Readonly<{ identifier: string; status: string; message: string }>) {
    super(p.message);
    this.identifier = p.identifier;
    this.status = p.status;
  }
}

/**
 * A renewal (延续) step that the application's state does not allow: applying while one is
 * pending, deciding one that is already decided or already counts as granted. Nothing was written.
 */
export class RenewalStateError extends ZhengyinError {
  readonly code = 'RENEWAL_STATE';
  readonly identifier: string;
  /** The application's state: 'none' | 'pending' | 'granted' | 'refused' | 'deemed'. */
  readonly state: string;

  constructor(p: Readonly<{ identifier: string; state: string; message: string }>) {
    super(p.message);
    this.identifier = p.identifier;
    this.state = p.state;
  }
}

/**
 * A licence asked for as OFD from a department that has no active SM2 seal: an OFD is
 * sealed after GB/T 38540 with SM2, which its PDF seal cannot do. Nothing was written and
 * no serial consumed.
 */
export class NoSm2SealError extends ZhengyinError {
  readonly code = 'NO_SM2_SEAL';
  readonly departmentId: string;

  constructor(p: Readonly<{ departmentId: string }>) {
    super(
      `department ${p.departmentId} has no active SM2 seal to seal an OFD licence (GB/T 38540); ` +
        `make one with \`zhengyin seal create --department ${p.departmentId} --algorithm sm2 …\` ` +
        '(GraphQL makeSeal(algorithm: SM2)), or issue with format pdf',
    );
    this.departmentId = p.departmentId;
  }
}

/**
 * The seal's algorithm does not sign this format: an SM2 seal signs OFD (GB/T 38540
 * SES_Signature), an ECDSA or RSA seal signs PDF (PAdES). The message says which seal to
 * use instead. Nothing was signed or written.
 */
export class SealFormatMismatchError extends InvalidInputError {
  override readonly code = 'INVALID_SEAL_FOR_FORMAT';
  readonly sealId: string;
  /** The document's format. */
  readonly format: 'pdf' | 'ofd';

  constructor(p: Readonly<{ sealId: string; format: 'pdf' | 'ofd'; algorithm: string }>) {
    const instead = p.format === 'ofd'
      ? 'an OFD takes an SM2 seal (GB/T 38540): make one with `seal create --algorithm sm2`'
      : 'a PDF takes an ECDSA or RSA seal (PAdES): use one of the department\'s other seals (`seal list`), or seal an OFD with this one';
    super({ field: 'seal', message: `seal ${p.sealId} has ${/^[AEFHILMNORSX]/.test(p.algorithm) ? 'an' : 'a'} ${p.algorithm} key and cannot seal a${p.format === 'ofd' ? 'n OFD' : ' PDF'}: ${instead}` });
    this.sealId = p.sealId;
    this.format = p.format;
  }
}

/**
 * A licence's copy asked for in a format it was not issued in (an OFD copy of a licence
 * issued as PDF only): an annotated copy carries the stored original, and there is none in
 * that format. Nothing was made, released or written.
 */
export class FormatUnavailableError extends ZhengyinError {
  readonly code = 'FORMAT_UNAVAILABLE';
  readonly identifier: string;
  readonly format: 'pdf' | 'ofd';

  constructor(p: Readonly<{ identifier: string; format: 'pdf' | 'ofd' }>) {
    super(`licence ${p.identifier} was not issued as ${p.format.toUpperCase()}; ask for its PDF copy (format PDF)`);
    this.identifier = p.identifier;
    this.format = p.format;
  }
}
