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
 * The upload is not a PDF at all: no `%PDF-` header in its first 1024 bytes (ISO 32000-1
 * §7.5.2; readers accept the header that far in). A damaged PDF is not this error: the
 * verifier reads what it can and reports it UNREADABLE.
 */
export class NotAPdfError extends InvalidInputError {
  override readonly code = 'INVALID_NOT_PDF';

  constructor(p: Readonly<{ field: string }>) {
    super({ field: p.field, message: `${p.field}: not a PDF (no %PDF- header in the first 1024 bytes)`, standard: 'ISO 32000-1' });
  }
}
