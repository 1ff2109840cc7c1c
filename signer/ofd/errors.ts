import { SignerError } from '../errors.ts';

/**
 * The bytes given as an OFD package are not one signOfd can read: no zip, no OFD.xml, a
 * malformed XML part, a hostile entry (a name that climbs out, a zip bomb, too many
 * entries). Names the entry when there is one.
 */
export class OfdReadError extends SignerError {
  readonly code = 'OFD_READ';
  /** The package entry at fault, when there is one. */
  readonly entry: string | undefined;

  constructor(p: Readonly<{ message: string; entry?: string; cause?: unknown }>) {
    super(p.entry ? `${p.entry}: ${p.message}` : p.message, { cause: p.cause });
    this.entry = p.entry;
  }
}

/**
 * A seal cannot be applied as asked: no such page, a seal that does not list the signer's
 * certificate, a seal or certificate outside its validity at the signing time, or a
 * package whose earlier signatures the new seal would break (they protect the file it must
 * change). Names the option or the condition in `field`.
 */
export class OfdSealError extends SignerError {
  readonly code: string = 'OFD_SEAL';
  /** The option at fault (`page`, `seal`, `signerCertificate`, `signedAt`) or `package`. */
  readonly field: string;

  constructor(p: Readonly<{ field: string; message: string; standard?: string; cause?: unknown }>) {
    super(`${p.field}: ${p.message}${p.standard ? ` (${p.standard})` : ''}`, { cause: p.cause });
    this.field = p.field;
  }
}
