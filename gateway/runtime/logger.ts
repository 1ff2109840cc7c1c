import { createRequire } from 'node:module';
import type { Logger as PinoLogger, LoggerOptions } from 'pino';

/**
 * The service's structured logger, backed by pino. Lines go to stderr so that stdout stays
 * clean for CLI output (`zhengyin ca export-root > root.pem`). Callers pass identifiers,
 * not keys, passwords or connection strings with credentials; as a second line of defence
 * fields named like secrets are redacted by pino (see {@link REDACTED_PATHS}) and bearer
 * tokens, API tokens and 居民身份证 numbers are masked wherever they appear in a line.
 */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

export interface CreateLoggerOptions {
  readonly level?: LogLevel;
  /** One JSON object per line (ZHENGYIN_LOG_FORMAT=json); otherwise one readable line. */
  readonly json?: boolean;
  /** Where each finished line goes, without its newline. @default stderr */
  readonly write?: (line: string) => void;
}

/** Field paths pino replaces with `[redacted]`, at the top level and one level down (`headers.authorization`). */
export const REDACTED_PATHS: readonly string[] = ['authorization', 'cookie', 'token', 'accessToken', 'idToken', 'password', 'secret', 'idNumber', 'holderCode'].flatMap(
  (key) => [key, `*.${key}`],
);

// pino is required on the first line written, not at import: `zhengyin help` and `verify`
// load this module and must stay free of packages (tests/e2e/cli-startup.test.ts).
const requirePackage = createRequire(import.meta.url);

export function createLogger(p: Readonly<CreateLoggerOptions> = {}): Logger {
  const level = p.level ?? 'info';
  if (level === 'silent') return { info: () => {}, warn: () => {}, error: () => {} };
  const write = p.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const finish = (json: string) => {
    const line = scrub(json.trimEnd());
    write(p.json ? line : textLine(JSON.parse(line) as Record<string, unknown>));
  };
  let pino: PinoLogger | undefined;
  const logger = (): PinoLogger => {
    if (pino) return pino;
    const create = requirePackage('pino') as (options: LoggerOptions, stream: { write(s: string): void }) => PinoLogger;
    pino = create(
      {
        level,
        base: null,
        messageKey: 'message',
        timestamp: () => `,"time":"${new Date().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      },
      { write: finish },
    );
    return pino;
  };
  return {
    info: (m, f) => logger().info(f ?? {}, m),
    warn: (m, f) => logger().warn(f ?? {}, m),
    error: (m, f) => logger().error(f ?? {}, m),
  };
}

/** Bearer credentials, our API tokens (zy_<id>_<secret>) and 18-character ID numbers (with a plausible birth date). */
const SECRET_TEXT = /(Bearer\s+)[\w.~+/=-]+|\bzy_[a-z2-7]{13}_[\w-]{43}|\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b/g;
const scrub = (line: string): string => line.replace(SECRET_TEXT, (_m, bearer: string | undefined) => `${bearer ?? ''}[redacted]`);

/** The text format: `WARN: message k=v …` (info has no prefix), no time: the supervisor's journal adds one. */
function textLine(record: Record<string, unknown>): string {
  const { level, time: _time, message, ...fields } = record;
  const extra = Object.keys(fields).length > 0 ? ' ' + formatFields(fields) : '';
  return oneLine(`${level === 'info' ? '' : String(level).toUpperCase() + ': '}${String(message ?? '')}${extra}`);
}

function formatFields(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** One event, one line: a multi-line message (a driver error, a stack) cannot split a log record or forge the next one. */
const oneLine = (text: string): string => text.replace(/\r?\n|\r/g, ' ⏎ ');

/**
 * An error as a log field: name, code and the first non-empty line of the message, at most
 * 300 characters; what an operator needs, without a driver's multi-line report, source
 * paths or a stack.
 */
export function errorSummary(e: unknown): string {
  if (!(e instanceof Error)) return String(e).split('\n')[0]!.slice(0, 300);
  const code = (e as { code?: unknown }).code;
  return `${e.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${e.message.split('\n').find((l) => l.trim() !== '') ?? ''}`.slice(0, 300);
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
