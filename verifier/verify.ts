/**
 * `verify`: one entry for every format the verifier reads, chosen by the bytes, not the
 * file name: a PDF header (`%PDF-` within the first 1024 bytes, ISO 32000-1 §7.5.2) or a
 * zip local file header (`PK\x03\x04`, an OFD package). Anything else goes to the PDF
 * reader, whose report for it is UNREADABLE.
 */
import type { VerificationReport } from './report/types.ts';
import type { VerifyOptions } from './verify-options.ts';
import { verifyOfd } from './verify-ofd.ts';
import { verifyPdf } from './verify-pdf.ts';

export type DocumentFormat = 'PDF' | 'OFD';

export function sniffFormat(bytes: Uint8Array): DocumentFormat {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'OFD';
  return 'PDF';
}

export function verify(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  return bytes instanceof Uint8Array && sniffFormat(bytes) === 'OFD' ? verifyOfd(bytes, options) : verifyPdf(bytes, options);
}
