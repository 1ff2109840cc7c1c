import type { VerificationReport } from './types.ts';
import { failed } from './outcome.ts';
import { freeze } from './freeze.ts';

/** The report for bytes that cannot be read as the format they claim (TOTAL_FAILED/FORMAT_FAILURE). */
export function unreadableReport(bytes: Uint8Array, sha256: string, at: Date, problems: string[]): VerificationReport {
  return freeze({
    document: {
      verdict: 'UNREADABLE',
      ...failed('FORMAT_FAILURE'),
      size: bytes.length,
      sha256,
      revisions: 0,
      signatureCount: 0,
      documentTimestampCount: 0,
      problems,
    },
    signatures: [],
    validationTime: at.toISOString(),
  });
}
