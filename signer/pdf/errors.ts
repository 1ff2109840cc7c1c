import { SignerError } from '../errors.ts';

/**
 * The bytes are not a PDF this reader can follow: no `startxref`, a cross-reference
 * section that does not parse, or an object that is not where the xref says it is
 * (ISO 32000-1 §7.5). Carries the byte offset where reading failed, when known.
 */
export class PdfReadError extends SignerError {
  readonly code: string = 'PDF_MALFORMED';
  readonly field = 'pdf';
  readonly standard = 'ISO 32000-1 §7.5';
  readonly offset: number | undefined;

  constructor(p: Readonly<{ message: string; offset?: number; cause?: unknown }>) {
    super(p.offset === undefined ? p.message : `${p.message} (at byte ${p.offset})`, { cause: p.cause });
    this.offset = p.offset;
  }
}

/** The incremental writer was asked for something it cannot append: e.g. updating an object that does not exist. */
export class PdfWriteError extends SignerError {
  readonly code: string = 'PDF_WRITE';

  constructor(p: Readonly<{ message: string; cause?: unknown }>) {
    super(p.message, { cause: p.cause });
  }
}

/**
 * The PDF is encrypted (trailer /Encrypt). An incremental update would have to encrypt
 * its strings and streams with the file key (ISO 32000-1 §7.6) and removing encryption
 * in an update is impossible; zhengyin signs only unencrypted PDFs.
 */
export class PdfEncryptedError extends PdfWriteError {
  override readonly code = 'PDF_ENCRYPTED';

  constructor() {
    super({ message: 'pdf: encrypted PDFs (trailer /Encrypt) cannot be updated or signed (ISO 32000-1 §7.6)' });
  }
}
