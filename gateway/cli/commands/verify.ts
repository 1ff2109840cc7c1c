import type { VerificationReport, VerifyOptions } from '../../../verifier/index.ts';
import { UsageError, type Command, type CommandContext } from '../command.ts';
import { InputTooLargeError } from '../errors.ts';
import { readInputFile } from '../input.ts';
import { listPdfFiles } from '../pdf-files.ts';
import { progressLine } from '../progress.ts';

/** Exit codes of `zhengyin verify`, after the document verdict (issue #3). */
export const VerifyExit = {
  valid: 0,
  /** Any TOTAL_FAILED signature or a disallowed change after signing. */
  invalid: 1,
  /** Any INDETERMINATE signature (untrusted, expired or revoked without proof, no revocation data …). */
  indeterminate: 2,
  unsigned: 3,
  /** The file cannot be read, is not a PDF or OFD we can read, or holds a damaged signature (cut short, unreadable /Contents). */
  unreadable: 4,
} as const;

type Verdict = VerificationReport['document']['verdict'];

const EXIT_OF: Readonly<Record<Verdict, number>> = {
  UNREADABLE: VerifyExit.unreadable,
  UNSIGNED: VerifyExit.unsigned,
  INVALID: VerifyExit.invalid,
  INDETERMINATE: VerifyExit.indeterminate,
  VALID: VerifyExit.valid,
};

/**
 * Verdicts worst first: the order in which one document's verdict is decided (unreadable,
 * else unsigned, else invalid, else indeterminate, else valid). Several files exit with the
 * first of these that any of them reached.
 */
const WORST_FIRST: readonly Verdict[] = ['UNREADABLE', 'UNSIGNED', 'INVALID', 'INDETERMINATE', 'VALID'];

export function exitCodeFor(report: VerificationReport): number {
  return EXIT_OF[report.document.verdict];
}

/** The worst of several verdicts (see {@link WORST_FIRST}); `VALID` for none. */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  const seen = new Set(verdicts);
  return WORST_FIRST.find((v) => seen.has(v)) ?? 'VALID';
}

export const verify: Command = {
  name: 'verify',
  summary: 'verify every signature of PDFs and OFDs (files or folders): integrity, signer, seal, trust, time, revocation, changes after signing',
  usage: 'FILE.pdf|FILE.ofd|FOLDER... [--recursive] [--trust ROOT.pem]... [--cert CA.pem]... [--crl FILE]... [--at ISO-TIME] [--online] [--json]\n\n' +
    'The format is read from the bytes (PDF, or an OFD zip package), not the name.\n' +
    'One file: its full report (--json: the report). Several files or a folder (its *.pdf and *.ofd; --recursive: and its\n' +
    'subfolders\'): one line per file and a summary line (--json: one JSON object per line, then {"summary": …}).\n' +
    'exit 0 valid, 1 invalid or disallowed change, 2 indeterminate, 3 no signature, 4 unreadable input;\n' +
    'for several files the worst of theirs, in the order 4, 3, 1, 2, 0',
  options: {
    trust: { type: 'string', multiple: true },
    cert: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    at: { type: 'string' },
    online: { type: 'boolean' },
    json: { type: 'boolean' },
    recursive: { type: 'boolean', short: 'r' },
  },
  positionals: { min: 1, max: Infinity },
  async run(ctx) {
    const { values, positionals } = ctx;
    const options = verifyOptions(values);
    const files = listPdfFiles(positionals, { recursive: values.recursive === true });
    // Loaded here, not at the top: `zhengyin help` and `verify --help` load no verifier.
    const verifier = await import('../../../verifier/index.ts');
    const check = async (file: string): Promise<Checked> => {
      let bytes: Buffer;
      try {
        // The verifier's own file-size bound: a larger input would only be refused by it.
        bytes = readInputFile(file, { field: 'file', maxBytes: verifier.DEFAULT_LIMITS.maxFileBytes });
      } catch (e) {
        if (e instanceof InputTooLargeError && files.length === 1) throw e;
        return { file, verdict: 'UNREADABLE', error: (e as Error).message };
      }
      const report = await verifier.verify(bytes, options);
      return { file, verdict: report.document.verdict, report };
    };

    const one = positionals.length === 1 && files.length === 1 && files[0] === positionals[0];
    if (one) {
      const { file, report, error } = await check(files[0]!);
      if (!report) process.stderr.write(`zhengyin verify: ${error}\n`);
      else ctx.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : verifier.renderText(report, file));
      return report ? exitCodeFor(report) : VerifyExit.unreadable;
    }

    if (files.length === 0) {
      process.stderr.write(`zhengyin verify: no PDF or OFD files in ${positionals.join(', ')}${values.recursive ? '' : ' (--recursive for subfolders)'}\n`);
      return VerifyExit.unreadable;
    }
    const progress = progressLine(process.stderr, files.length);
    const counts = new Map<Verdict, number>();
    for (const [i, file] of files.entries()) {
      progress.update(i + 1, file);
      const checked = await check(file);
      counts.set(checked.verdict, (counts.get(checked.verdict) ?? 0) + 1);
      progress.end();
      ctx.stdout.write(values.json ? jsonLine(checked) : textLine(checked, verifier.documentSummary));
    }
    const worst = worstVerdict(counts.keys());
    const tally = WORST_FIRST.filter((v) => counts.has(v)).map((v) => [v, counts.get(v)!] as const);
    ctx.stdout.write(
      values.json
        ? `${JSON.stringify({ summary: { files: files.length, verdicts: Object.fromEntries(tally), worst, exit: EXIT_OF[worst] } })}\n`
        : `${files.length} files: ${tally.map(([v, n]) => `${n} ${v}`).join(', ')}; exit ${EXIT_OF[worst]} (${worst})\n`,
    );
    return EXIT_OF[worst];
  },
};

/** One file's outcome: its report, or why it could not be read. */
interface Checked {
  readonly file: string;
  readonly verdict: Verdict;
  readonly report?: VerificationReport;
  readonly error?: string;
}

/** `FILE: VERDICT Field=SUMMARY …`, or `FILE: UNREADABLE (why)` for a file that could not be read. */
function textLine(c: Checked, documentSummary: (r: VerificationReport) => string): string {
  return `${c.file}: ${c.report ? documentSummary(c.report) : `${c.verdict} (${c.error})`}\n`;
}

/** A JSON Lines record: `{ file, verdict, exit, report }`, or `{ file, verdict, exit, error }`. */
function jsonLine(c: Checked): string {
  const { file, verdict, report, error } = c;
  return `${JSON.stringify({ file, verdict, exit: EXIT_OF[verdict], ...(report ? { report } : { error }) })}\n`;
}

/** The verifier's options from the flags; reads the --trust, --cert and --crl files. */
function verifyOptions(values: CommandContext['values']): VerifyOptions {
  const files = (key: string): Buffer[] => ((values[key] as string[] | undefined) ?? []).map((f) => readOption(key, f));
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at as string);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO 8601 time: ${String(values.at)}`);
  }
  return { trust: files('trust'), certificates: files('cert'), crls: files('crl'), at, online: values.online === true };
}

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
