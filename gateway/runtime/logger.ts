/**
 * A small structured logger. Lines go to stderr so that stdout stays clean for CLI
 * output (`zhengyin ca export-root > root.pem`). Secrets never reach it: callers pass
 * identifiers, not keys, passwords or connection strings with credentials.
 */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

export function createLogger(p: Readonly<{ level?: LogLevel; json?: boolean; write?: (line: string) => void }> = {}): Logger {
  const threshold = order[p.level ?? 'info'];
  const write = p.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (order[level] < threshold) return;
    if (p.json) {
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ' ' + formatFields(fields) : '';
    write(oneLine(`${level === 'info' ? '' : level.toUpperCase() + ': '}${message}${extra}`));
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
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
