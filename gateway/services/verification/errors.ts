import { InvalidInputError } from '../../../common/index.ts';

/** The upload is larger than the verification accepts (ZHENGYIN_VERIFY_MAX_BYTES). Nothing was read past the limit. */
export class PdfTooLargeError extends InvalidInputError {
  override readonly code = 'INVALID_INPUT_TOO_LARGE';
  readonly maxBytes: number;

  constructor(p: Readonly<{ field: string; maxBytes: number }>) {
    super({ field: p.field, message: `${p.field}: the file is over the limit of ${p.maxBytes} bytes` });
    this.maxBytes = p.maxBytes;
  }
}

/**
 * The upload is neither a PDF nor an OFD: no `%PDF-` header in its first 1024 bytes (ISO
 * 32000-1 §7.5.2; readers accept the header that far in) and no zip local file header first
 * (an OFD is a zip package, GB/T 33190). A damaged PDF or OFD is not this error: the
 * verifier reads what it can and reports it UNREADABLE. The code keeps its name from when
 * only PDF was read: clients match on it.
 */
export class NotAPdfError extends InvalidInputError {
  override readonly code = 'INVALID_NOT_PDF';

  constructor(p: Readonly<{ field: string }>) {
    super({ field: p.field, message: `${p.field}: neither a PDF (no %PDF- header in the first 1024 bytes) nor an OFD (not a zip package)`, standard: 'ISO 32000-1, GB/T 33190' });
  }
}
