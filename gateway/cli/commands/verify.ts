import { DEFAULT_LIMITS, renderText, verifyPdf, type VerificationReport } from '../../../verifier/index.ts';
import { UsageError, type Command } from '../command.ts';
import { InputTooLargeError } from '../errors.ts';
import { readInputFile } from '../input.ts';

/** Exit codes of `zhengyin verify`, after the document verdict (issue #3). */
export const VerifyExit = {
  valid: 0,
  /** Any TOTAL_FAILED signature or a disallowed change after signing. */
  invalid: 1,
  /** Any INDETERMINATE signature (untrusted, expired or revoked without proof, no revocation data …). */
  indeterminate: 2,
  unsigned: 3,
  /** The file cannot be read, is not a PDF we can read, or holds a damaged signature (cut short, unreadable /Contents). */
  unreadable: 4,
} as const;

export function exitCodeFor(report: VerificationReport): number {
  switch (report.document.verdict) {
    case 'UNREADABLE': return VerifyExit.unreadable;
    case 'UNSIGNED': return VerifyExit.unsigned;
    case 'INVALID': return VerifyExit.invalid;
    case 'INDETERMINATE': return VerifyExit.indeterminate;
    case 'VALID': return VerifyExit.valid;
  }
}

export const verify: Command = {
  name: 'verify',
  summary: 'verify every signature of a PDF: integrity, signer, trust, time, revocation, changes after signing',
  usage: 'FILE.pdf [--trust ROOT.pem]... [--cert CA.pem]... [--crl FILE]... [--at ISO-TIME] [--online] [--json]\n\n' +
    'exit 0 valid, 1 invalid or disallowed change, 2 indeterminate, 3 no signature, 4 unreadable input',
  options: {
    trust: { type: 'string', multiple: true },
    cert: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    at: { type: 'string' },
    online: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, stdout }) {
    const file = positionals[0]!;
    const files = (key: string): Buffer[] => ((values[key] as string[] | undefined) ?? []).map((f) => readOption(key, f));
    const trust = files('trust');
    const certificates = files('cert');
    const crls = files('crl');
    let at: Date | undefined;
    if (values.at !== undefined) {
      at = new Date(values.at as string);
      if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO 8601 time: ${String(values.at)}`);
    }
    let bytes: Buffer;
    try {
      // The verifier's own file-size bound: a larger input would only be refused by it.
      bytes = readInputFile(file, { field: 'file', maxBytes: DEFAULT_LIMITS.maxFileBytes });
    } catch (e) {
      if (e instanceof InputTooLargeError) throw e;
      process.stderr.write(`zhengyin verify: ${(e as Error).message}\n`);
      return VerifyExit.unreadable;
    }
    const report = await verifyPdf(bytes, { trust, certificates, crls, at, online: values.online === true });
    stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, file));
    return exitCodeFor(report);
  },
};

/** Trust anchors, certificates and CRLs: small files, read with a cap of their own. */
const MAX_OPTION_FILE_BYTES = 16 * 1024 * 1024;

function readOption(key: string, file: string): Buffer {
  try {
    return readInputFile(file, { field: key, maxBytes: MAX_OPTION_FILE_BYTES });
  } catch (e) {
    if (e instanceof InputTooLargeError) throw e;
    throw new UsageError(`--${key} ${file}: ${(e as Error).message}`);
  }
}

export const commands: readonly Command[] = [verify];
